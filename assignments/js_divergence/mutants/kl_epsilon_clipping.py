"""Zeros clipped to a small epsilon: an infinite KL (q_i = 0 where p_i > 0) comes out as a large finite number.

Loses: q1, q2
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
    eps = 1e-12
    p_safe = np.clip(p, eps, None)
    q_safe = np.clip(q, eps, None)
    return float(np.sum(p * np.log(p_safe / q_safe)))
