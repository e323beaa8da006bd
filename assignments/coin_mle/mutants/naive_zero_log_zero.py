"""0 * ln 0 taken literally: h ln(theta) gives NaN at theta = 0 with no heads.

Loses: q2
"""

# %% q2
def log_likelihood(theta, n_heads, n_tails):
    theta = np.asarray(theta, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = n_heads * np.log(theta) + n_tails * np.log(1 - theta)
    return float(value) if value.ndim == 0 else value
