"""The factors 1/2 in front of the two KL terms dropped: KL(p||m) + KL(q||m), which reaches 2 ln 2.

Loses: q4, q7
"""

# %% q4
def js_divergence(p, q):
    p, q = as_distribution_pair(p, q)
    m = (p + q) / 2
    return kl_divergence(p, m) + kl_divergence(q, m)
