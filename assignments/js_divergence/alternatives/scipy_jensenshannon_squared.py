"""JS as the square of scipy.spatial.distance.jensenshannon (the JS distance), KL with np.where and errstate."""

# %% q1
def _check(p, q):
    p = np.array(p, dtype=float)
    q = np.array(q, dtype=float)
    if np.shape(p) != np.shape(q):
        raise ValueError("p and q must have the same shape")
    if np.min(p) < 0 or np.min(q) < 0:
        raise ValueError("probabilities cannot be negative")
    if abs(np.sum(p) - 1) > 1e-8 or abs(np.sum(q) - 1) > 1e-8:
        raise ValueError("probabilities must sum to one")
    return p, q


def kl_divergence(p, q):
    p, q = _check(p, q)
    if np.any((p > 0) & (q == 0)):
        return np.inf
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0) / np.where(q > 0, q, 1.0)), 0.0)
    return np.float64(terms.sum())

# %% q4
from scipy.spatial.distance import jensenshannon


def js_divergence(p, q):
    p, q = _check(p, q)
    return float(jensenshannon(p, q) ** 2)
