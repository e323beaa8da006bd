"""Derivative of BCE with respect to the predicted probability (the lesson's 0.05 case gives 20, not 19)."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "bce_grad_prob",
    "title": "BCE gradient with respect to the probability",
    "topic": "losses",
    "type": "num",
    "points": 1,
    "covers": ["chapter.ex-bce-gradient", "lesson.mse-vs-ce"],
}


def generate(rng):
    p = 0.05 if sm.integer(rng, 0, 5) == 0 else sm.uniform(rng, 0.02, 0.98, 2)
    return {"y": sm.integer(rng, 0, 1), "p": p}


def solve(params):
    y, p = params["y"], params["p"]
    return -y / p + (1 - y) / (1 - p)


def distractors(params):
    y, p = params["y"], params["p"]
    # the lesson's "19 instead of 20" at p = 0.05: the odds (1 - p)/p put where 1/p belongs (1/p - 1)
    odds = ((-(1 - p) / p, "wrote -(1 - p)/p, the odds against, for -1/p (the '19 instead of 20' slip)") if y == 1 else
            (p / (1 - p), "wrote p/(1 - p), the odds, for 1/(1 - p) (the '19 instead of 20' slip)"))
    return [
        (2 * (p - y), "used the squared-error gradient 2(p - y)"),
        (p - y, "gave the gradient with respect to the logit, not the probability"),
        (im.bce(y, p), mc.LOSS_FOR_GRADIENT),
        (-solve(params), mc.GRADIENT_SIGN),
        odds,
    ]


def render(params):
    return (rf"For binary cross-entropy \(L(\hat p) = -[y\ln\hat p + (1-y)\ln(1-\hat p)]\) with label "
            rf"\(y = {params['y']}\), compute \(\partial L/\partial\hat p\) at \(\hat p = {mk.num(params['p'])}\).")


def explain(params):
    y, p = params["y"], params["p"]
    general = r"\frac{\partial L}{\partial\hat p} = -\frac{y}{\hat p} + \frac{1-y}{1-\hat p}"
    here = (rf"-\frac{{1}}{{{mk.num(p)}}}" if y == 1 else rf"\frac{{1}}{{1-{mk.num(p)}}}") + rf" = {mk.f4(solve(params))}"
    text = "Differentiate each term:" + mk.dm(general) + f"With \\(y = {y}\\):" + mk.dm(here)
    return text + (r"Its size \(1/\hat p\) (or \(1/(1-\hat p)\)) explodes for confident mistakes, while the "
                   r"squared-error slope \(2|\hat p - y|\) never exceeds 2. At \(\hat p = 0.05, y = 1\) the two are "
                   "exactly 20 and 1.9.")
