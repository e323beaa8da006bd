"""ValueError raised for invalid input, but with a message that does not say which condition failed.

Loses: q1, q4
"""

# %% q1
def as_distribution_pair(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape or (p < 0).any() or (q < 0).any() \
            or abs(p.sum() - 1) > 1e-8 or abs(q.sum() - 1) > 1e-8:
        raise ValueError("invalid input")
    return p, q


def kl_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    support = p > 0
    if np.any(q[support] == 0):
        return float("inf")
    return float(np.sum(p[support] * np.log(p[support] / q[support])))
