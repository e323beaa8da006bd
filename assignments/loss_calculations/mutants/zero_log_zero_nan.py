"""0 ln 0 taken literally: the entropy of (1, 0, 0, 0) comes out as NaN instead of 0.

Loses: q1a
"""

# %% q1a
with np.errstate(divide="ignore", invalid="ignore"):
    p = np.array([1.0, 0.0, 0.0, 0.0])
    c = float(-np.sum(p * np.log(p)))
entropies = {"a": 1.2130, "b": 1.3863, "c": c, "d": 1.3297}
