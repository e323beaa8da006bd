"""True or false: how large the CE and MSE gradients are at a given logit."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "saturation",
    "title": "Saturation: cross-entropy vs squared error",
    "topic": "losses",
    "type": "truefalse",
    "points": 1,
    "covers": ["chapter.mse-vs-ce", "lesson.mse-vs-ce", "lesson.gradient-flow"],
}

FAMILIES = ("ce_large", "mse_small", "ratio")
CE_BAR, MSE_BAR = 0.9, 0.01


def generate(rng):
    family = sm.pick(rng, FAMILIES)
    y = sm.integer(rng, 0, 1)
    wrong = sm.coin(rng)                            # is the prediction on the wrong side?
    if family == "mse_small":
        size = sm.uniform(rng, 6.0, 10.0, 1) if sm.coin(rng) else sm.uniform(rng, 0.5, 2.0, 1)
    else:
        size = sm.uniform(rng, 3.0, 8.0, 1)
    toward_label = 1 if y == 1 else -1
    return {"family": family, "y": y, "z": size * (-toward_label if wrong else toward_label),
            "says": sm.coin(rng)}


def _grads(params):
    s, y = im.sigmoid(params["z"]), params["y"]
    return abs(s - y), abs((s - y) * s * (1 - s))


def solve(params):
    ce, mse = _grads(params)
    if params["family"] == "ce_large":
        return ce >= CE_BAR
    if params["family"] == "mse_small":
        return mse < MSE_BAR
    return mse <= ce / 4 if params["says"] else mse > ce / 2


def degenerate(params):
    ce, mse = _grads(params)
    if params["family"] == "ce_large" and abs(ce - CE_BAR) < 0.02:
        return "CE gradient too close to the threshold"
    if params["family"] == "mse_small" and abs(mse - MSE_BAR) < 0.002:
        return "MSE gradient too close to the threshold"
    return None


def distractors(params):
    truth = solve(params)
    family = params["family"]
    if family == "ce_large":
        tag = ("thinks the cross-entropy gradient vanishes when the sigmoid saturates" if truth else
               "thinks a large |z| gives a large cross-entropy gradient even when the prediction is right")
    elif family == "mse_small":
        tag = ("thinks a confidently wrong prediction gets a large squared-error gradient" if truth else
               "thinks the squared-error gradient is always tiny")
    else:
        tag = "forgot that sigma'(z) never exceeds 1/4"
    return [(not truth, tag)]


def render(params):
    family = params["family"]
    setup = (rf"A logistic unit has logit \(z = {mk.num(params['z'])}\) and label \(y = {params['y']}\). Compare "
             r"\(L_{CE} = -[y\ln\sigma(z) + (1-y)\ln(1-\sigma(z))]\) and \(L_{MSE} = \tfrac12(\sigma(z) - y)^2\). "
             "True or false: ")
    if family == "ce_large":
        claim = rf"\(|\partial L_{{CE}}/\partial z| \ge {CE_BAR}\) here."
    elif family == "mse_small":
        claim = rf"\(|\partial L_{{MSE}}/\partial z| < {MSE_BAR}\) here."
    elif params["says"]:
        claim = r"\(|\partial L_{MSE}/\partial z| \le \tfrac14\,|\partial L_{CE}/\partial z|\) here."
    else:
        claim = r"\(|\partial L_{MSE}/\partial z| > \tfrac12\,|\partial L_{CE}/\partial z|\) here."
    return setup + claim


def explain(params):
    s = im.sigmoid(params["z"])
    ce, mse = _grads(params)
    verdict = "true" if solve(params) else "false"
    return (rf"The statement is {verdict}. Here \(\sigma(z) = {mk.f4(s)}\), so "
            rf"\(|\partial L_{{CE}}/\partial z| = |\sigma(z) - y| = {mk.small(ce)}\) and "
            rf"\(|\partial L_{{MSE}}/\partial z| = |\sigma(z) - y|\,\sigma(z)(1-\sigma(z)) = {mk.small(mse)}\). "
            r"The squared-error gradient carries the extra factor \(\sigma'(z) \le \tfrac14\), which is tiny "
            "whenever the sigmoid saturates, right or wrong; the cross-entropy gradient is the error itself.")
