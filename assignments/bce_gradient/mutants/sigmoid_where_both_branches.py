"""np.where with the two textbook branches: numpy evaluates both everywhere, so exp still overflows (warnings).

Loses: q1, q4, q5
"""

# %% q1
def sigmoid(z):
    z = np.asarray(z, dtype=float)
    value = np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
    return float(value) if value.ndim == 0 else value
