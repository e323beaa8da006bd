"""Class index read as 1-based: "class y" taken to be entry y counting from 1, the entry before the true one.

For class 0 that is index -1, which Python reads as the last entry.

Loses: q2a, q2b, q7
"""

# %% q2a
one_based = true_class - 1
ce_loss = math.log(sum(math.exp(v) for v in logits)) - logits[one_based]

# %% q2b
one_based = true_class - 1
total = sum(math.exp(v) for v in logits)
ce_grad = [math.exp(v) / total for v in logits]
ce_grad[one_based] -= 1

# %% q7
one_based = true_class - 1
label_smoothing_target = [alpha / num_classes] * num_classes
label_smoothing_target[one_based] += 1 - alpha
