"""Entropy, BCE and KL computed with log base 2 (bits) although the unit asks for nats.

Loses: q1a, q4, q6
"""

# %% q1a
from fractions import Fraction

entropies = {key: -sum(float(Fraction(e)) * math.log2(float(Fraction(e))) for e in dist if Fraction(e) > 0)
             for key, dist in {"a": dist_a, "b": dist_b, "c": dist_c, "d": dist_d}.items()}

# %% q4
bce_values = [-math.log2(p_hat) for p_hat in bce_probs]

# %% q6
kl_pair = (sum(a * math.log2(a / b) for a, b in zip(p_dist, q_dist)),
           sum(b * math.log2(b / a) for a, b in zip(p_dist, q_dist)))
cross_entropy_pq = -sum(a * math.log2(b) for a, b in zip(p_dist, q_dist))
