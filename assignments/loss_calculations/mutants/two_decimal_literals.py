"""Final answers rounded to 2 decimals instead of 4 (loses marks wherever that changes the value by more than the tolerance).

Every value is the correct one rounded to 2 decimals (round(exact, 2) of the student's own parameters). Rounding
to 2 decimals cannot be detected, and so loses nothing, where it gives the same number as rounding to 4: for the
canonical numbers the exact values (entropy (c) = 0, the derivatives -1.9 and -20, the smoothed target) and the
gradient component 0.090031, whose 4-decimal rounding is 0.0900. variant.py rejects every variant where all
values of one of the questions below are like that.

Loses: q1a, q2a, q2b, q3, q4, q6, q8
"""

# %% q1a
from fractions import Fraction


def entropy_of(dist):
    return -sum(float(Fraction(e)) * math.log(float(Fraction(e))) for e in dist if Fraction(e) > 0)


exact_entropies = {"a": entropy_of(dist_a), "b": entropy_of(dist_b), "c": entropy_of(dist_c), "d": entropy_of(dist_d)}
entropies = {key: round(value, 2) for key, value in exact_entropies.items()}

# %% q1b
entropy_ranking = sorted(exact_entropies, key=exact_entropies.get)

# %% q2a
total = sum(math.exp(v - logits[true_class]) for v in logits)
ce_loss = round(math.log(total), 2)

# %% q2b
total = sum(math.exp(v - logits[true_class]) for v in logits)
ce_grad = [round(math.exp(v - logits[true_class]) / total - (c == true_class), 2) for c, v in enumerate(logits)]

# %% q3
perplexity = round(math.exp(avg_ce), 2)

# %% q4
bce_values = [round(-math.log(p_hat), 2) for p_hat in bce_probs]

# %% q5
grad_compare = (round(2 * (wrong_p - 1), 2), round(-1 / wrong_p, 2))

# %% q6
kl_pair = (round(sum(a * math.log(a / b) for a, b in zip(p_dist, q_dist)), 2),
           round(sum(b * math.log(b / a) for a, b in zip(p_dist, q_dist)), 2))
cross_entropy_pq = round(-sum(a * math.log(b) for a, b in zip(p_dist, q_dist)), 2)

# %% q7
label_smoothing_target = [round((1 - alpha) * (c == true_class) + alpha / num_classes, 2) for c in range(num_classes)]

# %% q8
top = max(big_logits)
lse = round(top + math.log(sum(math.exp(v - top) for v in big_logits)), 2)
