"""The loss is thought to vanish as T -> 0 for every class, because the softmax becomes confident.

Loses: q4
"""

# %% q4
import math


def loss_limits(z, k):
    return 0.0, math.log(len(z))
