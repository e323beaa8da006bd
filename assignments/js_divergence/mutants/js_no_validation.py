"""JS without input validation: computes a number for invalid p, q instead of raising ValueError.

Loses: q4
"""

# %% q4
def js_divergence(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        left = np.where(p > 0, p * np.log(p / m), 0.0)
        right = np.where(q > 0, q * np.log(q / m), 0.0)
    return float(0.5 * np.sum(left) + 0.5 * np.sum(right))
