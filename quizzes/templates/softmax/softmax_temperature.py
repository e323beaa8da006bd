"""One probability of a temperature-scaled softmax."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "softmax_temperature",
    "title": "Softmax with temperature",
    "topic": "softmax",
    "type": "num",
    "points": 1,
    "covers": ["chapter.softmax-temperature", "lesson.temperature-uses", "notes.f-softmax", "lesson.softmax-ce"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    return {"z": sm.grid_values(rng, k, -2.0, 3.0, 0.5), "T": sm.pick(rng, [0.25, 0.5, 2.0, 3.0, 5.0]),
            "k": sm.integer(rng, 0, k - 1)}


def solve(params):
    return im.softmax(params["z"], params["T"])[params["k"]]


def distractors(params):
    z, t, k = params["z"], params["T"], params["k"]
    numerator_only = math.exp(z[k] / t) / sum(math.exp(v) for v in z)
    return [
        (im.softmax(z)[k], mc.NO_TEMPERATURE),
        (im.softmax([v * t for v in z])[k], mc.TIMES_T),
        (numerator_only, "divided by T in the numerator only"),
    ]


def render(params):
    return (rf"Compute \(\mathrm{{softmax}}(z/T)_{{{params['k'] + 1}}} = e^{{z_{{{params['k'] + 1}}}/T}} / "
            rf"\sum_j e^{{z_j/T}}\) for logits \(z = {mk.vec(params['z'])}\) at temperature "
            rf"\(T = {mk.num(params['T'])}\).")


def explain(params):
    z, t, k = params["z"], params["T"], params["k"]
    scaled = [v / t for v in z]
    worked = (rf"z/T = {mk.vec([round(v, 4) for v in scaled])},\qquad "
              rf"\frac{{e^{{{mk.num(round(scaled[k], 4))}}}}}{{{mk.terms(f'e^{{{mk.num(round(v, 4))}}}' for v in scaled)}}} "
              rf"= {mk.f4(solve(params))}")
    trend = "sharper than" if t < 1 else "flatter than"
    return ("Divide every logit by \\(T\\) first, then apply the ordinary softmax:" + mk.dm(worked)
            + rf"With \(T = {mk.num(t)}\) the distribution is {trend} the plain softmax, where this probability "
              rf"is {mk.f4(im.softmax(z)[k])}.")
