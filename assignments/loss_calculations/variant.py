"""Each student's own numbers for loss_calculations (every question is answered with hand-worked values).

Parameters:
- ``dist_a``, ``dist_b``, ``dist_c``, ``dist_d``: Question 1a's four distributions over 4 outcomes, as lists of
  fraction strings ("1/2", "0"). One of them is always a point mass and one the uniform distribution (Question
  1b asks which must come first and last without computing); the other two come from ``OTHERS``, whose
  logarithms are multiples of ln 2 and ln 3. Which key holds which distribution, and the order of the entries,
  vary;
- ``logits``: Question 2's three logits (whole numbers, as floats), ``true_class`` (0-based) and
  ``true_class_ordinal`` ("first", "second", "third": the entry the class is, for the text). Question 7 uses the
  same true class;
- ``avg_ce``: Question 3's average cross-entropy in nats (one decimal);
- ``bce_probs``: Question 4's three predicted probabilities for the label 1, from right to confidently wrong;
- ``wrong_p``: Question 5's confidently wrong prediction for the label 1;
- ``p_dist``, ``q_dist``: Question 6's two distributions over 3 outcomes, in tenths;
- ``num_classes``, ``alpha``: Question 7's number of classes K and smoothing weight;
- ``big_logits``: Question 8's three logits near 1000 (whole numbers, as floats).

``check`` rejects a draw when
- a Question 1a list is not a distribution of 4 fractions summing to exactly 1, or the four lack a point mass
  or the uniform distribution (then Question 1b's "decide without computing" has no answer, and without a zero
  probability the 0 ln 0 = 0 convention is never tested);
- two entropies of Question 1a are within 0.01 of each other (a near-tie in the ranking of Question 1b);
- the true class does not hold the unique largest logit (a tie in the argmax; the tests and the text say that
  its probability is above 1/3), ``true_class_ordinal`` does not name it, or a logit is not a whole number;
- the loss of Question 2a is below 0.04: the largest logit is so far ahead that the 4-decimal answer keeps
  almost no significant digits (badly conditioned);
- ``avg_ce`` is not in [0.5, 4];
- ``bce_probs`` are not strictly decreasing inside (0, 1) (the public test checks that the loss grows), or
  ``wrong_p`` is not in (0, 0.2] (a confident mistake, with a zero probability under a log excluded);
- ``p_dist`` or ``q_dist`` is not in whole tenths summing to exactly 1, or has a zero entry (a log of 0 makes KL infinite);
- KL(p||q) and KL(q||p) differ by less than 0.005, as for mirror images such as p = (0.6, 0.3, 0.1),
  q = (0.3, 0.6, 0.1) (Question 6's point is that they differ, and the swapped-KL mutant would pass), or H(p, q)
  and H(q, p) differ by less than 0.005 (the reversed cross-entropy mutant would pass). In whole tenths every pair
  whose KL divergences differ by 0.005 has both at least 0.02, so neither is too small to compute by hand;
- ``num_classes`` is below 3 or not above ``true_class``, or ``alpha`` is not in (0, 0.5];
- the log-sum-exp of ``big_logits`` exceeds their maximum by less than 0.04 (the max-only mutant would be within
  a hair of the answer);
- rounding to 2 decimals is within 1.5 times the tolerance of the exact value for every value of one of the
  questions q1a, q2a, q2b, q3, q4, q6, q8 (the two-decimal mutant would keep those marks).
"""

import math
from fractions import Fraction

TOL = 6e-5  # what the hidden tests accept
ORDINALS = ("first", "second", "third")
POINT_MASS = ("1", "0", "0", "0")
UNIFORM = ("1/4", "1/4", "1/4", "1/4")
OTHERS = (
    ("1/2", "1/4", "1/8", "1/8"), ("1/3", "1/3", "1/6", "1/6"), ("1/2", "1/2", "0", "0"),
    ("1/3", "1/3", "1/3", "0"), ("1/2", "1/4", "1/4", "0"), ("1/2", "1/6", "1/6", "1/6"),
    ("3/8", "3/8", "1/8", "1/8"), ("2/3", "1/6", "1/6", "0"), ("1/2", "1/3", "1/6", "0"),
    ("2/3", "1/3", "0", "0"),
)
KEYS = ("a", "b", "c", "d")

