"""Sigmoid written for one float with math.exp and an if: fails on numpy arrays.

Loses: q1, q4, q5
"""

# %% q1
import math

def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)
