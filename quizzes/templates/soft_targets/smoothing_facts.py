"""True or false: what label smoothing does to the target and to the loss."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "smoothing_facts",
    "title": "Label smoothing: true or false",
    "topic": "soft_targets",
    "type": "truefalse",
    "points": 1,
    "covers": ["notes.m-label-smoothing", "notebook.label-smoothing", "notes.f-label-smoothing"],
}

FAMILIES = ("target_entropy", "min_loss", "compare")


def covers(params):
    # only the target_entropy family examines "smoothing raises the target's entropy"
    return [key for key in META["covers"] if key != "notebook.label-smoothing" or params["family"] == "target_entropy"]


def generate(rng):
    k = sm.integer(rng, 3, 5)
    return {"family": sm.pick(rng, FAMILIES), "k": k, "alpha": sm.pick(rng, [0.05, 0.1, 0.2]),
            "q": sm.distribution(rng, k, grid=100, floor=2), "label": sm.integer(rng, 0, k - 1),
            "says": sm.coin(rng)}


def _target(params):
    k, a, c = params["k"], params["alpha"], params["label"]
    return [(1 - a + a / k) if i == c else a / k for i in range(k)]


def _losses(params):
    q = params["q"]
    return im.cross_entropy(_target(params), q), -math.log(q[params["label"]])


def degenerate(params):
    smooth, hard = _losses(params)
    if params["family"] == "compare" and abs(smooth - hard) < 0.01:
        return "the two losses are nearly equal"
    return None


def solve(params):
    family, says = params["family"], params["says"]
    if family == "target_entropy":
        higher = im.entropy(_target(params)) > 0.0     # a one-hot target has entropy 0
        return higher == says
    if family == "min_loss":
        can_reach_zero = im.cross_entropy(_target(params), _target(params)) == 0.0
        return can_reach_zero == says
    smooth, hard = _losses(params)
    return (smooth > hard) == says


def distractors(params):
    tags = {"target_entropy": "thinks smoothing makes the target more certain",
            "min_loss": "thinks a smoothed loss can still reach zero",
            "compare": "assumed smoothing always moves the loss in one direction"}
    return [(not solve(params), tags[params["family"]])]


def render(params):
    k, a = params["k"], mk.num(params["alpha"])
    setup = (rf"Label smoothing with \(\alpha = {a}\) on {k} classes replaces a one-hot target \(y\) by "
             rf"\(t = (1-\alpha)\,y + \alpha/{k}\). True or false: ")
    family, says = params["family"], params["says"]
    if family == "target_entropy":
        claim = f"the smoothed target has {'higher' if says else 'lower'} entropy than the one-hot target."
    elif family == "min_loss":
        claim = ("a model can still drive the smoothed loss \\(H(t, q)\\) to 0." if says else
                 "the smoothed loss \\(H(t, q)\\) can never reach 0, whatever the model predicts.")
    else:
        claim = (rf"for the prediction \(q = {mk.vec(params['q'])}\) with true class {params['label'] + 1}, the "
                 f"smoothed loss is {'larger' if says else 'smaller'} than the hard-label loss.")
    return setup + claim


def explain(params):
    t = _target(params)
    smooth, hard = _losses(params)
    verdict = "true" if solve(params) else "false"
    family = params["family"]
    if family == "compare":
        detail = (rf"Here \(H(t, q) = {mk.f4(smooth)}\) and \(-\ln q_{{{params['label'] + 1}}} = {mk.f4(hard)}\): "
                  "which is larger depends on how much probability the model gives the other classes.")
    else:
        detail = (rf"The smoothed target has entropy \(H(t) = {mk.f4(im.entropy(t))} > 0\) (a one-hot target has "
                  r"0), and \(H(t, q) = H(t) + D_{\mathrm{KL}}(t\,\|\,q) \ge H(t)\), so the loss never goes below "
                  rf"{mk.f4(im.entropy(t))}.")
    return f"The statement is {verdict}. {detail}"
