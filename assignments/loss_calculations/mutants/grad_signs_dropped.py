"""Gradient magnitudes reported without their signs: the loss decreases as p_hat increases, so both are negative.

Loses: q5
"""

# %% q5
grad_compare = (1.9, 20.0)
