"""Gradient of squared error through a sigmoid: the sigma'(z) factor that makes learning stall."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "mse_grad_logit",
    "title": "Squared-error gradient through a sigmoid",
    "topic": "losses",
    "type": "num",
    "points": 1,
    "covers": ["chapter.mse-vs-ce", "lesson.mse-vs-ce"],
}


def generate(rng):
    return {"z": sm.uniform(rng, -4.0, 4.0, 1), "y": sm.integer(rng, 0, 1)}


def solve(params):
    s, y = im.sigmoid(params["z"]), params["y"]
    return (s - y) * s * (1 - s)


def distractors(params):
    s, y = im.sigmoid(params["z"]), params["y"]
    return [
        (s - y, "dropped sigma'(z): that is the cross-entropy gradient"),
        (2 * solve(params), "used (p - y)^2 without the 1/2"),
        (-solve(params), mc.GRADIENT_SIGN),
        ((s - y) * s, "used sigma(z) in place of sigma'(z)"),
    ]


def render(params):
    return (rf"A logistic unit outputs \(\hat p = \sigma(z)\) with \(z = {mk.num(params['z'])}\) and is trained "
            rf"with the squared error \(L = \tfrac12(\hat p - y)^2\) on label \(y = {params['y']}\). Compute "
            r"\(\partial L/\partial z\).")


def explain(params):
    z, y = params["z"], params["y"]
    s = im.sigmoid(z)
    worked = (rf"(\hat p - y)\,\sigma'(z) = ({mk.f4(s)} - {y})\cdot {mk.f4(s)}\cdot(1 - {mk.f4(s)}) = "
              rf"{mk.f4(solve(params))}")
    return (r"Chain rule: \(\partial L/\partial z = (\hat p - y)\,\sigma'(z)\) with \(\sigma'(z) = \hat p(1-\hat p) "
            r"\le \tfrac14\)." + mk.dm(worked)
            + rf"The cross-entropy gradient here would be \({mk.f4(s - y)}\); the factor \(\sigma'(z)\) shrinks "
              "the squared-error gradient, towards zero when the sigmoid saturates, even for a wrong prediction.")
