"""Softmax without subtracting the maximum: e^(z/T) overflows to inf (NaN after inf / inf) at small T or large logits.

Loses: q1
"""

# %% q1
def softmax(z, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    weights = np.exp(np.asarray(z, dtype=float) / temperature)
    return weights / np.sum(weights, axis=-1, keepdims=True)
