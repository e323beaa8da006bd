"""Heads and tails swapped in the likelihood and log-likelihood: theta^t (1 - theta)^h.

Loses: q1, q2, q5, q9
"""

# %% q1
def likelihood(theta, n_heads, n_tails):
    theta = np.asarray(theta, dtype=float)
    value = theta ** n_tails * (1.0 - theta) ** n_heads
    return float(value) if value.ndim == 0 else value

# %% q2
def log_likelihood(theta, n_heads, n_tails):
    theta = np.asarray(theta, dtype=float)
    with np.errstate(divide="ignore"):
        first = n_tails * np.log(theta) if n_tails > 0 else np.zeros_like(theta)
        second = n_heads * np.log1p(-theta) if n_heads > 0 else np.zeros_like(theta)
    value = first + second
    return float(value) if value.ndim == 0 else value
