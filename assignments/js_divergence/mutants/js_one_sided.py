"""Only one KL term: KL(p||m) alone, which is not symmetric in p and q.

Loses: q4, q7
"""

# %% q4
def js_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    return kl_divergence(p, (p + q) / 2)
