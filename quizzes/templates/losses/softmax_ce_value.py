"""Softmax cross-entropy from logits by hand, with log-sum-exp."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "softmax_ce_value",
    "title": "Softmax cross-entropy from logits",
    "topic": "losses",
    "type": "num",
    "points": 1,
    "covers": ["course.logsumexp-loss", "notes.f-softmax", "notebook.categorical-logits",
               "chapter.ce-classification", "notes.f-onehot"],
}


def generate(rng):
    k = sm.integer(rng, 3, 5)
    return {"z": sm.grid_values(rng, k, -3.0, 4.0, 0.5), "label": sm.integer(rng, 0, k - 1)}


def solve(params):
    z = params["z"]
    return im.logsumexp(z) - z[params["label"]]


def distractors(params):
    z, c = params["z"], params["label"]
    options = [
        (max(z) - z[c], mc.LSE_AS_MAX),
        (-z[c], "dropped the log-sum-exp term"),
        (solve(params) / im.LN2, mc.LOG2),
    ]
    top = max(range(len(z)), key=z.__getitem__)
    if top != c:
        options.append((im.logsumexp(z) - z[top], mc.PREDICTED_CLASS))
    return options


def render(params):
    return (rf"A network outputs the logits \(z = {mk.vec(params['z'])}\) for classes 1 to {len(params['z'])}. "
            f"The true class is {params['label'] + 1}. What is the softmax cross-entropy loss, in nats?")


def explain(params):
    z, c = params["z"], params["label"]
    lse = im.logsumexp(z)
    exps = mk.terms(rf"e^{{{mk.num(v)}}}" for v in z)
    worked = rf"L = \ln({exps}) - z_{{{c + 1}}} = {mk.f4(lse)} - {mk.paren(z[c])} = {mk.f4(lse - z[c])}"
    return (r"\(L = -\ln\mathrm{softmax}(z)_c = \ln\sum_j e^{z_j} - z_c\):" + mk.dm(worked)
            + "In code, compute the log-sum-exp with the largest logit factored out so that no exponential "
              "overflows.")
