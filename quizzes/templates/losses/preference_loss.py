"""Pairwise preference loss -log sigmoid(score gap), a cross-entropy on 'which answer wins'."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "preference_loss",
    "title": "Pairwise preference loss",
    "topic": "losses",
    "type": "num",
    "points": 1,
    "covers": ["notebook.preference"],
}


def generate(rng):
    chosen, rejected = sm.grid_values(rng, 2, -3.0, 3.0, 0.5)
    return {"chosen": chosen, "rejected": rejected}


def solve(params):
    return im.softplus(-(params["chosen"] - params["rejected"]))


def distractors(params):
    gap = params["chosen"] - params["rejected"]
    return [
        (im.softplus(gap), "put the scores in the wrong order"),
        (im.sigmoid(gap), "reported the preference probability, not the loss"),
        (solve(params) / im.LN2, mc.LOG2),
    ]


def render(params):
    return (rf"A reward model scores the answer people preferred at \(s_w = {mk.num(params['chosen'])}\) and the "
            rf"other at \(s_l = {mk.num(params['rejected'])}\). The preference loss is "
            r"\(L = -\ln\sigma(s_w - s_l)\). What is \(L\), in nats?")


def explain(params):
    gap = params["chosen"] - params["rejected"]
    worked = (rf"\sigma({mk.num(gap)}) = {mk.f4(im.sigmoid(gap))},\qquad L = -\ln {mk.f4(im.sigmoid(gap))} = "
              rf"{mk.f4(solve(params))}")
    return ("The model's probability that the preferred answer wins is the sigmoid of the score gap; the loss is "
            "the binary cross-entropy of that event:" + mk.dm(worked)
            + "It is small when the preferred answer scores well above the other and grows roughly linearly "
              "with the gap when the order is wrong.")
