"""Only T == 0 is rejected: a negative temperature is accepted and silently reverses the order of the classes.

Loses: q1
"""

# %% q1
def softmax(z, temperature=1.0):
    if temperature == 0:
        raise ValueError("temperature must not be zero")
    z = np.asarray(z, dtype=float) / temperature
    weights = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return weights / np.sum(weights, axis=-1, keepdims=True)
