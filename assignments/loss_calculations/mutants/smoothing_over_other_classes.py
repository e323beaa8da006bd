"""Label smoothing spreads alpha over the K - 1 wrong classes only (true class 1 - alpha), not the stated alpha/K convention.

Loses: q7
"""

# %% q7
label_smoothing_target = [1 - alpha if c == true_class else alpha / (num_classes - 1) for c in range(num_classes)]
