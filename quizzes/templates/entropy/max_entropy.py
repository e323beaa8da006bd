"""The largest entropy a variable with n values can have."""

import math

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "max_entropy",
    "title": "Maximum entropy on n outcomes",
    "topic": "entropy",
    "type": "num",
    "points": 1,
    "covers": ["chapter.max-entropy"],
}

SETTINGS = ["a die with {n} faces", "a classifier's label among {n} classes",
            "a symbol from an alphabet of {n} letters", "a token from a vocabulary of {n} tokens"]


def generate(rng):
    return {"n": sm.integer(rng, 3, 64), "unit": sm.pick(rng, ["bits", "nats"]),
            "setting": sm.pick(rng, SETTINGS)}


def solve(params):
    n = params["n"]
    return math.log2(n) if params["unit"] == "bits" else math.log(n)


def distractors(params):
    n, unit = params["n"], params["unit"]
    return [
        mc.in_wrong_unit(math.log(n), unit),
        (n, "counted the outcomes instead of taking their logarithm"),
        (1, "believed entropy never exceeds 1"),
        (n * solve(params), "summed log n over the outcomes, dropping the 1/n weights"),
    ]


def render(params):
    setting = params["setting"].format(n=params["n"])
    return (f"Consider {setting}. Over all possible distributions of this variable, what is the largest "
            f"entropy it can have, in {params['unit']}?")


def explain(params):
    n, unit = params["n"], params["unit"]
    log = mk.unit_log(unit)
    worked = rf"H = -\sum_{{i=1}}^{{{n}}} \tfrac1{{{n}}}\,{log}\tfrac1{{{n}}} = {log} {n} = {mk.f4(solve(params))}"
    return (rf"Entropy is largest for the uniform distribution \(p_i = 1/{n}\):" + mk.dm(worked)
            + f"Any other distribution on {n} values has strictly lower entropy (Gibbs' inequality against "
            "the uniform distribution).")
