"""The softmax is returned as a Python list of probabilities instead of a numpy array of floats.

Loses: q1
"""

# %% q1
def softmax(z, temperature=1.0):
    if not temperature > 0:
        raise ValueError("temperature must be positive")
    z = np.asarray(z, dtype=float)
    shifted = (z - np.max(z, axis=-1, keepdims=True)) / temperature
    weights = np.exp(shifted)
    return (weights / np.sum(weights, axis=-1, keepdims=True)).tolist()
