"""Log base 2 in the cross-entropy: the loss and its gradient come out in bits, not nats.

Loses: q2a, q2b
"""

# %% q2a
ce_loss = math.log2(math.exp(2) + math.exp(1) + math.exp(3)) - 3 / math.log(2)

# %% q2b
total = math.exp(2) + math.exp(1) + math.exp(3)
ce_grad = [math.exp(2) / total / math.log(2), math.exp(1) / total / math.log(2),
           (math.exp(3) / total - 1) / math.log(2)]
