"""Every tied maximum gets probability 1: the limit is not divided by the number m of tied maxima.

Loses: q2
"""

# %% q2
def softmax_limit(z):
    z = np.asarray(z, dtype=float)
    return (z == np.max(z)).astype(float)
