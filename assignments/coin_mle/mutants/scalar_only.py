"""Written for one float only: math.pow fails on an array of thetas.

Loses: q1
"""

# %% q1
import math

def likelihood(theta, n_heads, n_tails):
    return math.pow(theta, n_heads) * math.pow(1 - theta, n_tails)
