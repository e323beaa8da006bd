"""Gradient of sigmoid + BCE with respect to the logit: prediction minus target."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "bce_grad_logit",
    "title": "BCE gradient with respect to the logit",
    "topic": "losses",
    "type": "num",
    "points": 1,
    "covers": ["lesson.bce-gradient", "chapter.ex-bce-gradient", "lesson.gradient-flow", "chapter.bce"],
}


def generate(rng):
    return {"z": sm.uniform(rng, -5.0, 5.0, 1), "y": sm.integer(rng, 0, 1)}


def solve(params):
    return im.sigmoid(params["z"]) - params["y"]


def distractors(params):
    s, y = im.sigmoid(params["z"]), params["y"]
    return [
        ((s - y) * s * (1 - s), mc.MSE_GRADIENT),
        (y - s, mc.GRADIENT_SIGN),
        (s * (1 - s), "differentiated only the sigmoid"),
        (-y / s + (1 - y) / (1 - s), "gave the gradient with respect to the probability, not the logit"),
    ]


def render(params):
    return (rf"A logistic unit outputs \(\hat p = \sigma(z)\) with \(z = {mk.num(params['z'])}\) and is trained "
            rf"with binary cross-entropy on label \(y = {params['y']}\). Compute \(\partial L/\partial z\).")


def explain(params):
    z, y = params["z"], params["y"]
    s = im.sigmoid(z)
    chain = (r"\frac{\partial L}{\partial z} = \frac{\partial L}{\partial\hat p}\,\sigma'(z) = "
             r"\frac{\hat p - y}{\hat p(1-\hat p)}\cdot\hat p(1-\hat p) = \hat p - y")
    worked = rf"\sigma({mk.num(z)}) - {y} = {mk.f4(s)} - {y} = {mk.f4(s - y)}"
    return ("By the chain rule the sigmoid's slope cancels:" + mk.dm(chain) + mk.dm(worked)
            + "The gradient is the prediction error itself, so it stays large while the prediction is badly wrong.")
