"""SciPy: KL from scipy.special.rel_entr, JS as H(m) - (H(p) + H(q)) / 2 with scipy.stats.entropy, vectorised experiment."""

# %% q1
from scipy.special import rel_entr
from scipy.stats import entropy


def validated(p, q):
    p, q = np.asarray(p, dtype=np.float64), np.asarray(q, dtype=np.float64)
    if p.shape != q.shape:
        raise ValueError(f"SHAPE mismatch {p.shape} vs {q.shape}")
    if (p < 0).any() or (q < 0).any():
        raise ValueError("NEGATIVE entries are not probabilities")
    if np.abs(np.array([p.sum(), q.sum()]) - 1).max() > 1e-8:
        raise ValueError("each distribution must SUM to 1")
    return p, q


def kl_divergence(p, q):
    p, q = validated(p, q)
    return rel_entr(p, q).sum()

# %% q2
kl_pq = kl_divergence(np.array(PARAMS["p_two_peaks"]), np.array(PARAMS["q_one_peak"]))
kl_qp = kl_divergence(np.array(PARAMS["q_one_peak"]), np.array(PARAMS["p_two_peaks"]))
kl_ru = kl_divergence(np.array(r_with_zero), np.ones(3) / 3)
kl_ur = kl_divergence(np.ones(3) / 3, np.array(r_with_zero))

# %% q4
def js_divergence(p, q):
    p, q = validated(p, q)
    return entropy((p + q) / 2) - (entropy(p) + entropy(q)) / 2

# %% q7
def symmetry_experiment(P, Q):
    P, Q = np.asarray(P, dtype=float), np.asarray(Q, dtype=float)
    M = (P + Q) / 2
    js_pq = 0.5 * rel_entr(P, M).sum(axis=1) + 0.5 * rel_entr(Q, M).sum(axis=1)
    js_qp = 0.5 * rel_entr(Q, M).sum(axis=1) + 0.5 * rel_entr(P, M).sum(axis=1)
    kl_pq = rel_entr(P, Q).sum(axis=1)
    kl_qp = rel_entr(Q, P).sum(axis=1)
    return dict(js_pq=js_pq, js_qp=js_qp, kl_pq=kl_pq, kl_qp=kl_qp,
                max_js_gap=np.abs(js_pq - js_qp).max(), max_kl_gap=np.abs(kl_pq - kl_qp).max(),
                js_min=js_pq.min(), js_max=js_pq.max())


results = symmetry_experiment(P, Q)
