"""Gradient magnitudes reported without their signs: the loss decreases as p_hat increases, so both are negative.

Loses: q5
"""

# %% q5
grad_compare = (abs(2 * (wrong_p - 1)), abs(-1 / wrong_p))
