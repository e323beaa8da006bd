"""Heads and tails swapped: the estimate is the fraction of tails.

Loses: q3, q4, q5
"""

# %% q3
def theta_mle(n_heads, n_tails):
    if n_heads < 0 or n_tails < 0:
        raise ValueError("counts must be non-negative")
    if n_heads + n_tails == 0:
        raise ValueError("no flips")
    return n_tails / (n_heads + n_tails)
