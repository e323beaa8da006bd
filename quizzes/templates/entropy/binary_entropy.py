"""Binary entropy of a biased coin."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "binary_entropy",
    "title": "Binary entropy",
    "topic": "entropy",
    "type": "num",
    "points": 1,
    "covers": ["chapter.binary-entropy", "chapter.entropy"],
}


def generate(rng):
    return {"theta": sm.uniform(rng, 0.03, 0.97, 2), "unit": sm.pick(rng, ["bits", "bits", "nats"])}


def solve(params):
    theta = params["theta"]
    return im.in_unit(im.entropy([theta, 1 - theta]), params["unit"])


def distractors(params):
    theta, unit = params["theta"], params["unit"]
    return [
        mc.in_wrong_unit(im.entropy([theta, 1 - theta]), unit),
        (im.in_unit(-theta * math.log(theta), unit), "dropped the (1 - theta) term"),
        (theta * (1 - theta), "used the Bernoulli variance theta(1 - theta)"),
    ]


def render(params):
    theta = mk.num(params["theta"])
    return (rf"A coin lands heads with probability \(\theta = {theta}\). "
            f"What is the entropy of one toss, in {params['unit']}?")


def explain(params):
    theta, unit = params["theta"], params["unit"]
    log = mk.unit_log(unit)
    t, rest = mk.num(theta), mk.num(round(1 - theta, 6))
    worked = rf"H = -{t}\,{log} {t} - {rest}\,{log} {rest} = {mk.f4(solve(params))}"
    return (rf"\(H(\theta) = -\theta {log}\theta - (1-\theta){log}(1-\theta)\): both outcomes contribute."
            + mk.dm(worked)
            + r"The curve is symmetric about \(\theta = 1/2\), where it peaks at 1 bit (\(\ln 2\) nats).")
