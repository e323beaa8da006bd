"""Softplus computed directly as log(1 + e^z): e^z overflows to inf for z above about 709.78.

Loses: q2
"""

# %% q2
def bce_loss(y, z):
    z = np.asarray(z, dtype=float)
    value = np.log1p(np.exp(z)) - np.asarray(y, dtype=float) * z
    return float(value) if value.ndim == 0 else value
