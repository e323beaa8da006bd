"""A model that gives probability 0 to an outcome that happens: the divergence is infinite."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "support_mismatch",
    "title": "Zero probability where the data has mass",
    "topic": "cross_entropy",
    "type": "single",
    "choices": 4,
    "tolerance": 0.01,
    "points": 1,
    "covers": ["notes.m-zero-probability", "notebook.support", "chapter.kl"],
}

INFINITE = "inf"
EPSILON = 1e-12


def generate(rng):
    k = sm.integer(rng, 3, 4)
    p = sm.distribution(rng, k, floor=2)
    zero = sm.integer(rng, 0, k - 1)
    rest = sm.distribution(rng, k - 1, floor=2)
    q = rest[:zero] + [0.0] + rest[zero:]
    return {"p": p, "q": q, "quantity": sm.pick(rng, ["kl", "ce"])}


def _value(params, q):
    p = params["p"]
    return im.kl(p, q) if params["quantity"] == "kl" else im.cross_entropy(p, q)


def solve(params):
    return INFINITE if math.isinf(_value(params, params["q"])) else _value(params, params["q"])


def distractors(params):
    p, q = params["p"], params["q"]
    kept = [i for i, v in enumerate(q) if v > 0]
    skipped = _value({**params, "p": [p[i] for i in kept]}, [q[i] for i in kept])
    clipped = _value(params, [max(v, EPSILON) for v in q])
    if params["quantity"] == "kl":
        swapped, tag = im.kl(q, p), mc.KL_SWAPPED
    else:
        swapped, tag = im.cross_entropy(q, p), mc.CE_SWAPPED
    return [
        (skipped, "skipped the term where q is 0"),
        (clipped, "clipped q to 1e-12 and reported the finite result"),
        (swapped, tag),
    ]


def choice_text(value, params):
    return r"\(+\infty\)" if value == INFINITE else mk.fixed(value, 3)


def _symbol(params):
    return r"D_{\mathrm{KL}}(p\,\|\,q)" if params["quantity"] == "kl" else "H(p, q)"


def render(params):
    return (rf"Data follow \(p = {mk.vec(params['p'])}\) and a model predicts \(q = {mk.vec(params['q'])}\). "
            rf"What is \({_symbol(params)}\) in nats?")


def explain(params):
    p, q = params["p"], params["q"]
    j = q.index(0.0)
    return (rf"Outcome {j + 1} has \(p_{{{j + 1}}} = {mk.num(p[j])} > 0\) but \(q_{{{j + 1}}} = 0\): its term "
            rf"contains \(-{mk.num(p[j])}\ln 0 = +\infty\), so \({_symbol(params)} = +\infty\). The model "
            "declares impossible something that happens. Skipping the term or clipping \\(q\\) to a tiny "
            "number hides this (clipping gives a large number that depends mostly on the chosen clip). The reverse "
            "direction stays finite: \\(p\\) is positive on every outcome, so \\(q\\) never puts mass where "
            "\\(p\\) has none.")
