"""Two classifiers with the same accuracy and very different cross-entropy."""

import math

from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "accuracy_vs_ce",
    "title": "Same accuracy, different cross-entropy",
    "topic": "scoring",
    "type": "num",
    "points": 1,
    "covers": ["notebook.same-accuracy"],
}


def generate(rng):
    n = 4
    wrong = sm.integer(rng, 0, n - 1)
    hesitant = [sm.uniform(rng, 0.51, 0.65, 2) for _ in range(n)]      # probability given to the predicted class
    confident = [sm.uniform(rng, 0.85, 0.99, 2) for _ in range(n)]
    return {"wrong": wrong, "a": hesitant, "b": confident}


def _ce(params, model):
    probs = [v if i != params["wrong"] else 1 - v for i, v in enumerate(params[model])]
    return -sum(math.log(v) for v in probs) / len(probs)


def solve(params):
    return _ce(params, "a") - _ce(params, "b")


def distractors(params):
    return [
        (0.0, "thinks equal accuracy means equal cross-entropy"),
        (-solve(params), "subtracted in the wrong order"),
        (len(params["a"]) * solve(params), "summed over examples instead of averaging"),
    ]


def render(params):
    wrong = params["wrong"] + 1
    return (f"On four binary examples, models A and B predict the same class for each; both are right on every "
            f"example except example {wrong}. The probability each model gives to the class it predicts is "
            rf"A: \({mk.vec(params['a'])}\), B: \({mk.vec(params['b'])}\). Compute mean cross-entropy of A minus "
            "mean cross-entropy of B, in nats.")


def explain(params):
    a, b = _ce(params, "a"), _ce(params, "b")
    return (f"On the wrong example each model's probability for the true class is 1 minus its stated "
            rf"confidence. Mean cross-entropy: A {mk.f4(a)}, B {mk.f4(b)}, difference {mk.f4(a - b)}. Accuracy "
            "only counts which side of 0.5 each prediction falls; cross-entropy also scores how much probability "
            "the true class received, rewarding confident right answers and punishing confident wrong ones.")
