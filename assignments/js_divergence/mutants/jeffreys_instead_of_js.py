"""Symmetrised KL (Jeffreys divergence) KL(p||q) + KL(q||p) used instead of JS: unbounded, infinite with zeros.

Loses: q4, q7
"""

# %% q4
def js_divergence(p, q):
    return kl_divergence(p, q) + kl_divergence(q, p)
