"""Loops and plain Python floats: math.log over np.atleast_1d, pure-Python sums for the Gaussian."""

# %% q1
import math

def likelihood(theta, n_heads, n_tails):
    values = [t ** n_heads * (1 - t) ** n_tails for t in np.atleast_1d(np.asarray(theta, dtype=float))]
    return values[0] if np.ndim(theta) == 0 else np.array(values).reshape(np.shape(theta))

# %% q2
def log_likelihood(theta, n_heads, n_tails):
    def one(t):
        total = 0.0
        if n_heads:
            total += n_heads * math.log(t) if t > 0 else -math.inf
        if n_tails:
            total += n_tails * math.log(1 - t) if t < 1 else -math.inf
        return total
    values = [one(float(t)) for t in np.atleast_1d(np.asarray(theta, dtype=float))]
    return values[0] if np.ndim(theta) == 0 else np.array(values).reshape(np.shape(theta))

# %% q3
def theta_mle(n_heads, n_tails):
    if min(n_heads, n_tails) < 0 or n_heads + n_tails == 0:
        raise ValueError(f"no MLE for {n_heads} heads and {n_tails} tails")
    return float(n_heads) / float(n_heads + n_tails)

# %% q4
theta_hat = flips.count("H") / len(flips)

# %% q5
fig = plt.figure()
thetas = [i / 500 for i in range(1, 500)]
plt.plot(thetas, [log_likelihood(t, flips.count("H"), flips.count("T")) for t in thetas])
plt.scatter([theta_hat], [log_likelihood(theta_hat, flips.count("H"), flips.count("T"))], color="red", zorder=3)
plt.xlabel("theta")
plt.ylabel("l(theta)")

# %% q7
def gaussian_mle(data):
    values = [float(v) for v in data]
    n = len(values)
    mu = sum(values) / n
    return mu, (sum((v - mu) ** 2 for v in values) / n) ** 0.5

# %% q8
def bernoulli_entropy(p):
    return -sum(w * math.log(w) for w in (p, 1 - p) if w > 0)


def _per_theta(function, theta):
    values = [function(float(t)) for t in np.atleast_1d(np.asarray(theta, dtype=float))]
    return values[0] if np.ndim(theta) == 0 else np.array(values).reshape(np.shape(theta))


def bernoulli_cross_entropy(p, theta):
    return _per_theta(lambda t: -(p * math.log(t) + (1 - p) * math.log(1 - t)), theta)


def bernoulli_kl(p, theta):
    def one(t):
        return sum(w * math.log(w / v) for w, v in ((p, t), (1 - p, 1 - t)) if w > 0)
    return _per_theta(one, theta)

# %% q9
def likelihood_curves(flips, thetas):
    heads, tails = flips.count("H"), flips.count("T")
    n = heads + tails
    p_hat = heads / n
    mean_nll, cross_entropy, entropy_plus_kl = [], [], []
    for theta in np.asarray(thetas, dtype=float):
        mean_nll.append(-log_likelihood(float(theta), heads, tails) / n)
        cross_entropy.append(bernoulli_cross_entropy(p_hat, float(theta)))
        entropy_plus_kl.append(bernoulli_entropy(p_hat) + bernoulli_kl(p_hat, float(theta)))
    return np.array(mean_nll), np.array(cross_entropy), np.array(entropy_plus_kl)


theta_grid = np.linspace(0.005, 0.995, 199)
curves = likelihood_curves(PARAMS["flips"], theta_grid)
values = list(curves[1])
theta_best = float(theta_grid[values.index(min(values))])
