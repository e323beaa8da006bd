"""Cross-entropy confused with the entropy of p: -sum p ln p, which leaves out the KL divergence.

Loses: q6
"""

# %% q6
kl_pair = (0.7 * math.log(0.7 / 0.5) + 0.2 * math.log(0.2 / 0.3) + 0.1 * math.log(0.1 / 0.2),
           0.5 * math.log(0.5 / 0.7) + 0.3 * math.log(0.3 / 0.2) + 0.2 * math.log(0.2 / 0.1))
cross_entropy_pq = -(0.7 * math.log(0.7) + 0.2 * math.log(0.2) + 0.1 * math.log(0.1))
