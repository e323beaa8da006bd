"""Ratio inverted: |MSE gradient| / |BCE gradient| instead of |BCE gradient| / |MSE gradient|.

Loses: q6
"""

# %% q6
gradient_ratio = abs(mse_grad(1, -5.0)) / abs(bce_grad(1, -5.0))
