"""Entropy, cross-entropy and KL divergence in bits (log base 2) instead of nats.

Loses: q8, q9
"""

# %% q8
def bernoulli_entropy(p):
    return float(-sum(w * np.log2(w) for w in (p, 1.0 - p) if w > 0))


def bernoulli_cross_entropy(p, theta):
    theta = np.asarray(theta, dtype=float)
    value = -(p * np.log2(theta) + (1.0 - p) * np.log2(1.0 - theta))
    return float(value) if value.ndim == 0 else value


def bernoulli_kl(p, theta):
    theta = np.asarray(theta, dtype=float)
    value = np.zeros_like(theta)
    if p > 0:
        value = value + p * np.log2(p / theta)
    if p < 1:
        value = value + (1.0 - p) * np.log2((1.0 - p) / (1.0 - theta))
    return float(value) if value.ndim == 0 else value
