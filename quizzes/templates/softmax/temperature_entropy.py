"""True or false: how temperature moves the entropy of a softmax."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "temperature_entropy",
    "title": "Temperature and softmax entropy",
    "topic": "softmax",
    "type": "truefalse",
    "points": 1,
    "covers": ["chapter.temperature-entropy", "lesson.temperature-uses"],
}

TEMPERATURES = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0]
NEAR = 0.05   # "close to ln K" means within this many nats
BAND = 0.02   # keep the entropy this far from the NEAR threshold so the claim is clear-cut


def generate(rng):
    k = sm.integer(rng, 3, 5)
    z = sm.grid_values(rng, k, -2.0, 3.0, 0.5)
    if sm.coin(rng):
        t1, t2 = sm.sample(rng, TEMPERATURES, 2)
        return {"family": "compare", "z": z, "T1": t1, "T2": t2}
    return {"family": "near_max", "z": z, "T1": sm.pick(rng, [0.5, 1.0, 10.0, 30.0, 100.0])}


def _h(params, t):
    return im.entropy(im.softmax(params["z"], t))


def degenerate(params):
    if params["family"] == "compare":
        if abs(_h(params, params["T1"]) - _h(params, params["T2"])) < 0.01:
            return "the two entropies are nearly equal"
        return None
    gap = math.log(len(params["z"])) - _h(params, params["T1"])
    return "entropy too close to the threshold" if abs(gap - NEAR) < BAND else None


def solve(params):
    if params["family"] == "compare":
        return _h(params, params["T1"]) > _h(params, params["T2"])
    return math.log(len(params["z"])) - _h(params, params["T1"]) < NEAR


def distractors(params):
    answer = solve(params)
    if params["family"] == "compare":
        tag = "has the effect of temperature backwards (higher T flattens, lower T sharpens)"
    elif answer:
        # the wrong answer False under-estimates the entropy: the student missed how flat softmax(z/T) already is
        tag = "under-estimated the entropy: forgot that a high temperature flattens softmax towards uniform (ln K)"
    else:
        # the wrong answer True over-estimates it: the student thinks this T already makes softmax nearly uniform
        tag = "over-estimated the entropy: thinks this temperature already makes softmax nearly uniform"
    return [(not answer, tag)]


def render(params):
    z = mk.vec(params["z"])
    if params["family"] == "compare":
        claim = (rf"\(\mathrm{{softmax}}(z/T)\) has higher entropy at \(T = {mk.num(params['T1'])}\) than at "
                 rf"\(T = {mk.num(params['T2'])}\).")
    else:
        claim = (rf"at \(T = {mk.num(params['T1'])}\) the entropy of \(\mathrm{{softmax}}(z/T)\) is within "
                 rf"{NEAR} nats of its maximum \(\ln {len(params['z'])}\).")
    return rf"Let \(z = {z}\). True or false: {claim}"


def explain(params):
    verdict = "true" if solve(params) else "false"
    values = [rf"\(H = {mk.f4(_h(params, t))}\) at \(T = {mk.num(t)}\)" for t in
              ([params["T1"], params["T2"]] if params["family"] == "compare" else [params["T1"]])]
    return (f"The statement is {verdict}: " + "; ".join(values)
            + rf", against the maximum \(\ln {len(params['z'])} = {mk.f4(math.log(len(params['z'])))}\). "
              "Raising the temperature always spreads the probabilities (the entropy grows with T towards "
              r"\(\ln K\)); lowering it concentrates them on the largest logit (entropy towards 0).")
