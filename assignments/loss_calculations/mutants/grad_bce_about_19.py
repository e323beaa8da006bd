"""BCE derivative at p_hat = 0.05 taken as "about -19" (a demo's rounded figure) instead of exactly -1/0.05 = -20.

Loses: q5
"""

# %% q5
grad_compare = (-1.9, -19.0)
