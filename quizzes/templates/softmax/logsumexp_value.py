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
    "tolerance": 0.01,
    "points": 1,
    "covers": ["notes.f-logsumexp", "notebook.logsumexp", "notes.m-overflow", "lesson.numerical-stability",
               "course.logsumexp-loss"],
}


def generate(rng):
    base = sm.pick(rng, [1000, -1000, 800, -800, 750])
    offsets = sm.grid_values(rng, sm.integer(rng, 3, 4), -3.0, 3.0, 0.5)
    return {"z": [base + v for v in offsets]}


def solve(params):
    return im.logsumexp(params["z"])


def distractors(params):
    z = params["z"]
    top = max(z)
    return [
        (top, mc.LSE_AS_MAX),
        (solve(params) - top, "forgot to add the maximum back"),
        (sum(z) / len(z) + math.log(len(z)), "averaged the logits and added ln K"),
    ]


def render(params):
    return (rf"Compute \(\ln\sum_i e^{{z_i}}\) for \(z = {mk.vec(params['z'])}\). (In float64, \(e^x\) overflows "
            r"for \(x\) above about 709 and underflows to 0 below about \(-745\).)")


def explain(params):
    z = params["z"]
    top = max(z)
    shifted = [round(v - top, 6) for v in z]
    inner = mk.terms(f"e^{{{mk.num(v)}}}" for v in shifted)
    worked = rf"\ln\sum_i e^{{z_i}} = m + \ln\sum_i e^{{z_i - m}} = {mk.num(top)} + \ln({inner}) = {mk.f4(solve(params))}"
    return (rf"Factor out the largest logit \(m = {mk.num(top)}\): every remaining exponent is \(\le 0\), so "
            "nothing overflows and at least one term equals 1, so nothing underflows to \\(\\ln 0\\)." + mk.dm(worked))
