"""Gradient sign flipped: bce_grad returns y - sigma(z) (the descent direction) instead of sigma(z) - y.

Loses: q4
"""

# %% q4
def bce_grad(y, z):
    value = np.asarray(y, dtype=float) - np.asarray(sigmoid(z), dtype=float)
    return float(value) if value.ndim == 0 else value
