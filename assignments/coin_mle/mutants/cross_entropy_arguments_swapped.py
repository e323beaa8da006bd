"""Cross-entropy with its arguments swapped: -theta ln p - (1 - theta) ln(1 - p) instead of -p ln theta - ...

Loses: q8, q9
"""

# %% q8
def bernoulli_entropy(p):
    return float(-sum(w * np.log(w) for w in (p, 1.0 - p) if w > 0))


def bernoulli_cross_entropy(p, theta):
    theta = np.asarray(theta, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = -(theta * np.log(p) + (1.0 - theta) * np.log(1.0 - p))
    return float(value) if value.ndim == 0 else value


def bernoulli_kl(p, theta):
    theta = np.asarray(theta, dtype=float)
    value = np.zeros_like(theta)
    if p > 0:
        value = value + p * (np.log(p) - np.log(theta))
    if p < 1:
        value = value + (1.0 - p) * (np.log1p(-p) - np.log1p(-theta))
    return float(value) if value.ndim == 0 else value
