"""An entry of the Hessian of softmax cross-entropy in logit space: diag(p) - p p^T."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "softmax_hessian",
    "title": "Hessian of softmax cross-entropy",
    "topic": "losses",
    "type": "num",
    "points": 2,
    "covers": ["notebook.hessian"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    i = sm.integer(rng, 0, k - 1)
    j = i if sm.coin(rng) else sm.pick(rng, [v for v in range(k) if v != i])
    return {"z": sm.grid_values(rng, k, -1.5, 2.0, 0.5), "i": i, "j": j}


def solve(params):
    p = im.softmax(params["z"])
    i, j = params["i"], params["j"]
    return (p[i] if i == j else 0.0) - p[i] * p[j]


def distractors(params):
    p = im.softmax(params["z"])
    i, j = params["i"], params["j"]
    if i == j:
        return [
            (p[i], "dropped the -p_i^2 term"),
            (-p[i] ** 2, "kept only the outer-product term"),
            (-solve(params), mc.SIGN),
        ]
    return [
        (p[i] * p[j], mc.SIGN),
        (p[i] * (1 - p[i]), "used the diagonal formula off the diagonal"),
        (0.0, "thinks the logits do not interact"),
    ]


def render(params):
    i, j = params["i"] + 1, params["j"] + 1
    return (rf"For logits \(z = {mk.vec(params['z'])}\) and softmax cross-entropy (any true class), compute the "
            rf"Hessian entry \(\partial^2 L / \partial z_{{{i}}}\,\partial z_{{{j}}}\).")


def explain(params):
    p = im.softmax(params["z"])
    i, j = params["i"], params["j"]
    probs = mk.vec4(p)
    if i == j:
        worked = rf"p_{{{i + 1}}}(1 - p_{{{i + 1}}}) = {mk.f4(p[i])}\cdot{mk.f4(1 - p[i])} = {mk.f4(solve(params))}"
    else:
        worked = rf"-p_{{{i + 1}}}p_{{{j + 1}}} = -{mk.f4(p[i])}\cdot{mk.f4(p[j])} = {mk.f4(solve(params))}"
    return (rf"The gradient is \(p - y\), so the Hessian is the Jacobian of the softmax, "
            rf"\(\mathrm{{diag}}(p) - pp^\top\), the same for every label. With \(p = {probs}\):" + mk.dm(worked)
            + "It is symmetric, positive semidefinite and its rows sum to zero (the covariance matrix of a "
              "one-hot draw from \\(p\\)).")
