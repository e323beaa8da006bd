"""Derivatives taken with respect to the logit z (through the sigmoid) instead of the prediction p_hat.

Loses: q5
"""

# %% q5
grad_compare = (2 * (0.05 - 1) * 0.05 * 0.95, 0.05 - 1)
