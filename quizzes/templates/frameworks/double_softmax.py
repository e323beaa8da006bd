"""The value a logits-expecting loss reports when it is handed probabilities."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm
from quizzes.tolerance import tolerance_for

META = {
    "id": "double_softmax",
    "title": "Softmax applied twice",
    "topic": "frameworks",
    "type": "num",
    "points": 2,
    "covers": ["lesson.framework-logits", "notes.m-raw-logits"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    return {"z": sm.grid_values(rng, k, -2.0, 5.0, 0.5), "label": sm.integer(rng, 0, k - 1)}


def solve(params):
    p = im.softmax(params["z"])
    return im.logsumexp(p) - p[params["label"]]


def distractors(params):
    z, c = params["z"], params["label"]
    p = im.softmax(z)
    options = [
        (-math.log(p[c]), "assumed the loss applies the softmax only once"),
        (solve(params) / im.LN2, mc.LOG2),
    ]
    return options + mc.separated([(math.log(len(z)), "thinks a second softmax gives exactly uniform probabilities")],
                                  solve(params), 2 * tolerance_for(solve(params)))


def render(params):
    z, c = params["z"], params["label"]
    # the code is PyTorch, which counts classes from 0: the target is given as that 0-based index and
    # named as the logit it picks, so "class 1" cannot be read both ways
    # shapes stated: F.cross_entropy needs a (1, K) batch beside a (1,)-shaped target
    return (rf"In PyTorch, `z` is a float tensor of shape (1, {len(z)}) holding the logits \({mk.vec(z)}\) and "
            rf"`target = torch.tensor([{c}])` (PyTorch counts classes from 0, so the true class is the one with logit "
            rf"\({mk.num(z[c])}\)). By mistake the code calls "
            f"{mk.code('F.cross_entropy(F.softmax(z, dim=1), target)')}, and `F.cross_entropy` applies its own "
            "log-softmax. What loss value does it report, in nats?")


def explain(params):
    z, c = params["z"], params["label"]
    p = im.softmax(z)
    probs = mk.vec4(p)
    worked = rf"L = \ln\sum_k e^{{p_k}} - p_{{{c}}} = {mk.f4(im.logsumexp(p))} - {mk.f4(p[c])} = {mk.f4(solve(params))}"
    return (rf"First softmax: \(p = {probs}\). The loss treats \(p\) as logits:" + mk.dm(worked)
            + rf"The intended loss was \(-\ln p_{{{c}}} = {mk.f4(-math.log(p[c]))}\). Because all inputs to "
              r"the second softmax lie in \([0, 1]\), the reported loss stays near \(\ln K\) and its gradient is "
              "weak, so training stalls without any error message.")
