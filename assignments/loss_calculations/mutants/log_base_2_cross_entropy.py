"""Log base 2 in the cross-entropy: the loss and its gradient come out in bits, not nats.

Loses: q2a, q2b
"""

# %% q2a
ce_loss = math.log2(sum(math.exp(v) for v in logits)) - logits[true_class] / math.log(2)

# %% q2b
total = sum(math.exp(v) for v in logits)
ce_grad = [(math.exp(v) / total - (c == true_class)) / math.log(2) for c, v in enumerate(logits)]
