"""No input validation: invalid distributions (wrong shape, negative entries, wrong sum) are not rejected.

Loses: q1, q4
"""

# %% q1
def as_distribution_pair(p, q):
    return np.asarray(p, dtype=float), np.asarray(q, dtype=float)


def kl_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p / q), 0.0)
    return float(np.sum(terms))
