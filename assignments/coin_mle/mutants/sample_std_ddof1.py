"""Sample standard deviation (ddof=1, divide by N - 1) instead of the 1/N maximum-likelihood one.

Loses: q7
"""

# %% q7
def gaussian_mle(data):
    x = np.asarray(data, dtype=float)
    return float(x.mean()), float(x.std(ddof=1))
