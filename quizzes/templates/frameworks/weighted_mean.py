"""The class-weighted mean of per-example losses: weighted sum over total weight."""

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "weighted_mean",
    "title": "Class-weighted mean loss",
    "topic": "frameworks",
    "type": "num",
    "points": 1,
    "covers": ["notebook.weighted-masked", "notes.m-mean-vs-sum"],
}


def generate(rng):
    n = sm.integer(rng, 5, 8)
    losses = [sm.uniform(rng, 0.1, 3.0, 2) for _ in range(n)]
    return {"losses": losses, "flags": sm.sequence(rng, n, sm.integer(rng, 2, n - 2)), "w": sm.integer(rng, 2, 5)}


def _weights(params):
    return [float(params["w"]) if positive else 1.0 for positive in params["flags"]]


def _total(params):
    return sum(w * loss for w, loss in zip(_weights(params), params["losses"]))


def solve(params):
    return _total(params) / sum(_weights(params))


def distractors(params):
    losses = params["losses"]
    return [
        (sum(losses) / len(losses), "ignored the class weights"),
        (_total(params) / len(losses), "divided by the number of examples, not the total weight"),
        (_total(params), mc.SUM_FOR_MEAN),
    ]


def render(params):
    return (rf"Per-example binary cross-entropy losses are \({mk.vec(params['losses'])}\) for examples whose labels "
            rf"are \({mk.vec(params['flags'])}\). Positive examples get weight {params['w']} and negatives weight 1. "
            "What is the weighted mean loss (weighted sum divided by the total weight)?")


def explain(params):
    w = _weights(params)
    worked = (rf"\frac{{\sum_i w_i \ell_i}}{{\sum_i w_i}} = \frac{{{mk.f4(_total(params))}}}{{{mk.num(sum(w))}}} = "
              rf"{mk.f4(solve(params))}")
    return (f"Multiply each loss by its class weight ({params['w']} for label 1, 1 for label 0) and divide by the "
            "sum of the weights, not by the number of examples:" + mk.dm(worked)
            + "Dividing by the number of examples instead inflates the loss by the average weight, so changing the "
              "class weights would also change the effective learning rate.")
