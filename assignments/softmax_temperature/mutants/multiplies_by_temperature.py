"""Temperature multiplies the logits instead of dividing them: softmax(z * T), so small T flattens the distribution.

Loses: q1
"""

# %% q1
def softmax(z, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    z = np.asarray(z, dtype=float) * temperature
    weights = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return weights / np.sum(weights, axis=-1, keepdims=True)
