"""Probabilities clipped to [1e-15, 1 - 1e-15] before the log: the loss saturates near 34.5 for very wrong logits.

Loses: q2
"""

# %% q2
def bce_loss(y, z):
    eps = 1e-15
    p = np.clip(np.asarray(sigmoid(z), dtype=float), eps, 1 - eps)
    y = np.asarray(y, dtype=float)
    value = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return float(value) if value.ndim == 0 else value
