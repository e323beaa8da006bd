"""BCE written without its leading minus sign, so every loss value is negative.

Loses: q4
"""

# %% q4
bce_values = [math.log(p_hat) for p_hat in bce_probs]
