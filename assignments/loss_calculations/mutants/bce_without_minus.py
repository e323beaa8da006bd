"""BCE written without its leading minus sign, so every loss value is negative.

Loses: q4
"""

# %% q4
bce_values = [math.log(0.9), math.log(0.5), math.log(0.05)]
