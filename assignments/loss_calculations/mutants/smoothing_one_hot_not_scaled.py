"""Label smoothing adds alpha/K to the one-hot target without scaling it by (1 - alpha): it sums to 1 + alpha.

Loses: q7
"""

# %% q7
label_smoothing_target = [0.02, 0.02, 1.02, 0.02, 0.02]
