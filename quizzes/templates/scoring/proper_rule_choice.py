"""Which announced forecast minimises the expected score? Proper rules reward honesty; the linear score does not."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "proper_rule_choice",
    "title": "Proper and improper scoring rules",
    "topic": "scoring",
    "type": "single",
    "choices": 4,
    "points": 2,
    "covers": ["course.proper-scoring", "notebook.proper-scoring"],
}

INFINITY = r"+\infty"
RULES = {
    "log": r"the log loss \(-\ln q_y\)",
    "brier": r"the Brier score \(\sum_k (q_k - [k = y])^2\)",
    "linear": r"the linear loss \(1 - q_y\)",
}


def generate(rng):
    p = sm.distribution(rng, 3, grid=20, floor=2, concentration=2.0)
    squared = [v * v for v in p]
    top = p.index(max(p))
    return {"rule": sm.pick(rng, ["log", "brier", "linear"]), "p": p,
            "sharp": sm.rounded_distribution(squared), "certain": [1.0 if i == top else 0.0 for i in range(3)]}


def degenerate(params):
    p = params["p"]
    if sorted(p)[-1] - sorted(p)[-2] < 0.1:
        return "no clear most likely outcome"
    if params["sharp"] in (p, params["certain"]):
        return "the sharpened forecast coincides with another option"
    return None


def solve(params):
    return params["certain"] if params["rule"] == "linear" else params["p"]


def distractors(params):
    uniform = [1 / 3] * 3
    if params["rule"] == "linear":
        return [
            (params["p"], "assumed every scoring rule rewards honesty (the linear loss is improper)"),
            (params["sharp"], "sharpened the forecast but stopped short of certainty"),
            (uniform, "hedged toward the uniform forecast"),
        ]
    return [
        (params["certain"], "put all probability on the likeliest outcome (pays only under an improper rule)"),
        (params["sharp"], "exaggerated the forecast toward the likeliest outcome"),
        (uniform, "hedged toward the uniform forecast"),
    ]


def choice_text(value, params):
    return mk.m(mk.vec(value))


def render(params):
    return (rf"Outcomes 1, 2, 3 occur with probabilities \(p = {mk.vec(params['p'])}\), known to the forecaster. "
            f"Forecasts \\(q\\) are scored with {RULES[params['rule']]} when outcome \\(y\\) happens (lower is "
            "better). Which announced forecast has the lowest expected score?")


def _expected(rule, p, q):
    """Expected loss of announcing q when outcomes follow p."""
    if rule == "log":
        return im.cross_entropy(p, q)       # infinite when q rules out an outcome that can happen
    if rule == "brier":
        return sum(a * sum((b - (1.0 if k == y else 0.0)) ** 2 for k, b in enumerate(q)) for y, a in enumerate(p))
    return sum(a * (1 - q[y]) for y, a in enumerate(p))


def explain(params):
    rule, p = params["rule"], params["p"]
    options = [params["p"], params["sharp"], params["certain"], [1 / 3] * 3]
    scores = [_expected(rule, p, q) for q in options]
    shown = [INFINITY if math.isinf(v) else mk.f4(v) for v in scores]
    lines = [rf"\({mk.vec(q)}\): \({v}\)" for q, v in zip(options, shown)]
    if rule == "linear":
        why = (r"The expected linear loss is \(1 - \sum_k p_k q_k\), linear in \(q\), so it is minimised at a "
               "corner of the simplex: all probability on the likeliest outcome. The rule is improper: it "
               "punishes honest uncertainty.")
    else:
        why = ("The rule is strictly proper: its expected value under \\(p\\) is minimised only by announcing "
               "\\(q = p\\). For the log loss the excess is \\(D_{\\mathrm{KL}}(p\\,\\|\\,q)\\); for the Brier "
               "score it is \\(\\sum_k (q_k - p_k)^2\\). Sharpening, hedging or certainty all cost extra.")
    return "Expected score of each forecast:\n\n" + mk.bullet_list(lines) + "\n\n" + why
