"""Perplexity from a reported cross-entropy loss, in nats or in bits."""

import math

from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "perplexity_from_loss",
    "title": "Perplexity from a loss",
    "topic": "perplexity",
    "type": "num",
    "points": 1,
    "covers": ["course.perplexity", "notes.f-perplexity", "lesson.perplexity", "notes.m-log-base"],
}


def generate(rng):
    return {"loss": sm.uniform(rng, 0.5, 4.0, 2), "unit": sm.pick(rng, ["nats", "bits"])}


def solve(params):
    return math.exp(params["loss"]) if params["unit"] == "nats" else 2 ** params["loss"]


def distractors(params):
    loss = params["loss"]
    other = 2 ** loss if params["unit"] == "nats" else math.exp(loss)
    return [
        (other, "exponentiated with the base of the other unit"),
        (loss, "reported the loss, not the perplexity"),
        (10 ** loss, "exponentiated with base 10"),
    ]


def render(params):
    return (f"A language model's mean cross-entropy on a test set is {mk.num(params['loss'])} {params['unit']} "
            "per token. What is its perplexity?")


def explain(params):
    loss, unit = mk.num(params["loss"]), params["unit"]
    base = "e" if unit == "nats" else "2"
    return (rf"Perplexity undoes the logarithm the loss was measured with: \(\mathrm{{PPL}} = {base}^{{{loss}}} = "
            rf"{mk.f4(solve(params))}\). A model that is uniform over \(V\) tokens has loss \(\ln V\) nats "
            r"(\(\log_2 V\) bits) and perplexity exactly \(V\), its effective branching factor.")
