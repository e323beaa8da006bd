"""Overflow avoided by clipping z / T to [-700, 700] instead of shifting: at small T every logit hits the clip.

Loses: q1
"""

# %% q1
def softmax(z, temperature=1.0):
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    weights = np.exp(np.clip(np.asarray(z, dtype=float) / temperature, -700.0, 700.0))
    return weights / np.sum(weights, axis=-1, keepdims=True)
