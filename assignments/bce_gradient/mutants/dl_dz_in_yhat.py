"""dL/dz written as yhat - y, in terms of yhat rather than the logit z.

Loses: q3c
"""

# %% q3c
dL_dz = yhat - y
