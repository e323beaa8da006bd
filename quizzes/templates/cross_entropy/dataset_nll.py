"""Mean negative log-likelihood of a labelled data set = cross-entropy from the empirical distribution."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "dataset_nll",
    "title": "Mean NLL of a data set",
    "topic": "cross_entropy",
    "type": "num",
    "points": 1,
    "covers": ["course.nll", "notes.f-empirical", "notebook.empirical", "lesson.mle-nll",
               "notes.m-mean-vs-sum"],
}

NAMES = ["cat", "dog", "bird", "fish"]


def generate(rng):
    k = sm.integer(rng, 3, 4)
    return {"counts": sm.counts(rng, k, sm.integer(rng, 8, 30), floor=1), "q": sm.distribution(rng, k)}


def _freq(params):
    n = sum(params["counts"])
    return [c / n for c in params["counts"]]


def solve(params):
    return im.cross_entropy(_freq(params), params["q"])


def distractors(params):
    counts, q = params["counts"], params["q"]
    return [
        (-sum(c * math.log(v) for c, v in zip(counts, q)), mc.SUM_FOR_MEAN),
        (-sum(math.log(v) for v in q) / len(q), "ignored how often each class occurs"),
        (im.entropy(_freq(params)), "reported the entropy of the labels, leaving the model out"),
        (solve(params) / im.LN2, mc.LOG2),
    ]


def render(params):
    counts, q = params["counts"], params["q"]
    names = NAMES[:len(q)]
    tally = ", ".join(f"{name} {c}" for name, c in zip(names, counts))
    model = ", ".join(f"{name} {mk.num(v)}" for name, v in zip(names, q))
    return (f"A model predicts the same distribution for every example: {model}. A data set of "
            f"{sum(counts)} examples has these label counts: {tally}. What is the mean negative log-likelihood "
            "per example, in nats?")


def explain(params):
    counts, q = params["counts"], params["q"]
    n = sum(counts)
    terms = mk.terms(rf"{c}\ln {mk.num(v)}" for c, v in zip(counts, q))
    worked = rf"\frac{{1}}{{{n}}}\sum_i -\ln q(y_i) = -\frac{{1}}{{{n}}}({terms}) = {mk.f4(solve(params))}"
    return ("Group the examples by label: each label \\(k\\) contributes \\(n_k\\) copies of \\(-\\ln q_k\\)."
            + mk.dm(worked)
            + r"This is the cross-entropy \(H(\hat p, q)\) from the empirical label frequencies "
            r"\(\hat p_k = n_k / N\) to the model; the total (sum) would be \(N\) times larger.")
