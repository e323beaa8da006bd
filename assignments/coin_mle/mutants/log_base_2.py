"""Log base 2 instead of the natural log: the log-likelihood is in bits, not nats.

Loses: q2, q5, q9
"""

# %% q2
def log_likelihood(theta, n_heads, n_tails):
    theta = np.asarray(theta, dtype=float)
    with np.errstate(divide="ignore"):
        heads = n_heads * np.log2(theta) if n_heads > 0 else np.zeros_like(theta)
        tails = n_tails * np.log2(1 - theta) if n_tails > 0 else np.zeros_like(theta)
    value = heads + tails
    return float(value) if value.ndim == 0 else value
