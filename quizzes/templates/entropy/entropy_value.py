"""Entropy of a small discrete distribution, sometimes with an impossible outcome."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "entropy_value",
    "title": "Entropy of a discrete distribution",
    "topic": "entropy",
    "type": "num",
    "points": 1,
    "covers": ["chapter.entropy", "notes.f-entropy"],
}


def generate(rng):
    p = sm.distribution(rng, sm.integer(rng, 3, 5), grid=20)
    if sm.integer(rng, 0, 2) == 0:      # an impossible outcome tests the 0 log 0 = 0 convention
        p.insert(sm.integer(rng, 0, len(p)), 0.0)
    return {"p": p, "unit": sm.pick(rng, ["nats", "bits"])}


def solve(params):
    return im.in_unit(im.entropy(params["p"]), params["unit"])


def distractors(params):
    p, unit = params["p"], params["unit"]
    h = im.entropy(p)
    unweighted = -sum(math.log(x) for x in p if x > 0)
    return [
        mc.in_wrong_unit(h, unit),
        (-im.in_unit(h, unit), mc.SIGN),
        (im.in_unit(unweighted, unit), "dropped the p_i weights (summed -log p_i)"),
    ]


def render(params):
    p = params["p"]
    return (f"A random variable takes {len(p)} values with probabilities {mk.m('p = ' + mk.vec(p))}. "
            f"Compute its entropy {mk.m('H(p)')} in {params['unit']}.")


def explain(params):
    p, unit = params["p"], params["unit"]
    h = im.entropy(p)
    worked = rf"H(p) = -({mk.p_log_terms(p, p)}) = {mk.f4(h)}\text{{ nats}}"
    text = (r"\(H(p) = -\sum_i p_i \ln p_i\), where a zero probability contributes nothing "
            r"(\(0 \ln 0 = 0\), the limit of \(x \ln x\))." + mk.dm(worked))
    if unit == "bits":
        text += rf"In bits, divide by \(\ln 2\): \({mk.f4(h)} / \ln 2 = {mk.f4(h / im.LN2)}\) bits."
    return text
