"""Minus sign of the negative log-likelihood dropped: dL/dyhat = y/yhat - (1 - y)/(1 - yhat).

Loses: q3a
"""

# %% q3a
dL_dyhat = y / yhat - (1 - y) / (1 - yhat)
