"""Sum compared with 1 exactly (sum(p) != 1) instead of within 1e-8: valid, nearly normalised inputs are rejected.

Loses: q1, q4, q7
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
        if dist.sum() != 1:
            raise ValueError("entries must sum to 1")
    return p, q


def kl_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    support = p > 0
    if np.any(q[support] == 0):
        return float("inf")
    return float(np.sum(p[support] * np.log(p[support] / q[support])))
