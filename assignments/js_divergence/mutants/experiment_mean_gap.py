"""Average asymmetry over the rows reported instead of the largest one.

Loses: q7
"""

# %% q7
def symmetry_experiment(P, Q):
    js_pq = np.array([js_divergence(p, q) for p, q in zip(P, Q)])
    js_qp = np.array([js_divergence(q, p) for p, q in zip(P, Q)])
    kl_pq = np.array([kl_divergence(p, q) for p, q in zip(P, Q)])
    kl_qp = np.array([kl_divergence(q, p) for p, q in zip(P, Q)])
    return {"js_pq": js_pq, "js_qp": js_qp, "kl_pq": kl_pq, "kl_qp": kl_qp,
            "max_js_gap": float(np.mean(np.abs(js_pq - js_qp))), "max_kl_gap": float(np.mean(np.abs(kl_pq - kl_qp))),
            "js_min": float(js_pq.min()), "js_max": float(js_pq.max())}


results = symmetry_experiment(P, Q)
