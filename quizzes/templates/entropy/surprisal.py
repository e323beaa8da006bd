"""Self-information of one event, in bits or nats."""

import math

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "surprisal",
    "title": "Surprisal of an event",
    "topic": "entropy",
    "type": "num",
    "points": 1,
    "covers": ["chapter.surprisal"],
}

DYADIC = [0.5, 0.25, 0.125, 0.0625, 0.03125]
EVENTS = ["a spam filter sees a given word", "a die shows a chosen face", "a sensor reports a fault",
          "a model's top token is correct"]


def generate(rng):
    p = sm.pick(rng, DYADIC) if sm.coin(rng) else sm.uniform(rng, 0.02, 0.95, 2)
    return {"p": p, "unit": sm.pick(rng, ["bits", "nats"]), "event": sm.pick(rng, EVENTS)}


def _info(p, unit):
    return -math.log2(p) if unit == "bits" else -math.log(p)


def solve(params):
    return _info(params["p"], params["unit"])


def distractors(params):
    p, unit = params["p"], params["unit"]
    return [
        mc.in_wrong_unit(-math.log(p), unit),
        (-_info(p, unit), mc.SIGN),
        (1 / p, "took 1/p without the logarithm"),
        (p, "reported the probability instead of the information"),
    ]


def render(params):
    return (f"The event \"{params['event']}\" has probability {mk.m(mk.num(params['p']))}. "
            f"How much information (surprisal) does observing it carry, in {params['unit']}?")


def explain(params):
    p, unit = params["p"], params["unit"]
    log = mk.unit_log(unit)
    worked = rf"I = -{log} {mk.num(p)} = {mk.f4(_info(p, unit))}"
    return (rf"Surprisal is \(I(p) = -{log} p\); the base of the logarithm sets the unit "
            "(base 2 for bits, base e for nats)." + mk.dm(worked)
            + "Rarer events carry more information; a certain event carries none.")
