"""Derivatives taken with respect to the logit z (through the sigmoid) instead of the prediction p_hat.

Loses: q5
"""

# %% q5
grad_compare = (2 * (wrong_p - 1) * wrong_p * (1 - wrong_p), wrong_p - 1)
