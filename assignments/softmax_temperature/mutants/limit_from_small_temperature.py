"""The limit replaced by the softmax at a small temperature (T = 1e-8): nearly tied logits come out as ties.

Loses: q2
"""

# %% q2
def softmax_limit(z):
    return softmax(z, 1e-8)
