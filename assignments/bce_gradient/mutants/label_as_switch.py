"""Label used as a 0/1 switch (np.where(y == 1, ...)): soft labels between 0 and 1 get the y = 0 loss.

Loses: q2
"""

# %% q2
def bce_loss(y, z):
    y = np.asarray(y, dtype=float)
    z = np.asarray(z, dtype=float)
    softplus_z = np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    softplus_minus_z = np.maximum(-z, 0.0) + np.log1p(np.exp(-np.abs(z)))
    value = np.where(y == 1, softplus_minus_z, softplus_z)
    return float(value) if value.ndim == 0 else value
