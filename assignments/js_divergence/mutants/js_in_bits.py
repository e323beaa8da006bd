"""JS in bits (log base 2, bounded by 1) instead of nats (bounded by ln 2).

Loses: q4, q7
"""

# %% q4
def js_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    m = (p + q) / 2
    return (0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)) / np.log(2)
