"""The two directions mixed up when reading off KL: kl_pq holds KL(q||p) and kl_qp holds KL(p||q).

Loses: q2
"""

# %% q2
p_two_peaks = [0.49, 0.02, 0.49]
q_one_peak = [0.05, 0.9, 0.05]
kl_pq = kl_divergence(q_one_peak, p_two_peaks)
kl_qp = kl_divergence(p_two_peaks, q_one_peak)

r_half = [0.5, 0.5, 0.0]
u_flat = [1 / 3, 1 / 3, 1 / 3]
kl_ru = kl_divergence(u_flat, r_half)
kl_ur = kl_divergence(r_half, u_flat)
