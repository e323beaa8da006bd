"""0 ln 0 taken literally in the coin entropy and KL: NaN for p = 0 or p = 1 instead of the limit 0.

Loses: q8, q9
"""

# %% q8
def bernoulli_entropy(p):
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-(p * np.log(p) + (1.0 - p) * np.log(1.0 - p)))


def bernoulli_cross_entropy(p, theta):
    theta = np.asarray(theta, dtype=float)
    value = -(p * np.log(theta) + (1.0 - p) * np.log1p(-theta))
    return float(value) if value.ndim == 0 else value


def bernoulli_kl(p, theta):
    theta = np.asarray(theta, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = p * np.log(p / theta) + (1.0 - p) * np.log((1.0 - p) / (1.0 - theta))
    return float(value) if value.ndim == 0 else value
