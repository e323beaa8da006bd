"""Inner minus sign lost when differentiating 1/(1 + e^-z): sigma' written as -yhat (1 - yhat).

Loses: q3b
"""

# %% q3b
dyhat_dz = -yhat * (1 - yhat)
