"""Ratio taken from the probability-space demo (20 / 1.9 at yhat = 0.05) instead of dL/dz at z = -5.

Loses: q6
"""

# %% q6
gradient_ratio = 20 / 1.9
