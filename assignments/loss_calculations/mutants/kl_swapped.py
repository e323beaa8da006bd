"""KL arguments swapped: the pair holds (KL(q||p), KL(p||q)).

Loses: q6
"""

# %% q6
kl_pq = 0.7 * math.log(0.7 / 0.5) + 0.2 * math.log(0.2 / 0.3) + 0.1 * math.log(0.1 / 0.2)
kl_qp = 0.5 * math.log(0.5 / 0.7) + 0.3 * math.log(0.3 / 0.2) + 0.2 * math.log(0.2 / 0.1)
kl_pair = (kl_qp, kl_pq)
cross_entropy_pq = -(0.7 * math.log(0.5) + 0.2 * math.log(0.3) + 0.1 * math.log(0.2))
