"""sigma' not cancelled: the BCE gradient is written as (sigma - y) sigma (1 - sigma), which is the MSE gradient.

Loses: q4, q6
"""

# %% q4
def bce_grad(y, z):
    p = np.asarray(sigmoid(z), dtype=float)
    value = (p - np.asarray(y, dtype=float)) * p * (1.0 - p)
    return float(value) if value.ndim == 0 else value
