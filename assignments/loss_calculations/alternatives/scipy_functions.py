"""Checked with scipy's ready-made functions (entropy, softmax, logsumexp, rel_entr) and plain tuples."""

# %% q1a
from fractions import Fraction

from scipy.stats import entropy as scipy_entropy

entropies = {key: float(scipy_entropy([float(Fraction(e)) for e in dist])) for key, dist in
             {"a": dist_a, "b": dist_b, "c": dist_c, "d": dist_d}.items()}

# %% q1b
entropy_ranking = tuple(sorted("abcd", key=entropies.get))

# %% q2a
from scipy.special import logsumexp, softmax

ce_loss = float(logsumexp(logits) - logits[true_class])

# %% q2b
ce_grad = tuple(float(v) for v in softmax(logits) - np.eye(len(logits))[true_class])

# %% q3
perplexity = math.e ** avg_ce

# %% q4
bce_values = [float(-np.log(v)) for v in bce_probs]

# %% q5
grad_compare = [2 * (wrong_p - 1), -1 / wrong_p]

# %% q6
from scipy.special import rel_entr
from scipy.stats import entropy

kl_pair = (float(rel_entr(p_dist, q_dist).sum()), float(rel_entr(q_dist, p_dist).sum()))
cross_entropy_pq = float(entropy(p_dist) + entropy(p_dist, q_dist))

# %% q7
label_smoothing_target = tuple((1 - alpha) * (c == true_class) + alpha / num_classes for c in range(num_classes))

# %% q8
from scipy.special import logsumexp

lse = float(logsumexp(big_logits))

# %% q2c
from scipy.special import logsumexp


def ce_grad_fd(z, y, h=1e-5):
    def loss(logits):
        return float(logsumexp(logits)) - logits[y]

    grad = []
    for c in range(len(z)):
        up = [float(v) + (h if i == c else 0.0) for i, v in enumerate(z)]
        down = [float(v) - (h if i == c else 0.0) for i, v in enumerate(z)]
        grad.append((loss(up) - loss(down)) / (2 * h))
    return grad


ce_grad_check = tuple(ce_grad_fd(logits, true_class))
