"""BCE derivative taken as -(1 - p_hat)/p_hat, the seed material's "about -19" at p_hat = 0.05, instead of exactly -1/p_hat (-20 there).

Loses: q5
"""

# %% q5
grad_compare = (2 * (wrong_p - 1), -(1 - wrong_p) / wrong_p)
