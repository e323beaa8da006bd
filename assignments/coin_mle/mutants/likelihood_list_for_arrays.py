"""An array theta gives a Python list of likelihoods instead of a numpy array.

Loses: q1
"""

# %% q1
def likelihood(theta, n_heads, n_tails):
    if np.ndim(theta) == 0:
        return float(theta) ** n_heads * (1.0 - float(theta)) ** n_tails
    return [float(t) ** n_heads * (1.0 - float(t)) ** n_tails for t in theta]
