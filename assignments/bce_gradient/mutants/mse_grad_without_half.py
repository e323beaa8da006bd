"""Squared error without the 1/2: the MSE gradient comes out as 2 (sigma - y) sigma (1 - sigma).

Loses: q5, q6
"""

# %% q5
def mse_grad(y, z):
    p = np.asarray(sigmoid(z), dtype=float)
    value = 2.0 * (p - np.asarray(y, dtype=float)) * p * (1.0 - p)
    return float(value) if value.ndim == 0 else value
