"""Convert an information quantity between bits and nats."""

import math

from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "bits_nats",
    "title": "Bits and nats",
    "topic": "entropy",
    "type": "num",
    "points": 1,
    "covers": ["notes.m-log-base", "chapter.entropy"],
}

CONTEXTS = ["A language model's validation loss is {x} {unit} per token",
            "A source emits symbols with entropy {x} {unit}",
            "The KL divergence between two fitted models is {x} {unit}"]


def generate(rng):
    return {"x": sm.uniform(rng, 0.3, 6.0, 2), "given": sm.pick(rng, ["bits", "nats"]),
            "context": sm.pick(rng, CONTEXTS)}


def solve(params):
    x = params["x"]
    return x / math.log(2) if params["given"] == "nats" else x * math.log(2)


def distractors(params):
    x = params["x"]
    to_bits = params["given"] == "nats"
    return [
        (x * math.log(2) if to_bits else x / math.log(2), "used the ln 2 factor the wrong way round"),
        (x / math.log10(2) if to_bits else x * math.log10(2), "converted with log10 2 instead of ln 2"),
        (x, "assumed the unit does not change the number"),
    ]


def render(params):
    target = "bits" if params["given"] == "nats" else "nats"
    sentence = params["context"].format(x=mk.num(params["x"]), unit=params["given"])
    return f"{sentence}. Express the same quantity in {target}."


def explain(params):
    x = mk.num(params["x"])
    if params["given"] == "nats":
        worked = rf"{x}\text{{ nats}} = \frac{{{x}}}{{\ln 2}}\text{{ bits}} = {mk.f4(solve(params))}\text{{ bits}}"
        why = r"One bit is \(\ln 2 \approx 0.6931\) nats, so a value in nats is divided by \(\ln 2\):"
    else:
        worked = rf"{x}\text{{ bits}} = {x}\cdot\ln 2\text{{ nats}} = {mk.f4(solve(params))}\text{{ nats}}"
        why = r"One bit is \(\ln 2 \approx 0.6931\) nats, so a value in bits is multiplied by \(\ln 2\):"
    # 1 nat = 1/ln 2 = 1.4427 bits: the nat is the larger unit, so a quantity has the larger number in bits
    return why + mk.dm(worked) + (r"A nat is the larger unit (\(1\text{ nat} = 1/\ln 2 \approx 1.4427\) bits), so "
                                  "the same quantity is a larger number in bits than in nats.")
