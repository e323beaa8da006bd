"""The hot limit given as the limit probability 1/K instead of the loss -ln(1/K) = ln K.

Loses: q4
"""

# %% q4
import math


def loss_limits(z, k):
    z = np.asarray(z, dtype=float)
    n_max = int(np.count_nonzero(z == np.max(z)))
    cold = math.log(n_max) if z[k] == np.max(z) else math.inf
    return cold, 1.0 / z.size
