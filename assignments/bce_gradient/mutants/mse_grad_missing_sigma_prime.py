"""MSE gradient taken with respect to yhat instead of z: the sigma'(z) factor is missing.

Loses: q5, q6
"""

# %% q5
def mse_grad(y, z):
    value = np.asarray(sigmoid(z), dtype=float) - np.asarray(y, dtype=float)
    return float(value) if value.ndim == 0 else value
