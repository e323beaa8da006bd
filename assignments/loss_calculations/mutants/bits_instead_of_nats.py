"""Entropy, BCE and KL computed with log base 2 (bits) although the unit asks for nats.

Loses: q1a, q4, q6
"""

# %% q1a
entropies = {"a": 1.75, "b": 2.0, "c": 0.0, "d": (2 / 3) * math.log2(3) + (1 / 3) * math.log2(6)}

# %% q4
bce_values = [-math.log2(0.9), 1.0, -math.log2(0.05)]

# %% q6
kl_pair = (0.7 * math.log2(0.7 / 0.5) + 0.2 * math.log2(0.2 / 0.3) + 0.1 * math.log2(0.1 / 0.2),
           0.5 * math.log2(0.5 / 0.7) + 0.3 * math.log2(0.3 / 0.2) + 0.2 * math.log2(0.2 / 0.1))
cross_entropy_pq = -(0.7 * math.log2(0.5) + 0.2 * math.log2(0.3) + 0.1 * math.log2(0.2))
