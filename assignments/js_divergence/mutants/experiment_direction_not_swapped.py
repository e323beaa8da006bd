"""The reverse direction is never computed: kl_qp and js_qp repeat KL(p||q) and JS(p, q), so the KL gap is 0.

Loses: q7
"""

# %% q7
def symmetry_experiment(P, Q):
    js_pq = np.array([js_divergence(p, q) for p, q in zip(P, Q)])
    kl_pq = np.array([kl_divergence(p, q) for p, q in zip(P, Q)])
    js_qp, kl_qp = js_pq.copy(), kl_pq.copy()
    return {"js_pq": js_pq, "js_qp": js_qp, "kl_pq": kl_pq, "kl_qp": kl_qp,
            "max_js_gap": float(np.max(np.abs(js_pq - js_qp))), "max_kl_gap": float(np.max(np.abs(kl_pq - kl_qp))),
            "js_min": float(js_pq.min()), "js_max": float(js_pq.max())}


results = symmetry_experiment(P, Q)
