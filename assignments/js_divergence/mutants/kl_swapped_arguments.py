"""KL arguments swapped: computes KL(q||p) instead of KL(p||q).

Loses: q1, q2, q4, q7
"""

# %% q1
def as_distribution_pair(p, q):
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    if p.ndim != 1 or p.shape != q.shape:
        raise ValueError(f"shapes {p.shape} and {q.shape} differ")
    for dist in (p, q):
        if np.any(dist < 0):
            raise ValueError("negative probability")
        if not abs(dist.sum() - 1.0) <= 1e-8:
            raise ValueError("a distribution must sum to 1")
    return p, q


def kl_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    support = q > 0
    if np.any(p[support] == 0):
        return float("inf")
    return float(np.sum(q[support] * np.log(q[support] / p[support])))
