"""scipy.special.xlogy and rel_entr for the coin entropies, and curves built with np.vectorize and a list."""

# %% q8
from scipy.special import rel_entr, xlogy


def bernoulli_entropy(p):
    return -(xlogy(p, p) + xlogy(1 - p, 1 - p))


def bernoulli_cross_entropy(p, theta):
    return -(xlogy(p, theta) + xlogy(1 - p, 1 - theta))


def bernoulli_kl(p, theta):
    return rel_entr(p, theta) + rel_entr(1 - p, 1 - theta)

# %% q9
def likelihood_curves(flips, thetas):
    heads = sum(1 for flip in flips if flip == "H")
    tails = len(flips) - heads
    p_hat = heads / len(flips)
    mean_nll = np.vectorize(lambda theta: -log_likelihood(theta, heads, tails) / len(flips))(thetas)
    entropy = bernoulli_entropy(p_hat)
    return [mean_nll, bernoulli_cross_entropy(p_hat, thetas), entropy + bernoulli_kl(p_hat, thetas)]


theta_grid = np.linspace(0.005, 0.995, 199)
curves = likelihood_curves(flips, theta_grid)
theta_best = theta_grid[int(np.argmin(curves[2]))]
