"""No input validation: theta_mle divides by zero or accepts negative counts instead of raising ValueError.

Loses: q3
"""

# %% q3
def theta_mle(n_heads, n_tails):
    total = n_heads + n_tails
    return n_heads / total if total else 0.5
