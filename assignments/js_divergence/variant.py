"""Each student's own distributions for js_divergence (Question 2's pairs and the experiment's random draw).

Parameters:
- ``p_two_peaks``, ``q_one_peak``: Question 2(a)'s pair over 3 outcomes, in hundredths: p has its smallest entry
  in the middle (two peaks), q its largest (one peak), and neither has a zero entry;
- ``r_with_zero``: Question 2(b)'s distribution over 3 outcomes, in hundredths, with exactly one zero entry (the
  uniform u = (1/3, 1/3, 1/3) it is compared with is the same for everyone);
- ``experiment_seed``: the seed of the cell that draws Question 7's 300 pairs of rows P, Q.

``check`` rejects a draw when
- a distribution is not whole hundredths summing to exactly 1 over 3 outcomes, or has a negative entry;
- ``p_two_peaks`` does not have its smallest entry (strictly) in the middle, or ``q_one_peak`` its largest, so the
  text's "two-peaked" and "one-peaked" would be false;
- ``p_two_peaks`` or ``q_one_peak`` has a zero entry: a zero probability under the log makes a KL of part (a)
  infinite (part (b) is where that lesson belongs);
- KL(p||q) and KL(q||p) differ by less than 0.1: part (a) is about the asymmetry, and with (nearly) equal values,
  as for a mirror-image pair, the public test's "the two directions differ" fails and the mutant that swaps the
  two values passes;
- ``r_with_zero`` does not have exactly one zero entry: without one, KL(u||r) is finite and the text's "one of the
  two is infinite" is false; with two, r is a point mass and KL(r||u) is ln 3 whatever r is;
- ``experiment_seed`` is not an integer in [1000, 9999].

The experiment cell promises strictly positive rows. Every seed keeps that promise: an entry of a Dirichlet(1, ...,
1) draw is exactly 0 only when a standard exponential draw underflows, which has probability about 1e-308, so no
check is needed (grader_tests/test_js_divergence.py checks the canonical seed's rows).
"""

import math

CANONICAL = {
    "p_two_peaks": [0.49, 0.02, 0.49],
    "q_one_peak": [0.05, 0.9, 0.05],
    "r_with_zero": [0.5, 0.5, 0.0],
    "experiment_seed": 2605,
}


def generate(rng):
    middle = int(rng.integers(1, 11))
    left = int(rng.integers(30, 100 - middle - 30 + 1))
    peak = int(rng.integers(60, 91))
    q_left = int(rng.integers(2, 100 - peak - 2 + 1))
    r_kept = int(rng.integers(10, 91))
    r = [r_kept / 100, (100 - r_kept) / 100]
    r.insert(int(rng.integers(0, 3)), 0.0)
    return {
        "p_two_peaks": [left / 100, middle / 100, (100 - middle - left) / 100],
        "q_one_peak": [q_left / 100, peak / 100, (100 - peak - q_left) / 100],
        "r_with_zero": r,
        "experiment_seed": int(rng.integers(1000, 10000)),
    }


def _hundredths(values, name):
    if not isinstance(values, list) or len(values) != 3:
        raise ValueError(f"{name} must be a list of 3 probabilities")
    whole = [round(v * 100) for v in values]
    if any(abs(v * 100 - w) > 1e-9 for v, w in zip(values, whole)) or sum(whole) != 100 or min(whole) < 0:
        raise ValueError(f"{name} = {values!r} must be whole hundredths, none negative, summing to exactly 1")
    return whole


def kl(p, q):
    """KL(p||q) in nats (infinite when q rules out an outcome p allows)."""
    if any(a > 0 and b == 0 for a, b in zip(p, q)):
        return math.inf
    return sum(a * math.log(a / b) for a, b in zip(p, q) if a > 0)


def check(params):
    p = _hundredths(params["p_two_peaks"], "p_two_peaks")
    q = _hundredths(params["q_one_peak"], "q_one_peak")
    r = _hundredths(params["r_with_zero"], "r_with_zero")
    if min(p) == 0 or min(q) == 0:
        raise ValueError("p_two_peaks and q_one_peak must have no zero entry: a log of 0 makes part (a) infinite")
    if not p[1] < min(p[0], p[2]):
        raise ValueError(f"p_two_peaks = {params['p_two_peaks']!r} must have its smallest entry in the middle")
    if not q[1] > max(q[0], q[2]):
        raise ValueError(f"q_one_peak = {params['q_one_peak']!r} must have its largest entry in the middle")
    if abs(kl(params["p_two_peaks"], params["q_one_peak"]) - kl(params["q_one_peak"], params["p_two_peaks"])) < 0.1:
        raise ValueError("KL(p||q) and KL(q||p) differ by less than 0.1 (as for a mirror-image pair): part (a) "
                         "cannot show the asymmetry")
    if r.count(0) != 1:
        raise ValueError(f"r_with_zero = {params['r_with_zero']!r} must have exactly one zero entry")
    seed = params["experiment_seed"]
    if not isinstance(seed, int) or isinstance(seed, bool) or not 1000 <= seed <= 9999:
        raise ValueError(f"experiment_seed = {seed!r} must be an integer in [1000, 9999]")
