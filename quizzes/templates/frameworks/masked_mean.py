"""The mean per-token loss over the real tokens of a padded batch (padding masked out).

Class-weighted averages are their own template (weighted_mean.py), so that every bank draws this
padding family: coverage is counted from the items drawn, not from what a template could draw.
"""

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "masked_mean",
    "title": "Padding-masked mean loss",
    "topic": "frameworks",
    "type": "num",
    "points": 1,
    "covers": ["notebook.weighted-masked", "notes.m-mean-vs-sum"],
}


def generate(rng):
    n = sm.integer(rng, 5, 8)
    losses = [sm.uniform(rng, 0.1, 3.0, 2) for _ in range(n)]
    return {"losses": losses, "flags": sm.sequence(rng, n, sm.integer(rng, 2, n - 2))}


def _masked_total(params):
    return sum(loss for loss, real in zip(params["losses"], params["flags"]) if real)


def solve(params):
    return _masked_total(params) / sum(params["flags"])


def distractors(params):
    losses = params["losses"]
    return [
        (sum(losses) / len(losses), "averaged the padding positions in (ignored the mask)"),
        (_masked_total(params) / len(losses), "divided by every position, including the padding"),
        (_masked_total(params), mc.SUM_FOR_MEAN),
    ]


def render(params):
    return (rf"A batch has per-token losses \({mk.vec(params['losses'])}\) and the padding mask "
            rf"\({mk.vec(params['flags'])}\) (1 = real token, 0 = padding). What is the mean loss over the real "
            "tokens?")


def explain(params):
    total, real = _masked_total(params), sum(params["flags"])
    worked = (rf"\frac{{\sum_i m_i \ell_i}}{{\sum_i m_i}} = \frac{{{mk.f4(total)}}}{{{real}}} = "
              rf"{mk.f4(solve(params))}")
    return ("Multiply each loss by its mask value and divide by the number of real tokens, not by the number of "
            "positions:" + mk.dm(worked)
            + "Dividing by every position instead mixes padding into the average, so the loss (and the effective "
              "learning rate) changes whenever the amount of padding changes.")
