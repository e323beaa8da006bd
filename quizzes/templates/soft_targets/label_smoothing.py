"""Cross-entropy against a label-smoothed target."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "label_smoothing",
    "title": "Loss with label smoothing",
    "topic": "soft_targets",
    "type": "num",
    "points": 2,
    "covers": ["notes.f-label-smoothing", "notebook.label-smoothing", "notebook.soft-targets",
               "notes.m-label-smoothing"],
}


def generate(rng):
    k = sm.integer(rng, 3, 5)
    return {"q": sm.distribution(rng, k, grid=100, floor=2), "label": sm.integer(rng, 0, k - 1),
            "alpha": sm.pick(rng, [0.05, 0.1, 0.15, 0.2])}


def _target(params, share_true=True, spread=None):
    k, a, c = len(params["q"]), params["alpha"], params["label"]
    spread = a / k if spread is None else spread
    return [(1 - a) + (spread if share_true else 0.0) if i == c else spread for i in range(k)]


def solve(params):
    return im.cross_entropy(_target(params), params["q"])


def distractors(params):
    q, c, a = params["q"], params["label"], params["alpha"]
    k = len(q)
    return [
        (-math.log(q[c]), "ignored the smoothing (hard label)"),
        (im.cross_entropy(_target(params, share_true=False, spread=a / (k - 1)), q),
         "spread alpha over the K - 1 wrong classes instead of alpha/K over all"),
        (im.cross_entropy(_target(params, share_true=False), q), "left out the alpha/K share of the true class"),
        (solve(params) / im.LN2, mc.LOG2),
    ]


def render(params):
    k, a = len(params["q"]), mk.num(params["alpha"])
    return (rf"A {k}-class model predicts \(q = {mk.vec(params['q'])}\); the true class is {params['label'] + 1}. "
            rf"Training uses label smoothing with \(\alpha = {a}\): the target is "
            rf"\(t = (1-\alpha)\,y + \alpha/K\) with \(y\) one-hot and \(K = {k}\). What is the loss \(H(t, q)\), "
            "in nats?")


def explain(params):
    t, q = _target(params), params["q"]
    target = "(" + ", ".join(mk.num(round(v, 6)) for v in t) + ")"
    worked = rf"H(t, q) = -\sum_k t_k\ln q_k = -({mk.p_log_terms([round(v, 6) for v in t], q)}) = {mk.f4(solve(params))}"
    return (rf"The smoothed target is \(t = {target}\): the true class keeps \(1 - \alpha + \alpha/K\) and every "
            r"class gets \(\alpha/K\)." + mk.dm(worked)
            + rf"Its smallest possible value is \(H(t) = {mk.f4(im.entropy(t))}\), not 0, so smoothed and "
              "unsmoothed losses are on different scales and should not be compared directly.")
