"""Label smoothing adds alpha/K to the one-hot target without scaling it by (1 - alpha): it sums to 1 + alpha.

Loses: q7
"""

# %% q7
label_smoothing_target = [(c == true_class) + alpha / num_classes for c in range(num_classes)]
