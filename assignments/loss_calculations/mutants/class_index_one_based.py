"""Class index read as 1-based: "class 2" taken to be the second entry (logit 1.0) instead of the third.

Loses: q2a, q2b, q7
"""

# %% q2a
ce_loss = math.log(math.exp(2) + math.exp(1) + math.exp(3)) - 1.0

# %% q2b
total = math.exp(2) + math.exp(1) + math.exp(3)
ce_grad = [math.exp(2) / total, math.exp(1) / total - 1, math.exp(3) / total]

# %% q7
label_smoothing_target = [0.02, 0.92, 0.02, 0.02, 0.02]
