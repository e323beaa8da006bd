"""Checked with numpy: vectorised formulas, numpy arrays and np.float64 values throughout (the ranking a list of str)."""

# %% q1a
from fractions import Fraction

dists = {"a": dist_a, "b": dist_b, "c": dist_c, "d": dist_d}
entropies = {}
for key, dist in dists.items():
    probs = np.array([float(Fraction(e)) for e in dist], dtype=np.float64)
    entropies[key] = -np.sum(probs * np.log(np.where(probs > 0, probs, 1.0)))

# %% q1b
entropy_ranking = [str(key) for key in np.array(list(entropies))[np.argsort(list(entropies.values()))]]

# %% q2a
z = np.array(logits)
log_probs = z - z.max() - np.log(np.exp(z - z.max()).sum())
ce_loss = -log_probs[true_class]

# %% q2b
ce_grad = np.exp(log_probs) - np.eye(3)[true_class]

# %% q3
perplexity = np.exp(np.float64(avg_ce))

# %% q4
p_hat = np.array(bce_probs)
bce_values = -(1 * np.log(p_hat) + 0 * np.log1p(-p_hat))

# %% q5
grad_compare = np.array([2 * (wrong_p - 1), -1 / wrong_p + 0 / (1 - wrong_p)])

# %% q6
p_arr = np.array(p_dist)
q_arr = np.array(q_dist)
kl_pair = np.array([np.sum(p_arr * np.log(p_arr / q_arr)), np.sum(q_arr * np.log(q_arr / p_arr))])
cross_entropy_pq = -np.dot(p_arr, np.log(q_arr))

# %% q7
label_smoothing_target = (1 - alpha) * np.eye(num_classes)[true_class] + alpha / num_classes

# %% q8
z_big = np.array(big_logits)
lse = np.logaddexp.reduce(z_big)

# %% q2c
def ce_grad_fd(z, y, h=1e-5):
    z = np.asarray(z, dtype=np.float64)
    steps = h * np.eye(z.size)
    shifted = np.concatenate([z + steps, z - steps])          # one row of logits per evaluation
    top = shifted.max(axis=1, keepdims=True)
    losses = (top[:, 0] + np.log(np.exp(shifted - top).sum(axis=1))) - shifted[:, y]
    return (losses[:z.size] - losses[z.size:]) / (2 * h)


ce_grad_check = ce_grad_fd(np.array(logits), true_class)
