"""The entropy of a label-smoothed target: smoothing raises it from the one-hot's 0."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "smoothing_entropy",
    "title": "Entropy of a smoothed target",
    "topic": "soft_targets",
    "type": "num",
    "points": 1,
    "covers": ["notebook.label-smoothing", "notes.f-label-smoothing"],
}


def generate(rng):
    return {"k": sm.integer(rng, 3, 10), "alpha": sm.pick(rng, [0.05, 0.1, 0.15, 0.2, 0.3])}


def _target(k, alpha, spread_over):
    rest = alpha / spread_over
    top = 1 - alpha + (rest if spread_over == k else 0.0)
    return [top] + [rest] * (k - 1)


def solve(params):
    return im.entropy(_target(params["k"], params["alpha"], params["k"]))


def distractors(params):
    k, alpha = params["k"], params["alpha"]
    return [
        (math.log(k), "thinks smoothing makes the target uniform"),
        (im.entropy(_target(k, alpha, k - 1)), "spread alpha over the K - 1 other classes instead of all K"),
        (solve(params) / im.LN2, mc.LOG2),
        (-(1 - alpha) * math.log(1 - alpha), "kept only the true class's term of the entropy"),
    ]


def render(params):
    k, a = params["k"], mk.num(params["alpha"])
    return (rf"Label smoothing with \(\alpha = {a}\) replaces a one-hot target over \(K = {k}\) classes by "
            rf"\((1 - \alpha)\,\text{{one-hot}} + \alpha/K\). The one-hot target has entropy 0. What is the entropy "
            "of the smoothed target, in nats?")


def explain(params):
    k, alpha = params["k"], params["alpha"]
    top, rest = 1 - alpha + alpha / k, alpha / k
    return (rf"The true class gets \(1 - \alpha + \alpha/K = {mk.f4(top)}\) and each of the other {k - 1} classes "
            rf"\(\alpha/K = {mk.f4(rest)}\), so"
            + mk.dm(rf"H = -{mk.f4(top)}\ln {mk.f4(top)} - {k - 1}\cdot {mk.f4(rest)}\ln {mk.f4(rest)} = "
                    rf"{mk.f4(solve(params))}\text{{ nats}}")
            + "Smoothing raises the target's entropy above the one-hot's 0, so even a perfect model keeps a "
              "positive loss: this entropy is the smallest loss the smoothed target allows.")
