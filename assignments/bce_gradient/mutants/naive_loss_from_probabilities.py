"""BCE computed from probabilities, -[y log sigma + (1 - y) log(1 - sigma)]: log(0) gives inf at large |z|.

Loses: q2
"""

# %% q2
def bce_loss(y, z):
    p = np.asarray(sigmoid(z), dtype=float)
    y = np.asarray(y, dtype=float)
    value = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return float(value) if value.ndim == 0 else value
