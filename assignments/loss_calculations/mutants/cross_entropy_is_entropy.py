"""Cross-entropy confused with the entropy of p: -sum p ln p, which leaves out the KL divergence.

Loses: q6
"""

# %% q6
kl_pair = (sum(a * math.log(a / b) for a, b in zip(p_dist, q_dist)),
           sum(b * math.log(b / a) for a, b in zip(p_dist, q_dist)))
cross_entropy_pq = -sum(a * math.log(a) for a in p_dist)
