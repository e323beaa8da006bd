"""The empirical distribution taken as the fraction of tails: p_hat = t/N.

Loses: q9
"""

# %% q9
def likelihood_curves(flips, thetas):
    n_heads, n_tails = flips.count("H"), flips.count("T")
    n = n_heads + n_tails
    p_hat = n_tails / n
    thetas = np.asarray(thetas, dtype=float)
    mean_nll = -np.asarray(log_likelihood(thetas, n_heads, n_tails), dtype=float) / n
    cross_entropy = np.asarray(bernoulli_cross_entropy(p_hat, thetas), dtype=float)
    entropy_plus_kl = bernoulli_entropy(p_hat) + np.asarray(bernoulli_kl(p_hat, thetas), dtype=float)
    return mean_nll, cross_entropy, entropy_plus_kl


theta_grid = np.linspace(0.005, 0.995, 199)
curves = likelihood_curves(flips, theta_grid)
theta_best = float(theta_grid[np.argmin(curves[1])])
