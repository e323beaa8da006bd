"""Mixture not halved: m = p + q instead of (p + q) / 2, which gives JS - ln 2 (negative).

Loses: q4, q7
"""

# %% q4
def js_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    m = p + q
    total = 0.0
    for dist in (p, q):
        keep = dist > 0
        total += 0.5 * np.sum(dist[keep] * np.log(dist[keep] / m[keep]))
    return float(total)
