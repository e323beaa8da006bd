"""dL/dz left un-cancelled: (sigma(z) - y) sigma(z) (1 - sigma(z)), the squared-error gradient.

Loses: q3c
"""

# %% q3c
s = 1 / (1 + sympy.exp(-z))
dL_dz = (s - y) * s * (1 - s)
