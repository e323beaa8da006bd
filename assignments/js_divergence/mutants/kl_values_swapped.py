"""The two directions mixed up when reading off KL: kl_pq holds KL(q||p) and kl_qp holds KL(p||q).

Loses: q2
"""

# %% q2
kl_pq = kl_divergence(q_one_peak, p_two_peaks)
kl_qp = kl_divergence(p_two_peaks, q_one_peak)

u_flat = [1 / 3, 1 / 3, 1 / 3]
kl_ru = kl_divergence(u_flat, r_with_zero)
kl_ur = kl_divergence(r_with_zero, u_flat)
