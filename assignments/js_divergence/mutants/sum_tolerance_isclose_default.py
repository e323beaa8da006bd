"""Sum checked with np.isclose's default tolerance (about 1e-5), so sums off by 1e-6 are wrongly accepted.

Loses: q1, q4
"""

# %% q1
def as_distribution_pair(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.shape != q.shape:
        raise ValueError("p and q must have the same shape")
    for dist in (p, q):
        if (dist < 0).any():
            raise ValueError("negative entry")
        if not np.isclose(dist.sum(), 1.0):
            raise ValueError("entries must sum to 1")
    return p, q


def kl_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    support = p > 0
    if np.any(q[support] == 0):
        return float("inf")
    return float(np.sum(p[support] * np.log(p[support] / q[support])))