CANONICAL = {
    "dist_a": ["1/2", "1/4", "1/8", "1/8"],
    "dist_b": ["1/4", "1/4", "1/4", "1/4"],
    "dist_c": ["1", "0", "0", "0"],
    "dist_d": ["1/3", "1/3", "1/6", "1/6"],
    "logits": [2.0, 1.0, 3.0],
    "true_class": 2,
    "true_class_ordinal": "third",
    "avg_ce": 1.5,
    "bce_probs": [0.9, 0.5, 0.05],
    "wrong_p": 0.05,
    "p_dist": [0.7, 0.2, 0.1],
    "q_dist": [0.5, 0.3, 0.2],
    "num_classes": 5,
    "alpha": 0.1,
    "big_logits": [1000.0, 1001.0, 999.0],
}


def generate(rng):
    others = rng.choice(len(OTHERS), size=2, replace=False)
    dists = [list(POINT_MASS), list(UNIFORM)] + [list(OTHERS[int(i)]) for i in others]
    params = {}
    for key, index in zip(KEYS, rng.permutation(4)):
        entries = dists[int(index)]
        params[f"dist_{key}"] = [entries[int(i)] for i in rng.permutation(4)]
    true_class = int(rng.integers(0, 3))
    top = int(rng.integers(1, 5))
    logits = [float(top - int(rng.integers(1, 4))) for _ in range(3)]
    logits[true_class] = float(top)
    params.update(logits=logits, true_class=true_class, true_class_ordinal=ORDINALS[true_class])
    params["avg_ce"] = int(rng.integers(5, 41)) / 10
    params["bce_probs"] = [int(rng.integers(12, 20)) * 5 / 100, int(rng.integers(6, 12)) * 5 / 100,
                           int(rng.integers(2, 16)) / 100]
    params["wrong_p"] = int(rng.integers(2, 21)) / 100
    for name in ("p_dist", "q_dist"):
        cuts = sorted(int(c) for c in rng.choice(range(1, 10), size=2, replace=False))
        params[name] = [cuts[0] / 10, (cuts[1] - cuts[0]) / 10, (10 - cuts[1]) / 10]
    params["num_classes"] = int(rng.integers(4, 6))
    params["alpha"] = int(rng.integers(1, 4)) / 10
    big_top = int(rng.integers(995, 1006))
    big = [float(big_top - int(rng.integers(0, 4))) for _ in range(3)]
    big[int(rng.integers(0, 3))] = float(big_top)
    params["big_logits"] = big
    return params


def _fractions(entries, name):
    if not isinstance(entries, list) or len(entries) != 4 or not all(isinstance(e, str) for e in entries):
        raise ValueError(f"{name} must be a list of 4 fraction strings such as '1/2'")
    try:
        values = [Fraction(e) for e in entries]
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{name} holds {entries!r}; each entry must be a fraction such as '1/2' or '0'") from None
    if any(v < 0 for v in values) or sum(values) != 1:
        raise ValueError(f"{name} = {entries!r} is not a distribution (entries >= 0 summing to exactly 1)")
    return values


def _entropy(values):
    return -sum(float(v) * math.log(float(v)) for v in values if v > 0)


def _tenths(values, name):
    if not isinstance(values, list) or len(values) != 3:
        raise ValueError(f"{name} must be a list of 3 probabilities")
    tenths = [round(v * 10) for v in values]
    if any(abs(v * 10 - t) > 1e-9 for v, t in zip(values, tenths)) or sum(tenths) != 10:
        raise ValueError(f"{name} = {values!r} must be whole tenths summing to exactly 1")
    if min(tenths) <= 0:
        raise ValueError(f"{name} = {values!r} has a zero entry: the log of 0 makes a KL divergence infinite")


def exact_answers(params):
    """Every value the assignment asks for, from the parameters (also used by grader_tests)."""
    z, y = params["logits"], params["true_class"]
    lse_z = max(z) + math.log(sum(math.exp(v - max(z)) for v in z))
    probs = [math.exp(v - lse_z) for v in z]
    p, q = params["p_dist"], params["q_dist"]
    K, alpha = params["num_classes"], params["alpha"]
    big = params["big_logits"]
    return {
        "entropies": {key: _entropy([Fraction(e) for e in params[f"dist_{key}"]]) for key in KEYS},
        "ce_loss": lse_z - z[y],
        "ce_grad": [probs[c] - (c == y) for c in range(3)],
        "perplexity": math.exp(params["avg_ce"]),
        "bce_values": [-math.log(v) for v in params["bce_probs"]],
        "grad_compare": (2 * (params["wrong_p"] - 1), -1 / params["wrong_p"]),
        "kl_pair": (sum(a * math.log(a / b) for a, b in zip(p, q)), sum(b * math.log(b / a) for a, b in zip(p, q))),
        "cross_entropy_pq": -sum(a * math.log(b) for a, b in zip(p, q)),
        "label_smoothing_target": [(1 - alpha) * (c == y) + alpha / K for c in range(K)],
        "lse": max(big) + math.log(sum(math.exp(v - max(big)) for v in big)),
    }


