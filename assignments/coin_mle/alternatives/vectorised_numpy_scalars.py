"""Vectorised with np.where and numpy scalars (np.float64) returned throughout."""

# %% q1
def likelihood(theta, n_heads, n_tails):
    theta = np.asarray(theta, dtype=np.float64)
    return np.power(theta, n_heads) * np.power(1.0 - theta, n_tails)

# %% q2
def log_likelihood(theta, n_heads, n_tails):
    theta = np.asarray(theta, dtype=np.float64)
    safe_theta = np.where(theta > 0, theta, 1.0)
    safe_rest = np.where(theta < 1, 1.0 - theta, 1.0)
    heads = np.where(theta > 0, n_heads * np.log(safe_theta), np.where(n_heads > 0, -np.inf, 0.0))
    tails = np.where(theta < 1, n_tails * np.log(safe_rest), np.where(n_tails > 0, -np.inf, 0.0))
    return heads + tails

# %% q3
def theta_mle(n_heads, n_tails):
    counts = np.array([n_heads, n_tails], dtype=np.float64)
    if (counts < 0).any() or counts.sum() == 0:
        raise ValueError("need non-negative counts and at least one flip")
    return counts[0] / counts.sum()

# %% q4
theta_hat = np.float64(theta_mle(PARAMS["heads"], PARAMS["tails"]))

# %% q7
def gaussian_mle(data):
    x = np.asarray(data, dtype=np.float64)
    return x.mean(), x.std(ddof=0)
