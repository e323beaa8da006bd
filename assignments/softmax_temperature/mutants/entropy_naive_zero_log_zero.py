"""0 * ln 0 taken literally: -sum p ln p gives NaN (and a warning) once probabilities underflow to 0 at small T.

Loses: q5
"""

# %% q5
def softmax_entropy(z, temperature):
    p = softmax(z, temperature)
    return float(-np.sum(p * np.log(p)))
