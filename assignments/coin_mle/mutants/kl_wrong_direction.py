"""KL divergence in the wrong direction: KL(Bern theta || Bern p_hat) instead of KL(Bern p_hat || Bern theta).

Loses: q8, q9
"""

# %% q8
def bernoulli_entropy(p):
    return float(-sum(w * np.log(w) for w in (p, 1.0 - p) if w > 0))


def bernoulli_cross_entropy(p, theta):
    theta = np.asarray(theta, dtype=float)
    value = -(p * np.log(theta) + (1.0 - p) * np.log1p(-theta))
    return float(value) if value.ndim == 0 else value


def bernoulli_kl(p, theta):
    theta = np.asarray(theta, dtype=float)
    with np.errstate(divide="ignore"):
        value = theta * (np.log(theta) - np.log(p)) + (1.0 - theta) * (np.log1p(-theta) - np.log1p(-p))
    return float(value) if value.ndim == 0 else value
