"""Log-sum-exp computed directly: e^(about 1000) overflows to infinity, so the result is inf.

Loses: q8
"""

# %% q8
with np.errstate(over="ignore"):
    lse = float(np.log(np.sum(np.exp(np.array(big_logits)))))
