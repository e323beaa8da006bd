"""Central difference divided by h instead of 2h: every component is twice the gradient.

Loses: q2c
"""

# %% q2c
def ce_grad_fd(z, y, h=1e-5):
    z = np.asarray(z, dtype=float)

    def loss(logits):
        top = logits.max()
        return top + np.log(np.exp(logits - top).sum()) - logits[y]

    return np.array([(loss(z + h * e) - loss(z - h * e)) / h for e in np.eye(z.size)])


ce_grad_check = ce_grad_fd(logits, true_class)
