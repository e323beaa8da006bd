"""Derivatives typed as Python strings instead of SymPy expressions.

Loses: q3a, q3b, q3c
"""

# %% q3a
dL_dyhat = "-y/yhat + (1 - y)/(1 - yhat)"

# %% q3b
dyhat_dz = "yhat*(1 - yhat)"

# %% q3c
dL_dz = "1/(1 + exp(-z)) - y"
