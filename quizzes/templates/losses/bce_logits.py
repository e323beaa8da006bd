"""BCE computed from a logit, including logits large enough to break a naive implementation."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm
from quizzes.tolerance import tolerance_for

META = {
    "id": "bce_logits",
    "title": "BCE from a logit",
    "topic": "losses",
    "type": "num",
    "points": 1,
    "covers": ["notes.f-stable-bce", "notebook.bce-logits", "notes.m-overflow", "lesson.numerical-stability"],
}

# The epsilons the unit's texts and common libraries clip probabilities to (Keras 1e-7; the course
# notes 1e-12 and 1e-15): the stem states the one drawn, so the clipped value it anticipates is the
# one a student following that text computes (-ln eps = 16.1, 27.6 or 34.5 nats).
CLIPS = (1e-7, 1e-12, 1e-15)


def generate(rng):
    size = sm.uniform(rng, 15.0, 40.0, 1) if sm.coin(rng) else sm.uniform(rng, 0.1, 6.0, 1)
    return {"z": size if sm.coin(rng) else -size, "y": sm.integer(rng, 0, 1), "clip": sm.pick(rng, CLIPS)}


def solve(params):
    return im.bce_from_logit(params["y"], params["z"])


def distractors(params):
    z, y = params["z"], params["y"]
    answer = solve(params)
    p = min(max(im.sigmoid(z), params["clip"]), 1 - params["clip"])
    options = [
        (im.bce_from_logit(1 - y, z), "used the label the wrong way round"),
        (answer / im.LN2, mc.LOG2),
    ]
    return options + mc.separated([
        (max(z, 0.0) - y * z, "dropped the log(1 + e^(-|z|)) term of the stable formula"),
        (im.bce(y, p), f"clipped the probability to [{_eps(params)}, 1 - {_eps(params)}] instead of working from the logit"),
    ], answer, 2 * tolerance_for(answer))


def _eps(params):
    return f"1e-{round(-math.log10(params['clip']))}"


def render(params):
    return (rf"A binary classifier outputs the logit \(z = {mk.num(params['z'])}\), so "
            rf"\(\hat p = \sigma(z)\), for an example with label \(y = {params['y']}\). A probability-space "
            rf"implementation would clip \(\hat p\) to \([\varepsilon, 1 - \varepsilon]\) with "
            rf"\(\varepsilon = 10^{{-{round(-math.log10(params['clip']))}}}\) before taking logs. What is the exact "
            "binary cross-entropy loss, in nats, computed from the logit without clipping?")


def explain(params):
    z, y = params["z"], params["y"]
    worked = (rf"L = \log(1 + e^{{z}}) - yz = \max(z, 0) + \log(1 + e^{{-|z|}}) - yz = "
              rf"{mk.num(max(z, 0.0))} + {mk.fixed(math.log1p(math.exp(-abs(z))), 6)} - {y}\cdot{mk.paren(z)} = "
              rf"{mk.f4(solve(params))}")
    return ("Work from the logit: \\(-\\ln\\sigma(z) = \\log(1+e^{-z})\\) and \\(-\\ln(1-\\sigma(z)) = "
            "\\log(1+e^{z})\\), which combine to" + mk.dm(worked)
            + "Computing \\(\\sigma(z)\\) first and then its log loses everything once \\(\\sigma(z)\\) rounds "
              rf"to 0 or 1, and clipping to \(\varepsilon = 10^{{-{round(-math.log10(params['clip']))}}}\) caps the "
              rf"loss at \(-\ln\varepsilon = {mk.fixed(-math.log(params['clip']), 1)}\) nats however wrong the "
              "prediction is.")
