"""Hand-worked with more care: numbers rounded to 6 decimals, tuples and lists mixed.

Each value is written as round(exact, 6) of the student's own parameters, so the file holds for every variant.
"""

# %% q1a
from fractions import Fraction


def entropy_of(dist):
    return -sum(float(Fraction(e)) * math.log(float(Fraction(e))) for e in dist if Fraction(e) > 0)


exact_entropies = {"a": entropy_of(dist_a), "b": entropy_of(dist_b), "c": entropy_of(dist_c), "d": entropy_of(dist_d)}
entropies = {key: round(value, 6) for key, value in exact_entropies.items()}

# %% q1b
entropy_ranking = tuple(sorted(exact_entropies, key=exact_entropies.get))

# %% q2a
total = sum(math.exp(v - logits[true_class]) for v in logits)
ce_loss = round(math.log(total), 6)

# %% q2b
total = sum(math.exp(v - logits[true_class]) for v in logits)
ce_grad = tuple([round(math.exp(v - logits[true_class]) / total - (c == true_class), 6) for c, v in enumerate(logits)])

# %% q3
perplexity = round(math.exp(avg_ce), 6)

# %% q4
bce_values = tuple(round(-math.log(p_hat), 6) for p_hat in bce_probs)

# %% q5
grad_compare = [round(2 * (wrong_p - 1), 6), round(-1 / wrong_p, 6)]

# %% q6
kl_pair = [round(sum(a * math.log(a / b) for a, b in zip(p_dist, q_dist)), 6),
           round(sum(b * math.log(b / a) for a, b in zip(p_dist, q_dist)), 6)]
cross_entropy_pq = round(-sum(a * math.log(b) for a, b in zip(p_dist, q_dist)), 6)

# %% q7
label_smoothing_target = tuple([round((1 - alpha) * (c == true_class) + alpha / num_classes, 6) for c in range(num_classes)])

# %% q8
top = max(big_logits)
lse = round(top + math.log(sum(math.exp(v - top) for v in big_logits)), 6)
