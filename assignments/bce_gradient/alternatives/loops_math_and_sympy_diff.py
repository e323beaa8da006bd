"""Loops over plain Python floats with math, and every SymPy step obtained with sympy.diff, left unsimplified."""

# %% q1
import math

def _sigmoid_one(t):
    if t >= 0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)

def sigmoid(z):
    if np.ndim(z) == 0:
        return _sigmoid_one(float(z))
    flat = [_sigmoid_one(float(t)) for t in np.ravel(z)]
    return np.array(flat).reshape(np.shape(z))

# %% q2
def _bce_one(label, t):
    return max(t, 0.0) - label * t + math.log1p(math.exp(-abs(t)))

def bce_loss(y, z):
    if np.ndim(y) == 0 and np.ndim(z) == 0:
        return _bce_one(float(y), float(z))
    ys, zs = np.broadcast_arrays(np.asarray(y, dtype=float), np.asarray(z, dtype=float))
    return np.array([_bce_one(a, b) for a, b in zip(ys.ravel(), zs.ravel())]).reshape(zs.shape)

# %% q3a
loss = -(y * sympy.log(yhat) + (1 - y) * sympy.log(1 - yhat))
dL_dyhat = sympy.diff(loss, yhat)

# %% q3b
# the sigmoid is the inverse of the logit ln(yhat / (1 - yhat)), so its derivative is 1 / (d logit / d yhat)
dyhat_dz = 1 / sympy.diff(sympy.log(yhat / (1 - yhat)), yhat)

# %% q3c
dL_dz = sympy.diff(loss.subs(yhat, 1 / (1 + sympy.exp(-z))), z)

# %% q4
def bce_grad(y, z):
    if np.ndim(y) == 0 and np.ndim(z) == 0:
        return sigmoid(float(z)) - float(y)
    ys, zs = np.broadcast_arrays(np.asarray(y, dtype=float), np.asarray(z, dtype=float))
    return np.array([sigmoid(float(b)) - a for a, b in zip(ys.ravel(), zs.ravel())]).reshape(zs.shape)

# %% q5
def mse_grad(y, z):
    if np.ndim(y) == 0 and np.ndim(z) == 0:
        p = sigmoid(float(z))
        return (p - float(y)) * p * (1.0 - p)
    ys, zs = np.broadcast_arrays(np.asarray(y, dtype=float), np.asarray(z, dtype=float))
    out = []
    for a, b in zip(ys.ravel(), zs.ravel()):
        p = sigmoid(float(b))
        out.append((p - a) * p * (1.0 - p))
    return np.array(out).reshape(zs.shape)

# %% q6
s = 1 / (1 + math.exp(5))
gradient_ratio = 1 / (s * (1 - s))
