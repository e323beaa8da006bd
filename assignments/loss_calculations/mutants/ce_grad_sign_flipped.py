"""Gradient sign flipped: one-hot target minus softmax instead of softmax minus target.

Loses: q2b
"""

# %% q2b
total = sum(math.exp(v) for v in logits)
ce_grad = [(c == true_class) - math.exp(v) / total for c, v in enumerate(logits)]
