"""Library functions: scipy.special.expit and np.logaddexp, numpy scalars returned, other equivalent SymPy forms."""

# %% q1
from scipy.special import expit

def sigmoid(z):
    return expit(np.asarray(z, dtype=np.float64))[()]

# %% q2
def bce_loss(y, z):
    z = np.asarray(z, dtype=np.float64)
    return (np.logaddexp(0.0, z) - np.asarray(y, dtype=np.float64) * z)[()]

# %% q3a
dL_dyhat = (yhat - y) / (yhat * (1 - yhat))

# %% q3b
dyhat_dz = yhat - yhat**2

# %% q3c
dL_dz = sympy.exp(z) / (1 + sympy.exp(z)) - y

# %% q4
def bce_grad(y, z):
    return (expit(np.asarray(z, dtype=np.float64)) - np.asarray(y, dtype=np.float64))[()]

# %% q5
def mse_grad(y, z):
    p = expit(np.asarray(z, dtype=np.float64))
    return ((p - y) * p * (1 - p))[()]

# %% q6
gradient_ratio = 2 + np.exp(5.0) + np.exp(-5.0)
