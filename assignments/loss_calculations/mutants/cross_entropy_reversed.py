"""Cross-entropy with the distributions in the wrong roles: H(q, p) = -sum q ln p instead of -sum p ln q.

Loses: q6
"""

# %% q6
kl_pair = (sum(a * math.log(a / b) for a, b in zip(p_dist, q_dist)),
           sum(b * math.log(b / a) for a, b in zip(p_dist, q_dist)))
cross_entropy_pq = -sum(b * math.log(a) for a, b in zip(p_dist, q_dist))
