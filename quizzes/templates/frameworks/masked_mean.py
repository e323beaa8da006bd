"""Averaging per-token or per-example losses with a mask or with class weights."""

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "masked_mean",
    "title": "Masked and weighted loss averages",
    "topic": "frameworks",
    "type": "num",
    "tolerance": 0.01,
    "points": 1,
    "covers": ["notebook.weighted-masked", "notes.m-mean-vs-sum"],
}


def generate(rng):
    n = sm.integer(rng, 5, 8)
    losses = [sm.uniform(rng, 0.1, 3.0, 2) for _ in range(n)]
    flags = sm.sequence(rng, n, sm.integer(rng, 2, n - 2))
    if sm.coin(rng):
        return {"mode": "mask", "losses": losses, "flags": flags}
    return {"mode": "weights", "losses": losses, "flags": flags, "w": sm.integer(rng, 2, 5)}


def _weights(params):
    if params["mode"] == "mask":
        return [float(f) for f in params["flags"]]
    return [float(params["w"]) if f else 1.0 for f in params["flags"]]


def solve(params):
    w = _weights(params)
    return sum(a * b for a, b in zip(w, params["losses"])) / sum(w)


def distractors(params):
    losses, w = params["losses"], _weights(params)
    total = sum(a * b for a, b in zip(w, losses))
    ignored = "ignored the mask" if params["mode"] == "mask" else "ignored the class weights"
    divided = ("divided by every position, including the masked ones" if params["mode"] == "mask" else
               "divided by the number of examples, not the total weight")
    return [
        (sum(losses) / len(losses), ignored),
        (total / len(losses), divided),
        (total, mc.SUM_FOR_MEAN),
    ]


def render(params):
    losses = mk.vec(params["losses"])
    if params["mode"] == "mask":
        return (rf"A batch has per-token losses \({losses}\) and the padding mask \({mk.vec(params['flags'])}\) "
                "(1 = real token, 0 = padding). What is the mean loss over the real tokens?")
    return (rf"Per-example binary cross-entropy losses are \({losses}\) for examples whose labels are "
            rf"\({mk.vec(params['flags'])}\). Positive examples get weight {params['w']} and negatives weight 1. "
            "What is the weighted mean loss (weighted sum divided by the total weight)?")


def explain(params):
    w = _weights(params)
    total = sum(a * b for a, b in zip(w, params["losses"]))
    worked = rf"\frac{{\sum_i w_i \ell_i}}{{\sum_i w_i}} = \frac{{{mk.f4(total)}}}{{{mk.num(sum(w))}}} = {mk.f4(solve(params))}"
    name = "mask" if params["mode"] == "mask" else "weight"
    return (f"Multiply each loss by its {name} and divide by the sum of the {name}s, not by the number of "
            "positions:" + mk.dm(worked)
            + "Dividing by the batch size instead mixes padding into the average and changes the effective "
              "learning rate whenever the amount of padding changes.")
