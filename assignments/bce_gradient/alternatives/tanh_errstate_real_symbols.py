"""Sigmoid via 0.5 (1 + tanh(z / 2)), overflow silenced with np.errstate, symbols re-declared with real=True."""

# %% q1
def sigmoid(z):
    return 0.5 * (1.0 + np.tanh(np.asarray(z, dtype=float) / 2.0))

# %% q2
def bce_loss(y, z):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        # log1p(e^z) is fine until e^z overflows; past that point softplus(z) equals z to float precision
        softplus = np.where(z > 30, z, np.log1p(np.exp(np.minimum(z, 30.0))))
    return softplus - np.asarray(y, dtype=float) * z

# %% q3a
y, yhat = sympy.symbols("y yhat", real=True)
dL_dyhat = sympy.together(-y / yhat + (1 - y) / (1 - yhat))

# %% q3b
dyhat_dz = sympy.expand(yhat * (1 - yhat))

# %% q3c
z = sympy.Symbol("z", real=True)
dL_dz = sympy.simplify(sympy.exp(z) / (sympy.exp(z) + 1)) - y

# %% q4
def bce_grad(y, z):
    with np.errstate(over="ignore"):
        p = 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))
    return p - y

# %% q5
def mse_grad(y, z):
    p = sigmoid(z)
    return (p - y) * (p - p * p)

# %% q6
gradient_ratio = float(abs(bce_grad(1, -5.0) / mse_grad(1, -5.0)))
