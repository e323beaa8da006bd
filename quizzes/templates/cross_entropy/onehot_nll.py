"""Cross-entropy against a one-hot label: the knowledge-check fact -log q_true."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "onehot_nll",
    "title": "Cross-entropy with a one-hot label",
    "topic": "cross_entropy",
    "type": "num",
    "points": 1,
    "covers": ["lesson.onehot-check", "chapter.ce-classification", "notes.f-onehot", "course.onehot"],
}


def generate(rng):
    k = sm.integer(rng, 3, 5)
    return {"q": sm.distribution(rng, k, grid=100, floor=2), "label": sm.integer(rng, 0, k - 1)}


def solve(params):
    return -math.log(params["q"][params["label"]])


def distractors(params):
    q, label = params["q"], params["label"]
    y = im.one_hot(label, len(q))
    options = [
        (-sum(math.log(v) for v in q), "summed -log q over every class"),
        (1 - q[label], "used the error 1 - q instead of -log q"),
        (-math.log2(q[label]), mc.LOG2),
        (-sum(math.log(v) if t else math.log(1 - v) for v, t in zip(q, y)),
         "added binary cross-entropy terms for the other classes"),
    ]
    top = max(range(len(q)), key=q.__getitem__)
    if top != label:
        options.append((-math.log(q[top]), mc.PREDICTED_CLASS))
    return options


def render(params):
    q = params["q"]
    y = [int(v) for v in im.one_hot(params["label"], len(q))]
    return (rf"A classifier outputs \(q = {mk.vec(q)}\) over {len(q)} classes for an example whose one-hot "
            rf"label is \(y = {mk.vec(y)}\). What is the cross-entropy loss \(H(y, q)\) for this example, "
            "in nats?")


def explain(params):
    q, label = params["q"], params["label"]
    worked = rf"H(y,q) = -\sum_k y_k \ln q_k = -\ln q_{{{label + 1}}} = -\ln {mk.num(q[label])} = {mk.f4(solve(params))}"
    return ("Every term with \\(y_k = 0\\) vanishes, so only the probability given to the true class counts:"
            + mk.dm(worked) + "This is the negative log-likelihood of the true label under the model.")
