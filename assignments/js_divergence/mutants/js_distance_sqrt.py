"""Returns the JS distance sqrt(JS) (as scipy's jensenshannon does) instead of the JS divergence.

Loses: q4, q7
"""

# %% q4
def js_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    m = (p + q) / 2
    return float(np.sqrt(0.5 * kl_divergence(p, m) + 0.5 * kl_divergence(q, m)))
