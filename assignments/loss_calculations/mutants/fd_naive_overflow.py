"""The loss inside the finite difference computed without the max shift: e^1000 overflows to inf.

Loses: q2c
"""

# %% q2c
def ce_grad_fd(z, y, h=1e-5):
    z = np.asarray(z, dtype=float)

    def loss(logits):
        with np.errstate(over="ignore", invalid="ignore"):
            return np.log(np.exp(logits).sum()) - logits[y]

    return np.array([(loss(z + h * e) - loss(z - h * e)) / (2 * h) for e in np.eye(z.size)])


ce_grad_check = ce_grad_fd(logits, true_class)
