"""Cold and hot limits confused: the T -> 0 limit is taken to be the uniform distribution.

Loses: q2
"""

# %% q2
def softmax_limit(z):
    z = np.asarray(z, dtype=float)
    return np.full(z.shape, 1.0 / z.size)
