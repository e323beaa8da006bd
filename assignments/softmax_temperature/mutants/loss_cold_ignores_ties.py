"""Ties ignored in the loss: the cold limit is 0 for every maximiser instead of ln m for m tied maxima.

Loses: q4
"""

# %% q4
import math


def loss_limits(z, k):
    z = np.asarray(z, dtype=float)
    cold = 0.0 if z[k] == np.max(z) else math.inf
    return cold, math.log(z.size)
