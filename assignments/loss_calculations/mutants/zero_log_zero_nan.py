"""0 ln 0 taken literally: the entropy of a distribution with a zero probability comes out as NaN instead of finite.

Loses: q1a
"""

# %% q1a
from fractions import Fraction

entropies = {}
with np.errstate(divide="ignore", invalid="ignore"):
    for key, dist in {"a": dist_a, "b": dist_b, "c": dist_c, "d": dist_d}.items():
        p = np.array([float(Fraction(e)) for e in dist])
        entropies[key] = float(-np.sum(p * np.log(p)))
