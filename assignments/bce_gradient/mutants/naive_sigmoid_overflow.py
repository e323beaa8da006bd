"""Naive sigmoid 1 / (1 + exp(-z)): the values are right, but exp overflows with a RuntimeWarning for z << 0.

Loses: q1, q4, q5
"""

# %% q1
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    value = 1.0 / (1.0 + np.exp(-z))
    return float(value) if value.ndim == 0 else value
