"""KL arguments swapped: the pair holds (KL(q||p), KL(p||q)).

Loses: q6
"""

# %% q6
kl_pq = sum(a * math.log(a / b) for a, b in zip(p_dist, q_dist))
kl_qp = sum(b * math.log(b / a) for a, b in zip(p_dist, q_dist))
kl_pair = (kl_qp, kl_pq)
cross_entropy_pq = -sum(a * math.log(b) for a, b in zip(p_dist, q_dist))
