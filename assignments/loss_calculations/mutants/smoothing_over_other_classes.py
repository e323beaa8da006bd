"""Label smoothing spreads alpha over the K - 1 wrong classes only (true class 1 - alpha), not the stated alpha/K convention.

Loses: q7
"""

# %% q7
label_smoothing_target = [0.1 / 4, 0.1 / 4, 0.9, 0.1 / 4, 0.1 / 4]
