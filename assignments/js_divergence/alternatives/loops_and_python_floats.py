"""Plain Python: loops over entries, math.log, lists of floats and a validation helper shared by both functions."""

# %% q1
import math


def check_pair(p, q):
    p = [float(v) for v in p]
    q = [float(v) for v in q]
    if len(p) != len(q):
        raise ValueError(f"Shape mismatch: p has {len(p)} entries and q has {len(q)}")
    for label, dist in (("p", p), ("q", q)):
        if any(v < 0 for v in dist):
            raise ValueError(f"Negative entry in {label}")
        if abs(math.fsum(dist) - 1.0) > 1e-8:
            raise ValueError(f"Entries of {label} do not sum to 1")
    return p, q


def kl_divergence(p, q):
    p, q = check_pair(p, q)
    total = 0.0
    for pi, qi in zip(p, q):
        if pi == 0:
            continue
        if qi == 0:
            return math.inf
        total += pi * math.log(pi / qi)
    return total

# %% q2
kl_pq = kl_divergence(p_two_peaks, q_one_peak)
kl_qp = kl_divergence(q_one_peak, p_two_peaks)
kl_ru = kl_divergence(list(r_with_zero), [1 / 3] * 3)
kl_ur = kl_divergence([1 / 3] * 3, list(r_with_zero))

# %% q4
def js_divergence(p, q):
    p, q = check_pair(p, q)
    m = [(pi + qi) / 2 for pi, qi in zip(p, q)]
    return (kl_divergence(p, m) + kl_divergence(q, m)) / 2

# %% q7
def symmetry_experiment(P, Q):
    out = {"js_pq": [], "js_qp": [], "kl_pq": [], "kl_qp": []}
    for p, q in zip(P, Q):
        out["js_pq"].append(js_divergence(p, q))
        out["js_qp"].append(js_divergence(q, p))
        out["kl_pq"].append(kl_divergence(p, q))
        out["kl_qp"].append(kl_divergence(q, p))
    out["max_js_gap"] = max(abs(a - b) for a, b in zip(out["js_pq"], out["js_qp"]))
    out["max_kl_gap"] = max(abs(a - b) for a, b in zip(out["kl_pq"], out["kl_qp"]))
    out["js_min"] = min(out["js_pq"])
    out["js_max"] = max(out["js_pq"])
    for key in ["js_pq", "js_qp", "kl_pq", "kl_qp"]:
        out[key] = np.array(out[key])
    return out


results = symmetry_experiment(P, Q)
print(results["max_js_gap"], results["max_kl_gap"], results["js_min"], results["js_max"])
