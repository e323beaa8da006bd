"""JS from the raw formula without the 0 ln 0 = 0 convention: zeros in p or q give NaN.

Loses: q4
"""

# %% q4
def js_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    m = (p + q) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(0.5 * np.sum(p * np.log(p / m)) + 0.5 * np.sum(q * np.log(q / m)))
