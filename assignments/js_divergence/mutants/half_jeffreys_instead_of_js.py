"""Average of the two KL directions (KL(p||q) + KL(q||p)) / 2 used instead of KL to the mixture.

Loses: q4, q7
"""

# %% q4
def js_divergence(p, q):
    return 0.5 * kl_divergence(p, q) + 0.5 * kl_divergence(q, p)