def _numbers(value):
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def check(params):
    dists = {key: _fractions(params[f"dist_{key}"], f"dist_{key}") for key in KEYS}
    shapes = [sorted(values) for values in dists.values()]
    if sorted(Fraction(e) for e in POINT_MASS) not in shapes or sorted(Fraction(e) for e in UNIFORM) not in shapes:
        raise ValueError("Question 1a needs a point mass (1, 0, 0, 0) and the uniform distribution among its four")
    entropies = sorted(_entropy(values) for values in dists.values())
    if min(b - a for a, b in zip(entropies, entropies[1:])) < 0.01:
        raise ValueError("two entropies of Question 1a are within 0.01: a near-tie in the ranking")

    z, y = params["logits"], params["true_class"]
    if len(z) != 3 or any(v != int(v) for v in z):
        raise ValueError(f"logits = {z!r} must be three whole numbers")
    if y not in (0, 1, 2) or params["true_class_ordinal"] != ORDINALS[y]:
        raise ValueError("true_class must be 0, 1 or 2 and true_class_ordinal its ordinal word")
    if sorted(z)[-2] == max(z) or z[y] != max(z):
        raise ValueError(f"logits = {z!r}: the true class {y} must hold the unique largest logit (no tie in the "
                         "argmax)")

    if not 0.5 <= params["avg_ce"] <= 4:
        raise ValueError("avg_ce must lie in [0.5, 4] nats")
    bce = params["bce_probs"]
    if len(bce) != 3 or not 0 < bce[2] < bce[1] < bce[0] < 1:
        raise ValueError(f"bce_probs = {bce!r} must be three probabilities in (0, 1), strictly decreasing")
    if not 0 < params["wrong_p"] <= 0.2:
        raise ValueError("wrong_p must lie in (0, 0.2]: a confident mistake, never 0 (a log of 0)")

    _tenths(params["p_dist"], "p_dist")
    _tenths(params["q_dist"], "q_dist")
    K, alpha = params["num_classes"], params["alpha"]
    if not isinstance(K, int) or K < 3 or K <= y:
        raise ValueError(f"num_classes = {K!r} must be an integer of at least 3, above true_class")
    if not 0 < alpha <= 0.5:
        raise ValueError(f"alpha = {alpha!r} must lie in (0, 0.5]")
    big = params["big_logits"]
    if len(big) != 3 or any(v != int(v) for v in big):
        raise ValueError(f"big_logits = {big!r} must be three whole numbers")

    answers = exact_answers(params)
    if answers["ce_loss"] < 0.04:
        raise ValueError("the loss of Question 2a is below 0.04: too few significant digits at 4 decimals")
    kl_pq, kl_qp = answers["kl_pair"]
    if abs(kl_pq - kl_qp) < 0.005:
        raise ValueError("KL(p||q) and KL(q||p) differ by less than 0.005 (mirror images): swapping them passes")
    h_qp = -sum(b * math.log(a) for a, b in zip(params["p_dist"], params["q_dist"]))
    if abs(answers["cross_entropy_pq"] - h_qp) < 0.005:
        raise ValueError("H(p, q) and H(q, p) differ by less than 0.005: the reversed cross-entropy passes")
    if answers["lse"] - max(big) < 0.04:
        raise ValueError("the log-sum-exp of big_logits is within 0.04 of their maximum: the max alone passes")
    for question, names in (("q1a", ["entropies"]), ("q2a", ["ce_loss"]), ("q2b", ["ce_grad"]),
                            ("q3", ["perplexity"]), ("q4", ["bce_values"]),
                            ("q6", ["kl_pair", "cross_entropy_pq"]), ("q8", ["lse"])):
        values = [v for name in names for v in _numbers(answers[name])]
        if all(abs(round(v, 2) - v) <= 1.5 * TOL for v in values):
            raise ValueError(f"every value of {question} rounded to 2 decimals is within the tolerance: the "
                             "two-decimal mutant keeps its marks")
