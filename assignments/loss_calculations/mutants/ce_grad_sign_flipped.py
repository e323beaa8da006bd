"""Gradient sign flipped: one-hot target minus softmax instead of softmax minus target.

Loses: q2b
"""

# %% q2b
total = 1 + math.exp(-1) + math.exp(-2)
ce_grad = [-math.exp(-1) / total, -math.exp(-2) / total, 1 - 1 / total]
