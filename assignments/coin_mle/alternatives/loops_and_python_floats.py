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
theta_hat = 3 / 5

# %% q5
fig = plt.figure()
thetas = [i / 500 for i in range(1, 500)]
plt.plot(thetas, [log_likelihood(t, 3, 2) for t in thetas])
plt.scatter([theta_hat], [log_likelihood(theta_hat, 3, 2)], color="red", zorder=3)
plt.xlabel("theta")
plt.ylabel("l(theta)")

# %% q7
def gaussian_mle(data):
    values = [float(v) for v in data]
    n = len(values)
    mu = sum(values) / n
    return mu, (sum((v - mu) ** 2 for v in values) / n) ** 0.5
