"""sigma'(z) left in terms of z, e^-z / (1 + e^-z)^2, instead of being written through yhat.

Loses: q3b
"""

# %% q3b
dyhat_dz = sympy.exp(-z) / (1 + sympy.exp(-z)) ** 2
