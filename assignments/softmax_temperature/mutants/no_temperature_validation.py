"""No check of the temperature: T = 0 or T < 0 gives NaN or a reversed softmax instead of a ValueError.

Loses: q1
"""

# %% q1
def softmax(z, temperature=1.0):
    z = np.asarray(z, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = np.exp((z - np.max(z, axis=-1, keepdims=True)) / temperature)
        return weights / np.sum(weights, axis=-1, keepdims=True)
