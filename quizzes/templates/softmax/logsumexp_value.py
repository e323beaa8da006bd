"""Log-sum-exp of logits far too large (or small) for a naive exp."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "logsumexp_value",
    "title": "Log-sum-exp of large logits",
    "topic": "softmax",
    "type": "num",
    "points": 1,
    "covers": ["notes.f-logsumexp", "notebook.logsumexp", "notes.m-overflow", "lesson.numerical-stability",
               "course.logsumexp-loss"],
}


def generate(rng):
    base = sm.pick(rng, [1000, -1000, 800, -800, 750])
    offsets = sm.grid_values(rng, sm.integer(rng, 3, 4), -3.0, 3.0, 0.5)
    return {"base": base, "z": [base + v for v in offsets]}


# The answer is asked relative to the shown base b: near |z| = 1000, rounding log-sum-exp itself to the
# 3 figures the tolerance policy accepts gives the largest logit, the very slip the question is about.
def _lse(params):
    return im.logsumexp(params["z"])


def solve(params):
    return _lse(params) - params["base"]


def distractors(params):
    z, base = params["z"], params["base"]
    top = max(z)
    return [
        (top - base, mc.LSE_AS_MAX),
        (_lse(params) - top, "forgot to add the maximum back"),
        (sum(z) / len(z) + math.log(len(z)) - base, "averaged the logits and added ln K"),
    ]


def render(params):
    b = mk.num(params["base"])
    return (rf"Let \(L = \ln\sum_i e^{{z_i}}\) for \(z = {mk.vec(params['z'])}\). (In float64, \(e^x\) overflows "
            r"for \(x\) above about 709 and underflows to 0 below about \(-745\).) "
            rf"Give \(L - ({b})\), the amount by which \(L\) exceeds {b}.")


def explain(params):
    z, base = params["z"], params["base"]
    top = max(z)
    shifted = [round(v - top, 6) for v in z]
    inner = mk.terms(f"e^{{{mk.num(v)}}}" for v in shifted)
    worked = rf"L = \ln\sum_i e^{{z_i}} = m + \ln\sum_i e^{{z_i - m}} = {mk.num(top)} + \ln({inner}) = {mk.f4(_lse(params))}"
    return (rf"Factor out the largest logit \(m = {mk.num(top)}\): every remaining exponent is \(\le 0\), so "
            "nothing overflows and at least one term equals 1, so nothing underflows to \\(\\ln 0\\)." + mk.dm(worked)
            + rf"So \(L - ({mk.num(base)}) = {mk.f4(solve(params))}\).")
