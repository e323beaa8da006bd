"""Binary cross-entropy of one prediction."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "bce_value",
    "title": "Binary cross-entropy of a prediction",
    "topic": "losses",
    "type": "num",
    "points": 1,
    "covers": ["chapter.bce", "notebook.bce"],
}


def generate(rng):
    return {"y": sm.integer(rng, 0, 1), "p": sm.uniform(rng, 0.02, 0.98, 2)}


def solve(params):
    return im.bce(params["y"], params["p"])


def distractors(params):
    y, p = params["y"], params["p"]
    options = [
        (im.bce(1 - y, p), "took -ln(1 - p) for y = 1 (or -ln p for y = 0): the log of the wrong class's probability"),
        (solve(params) / im.LN2, mc.LOG2),
        ((p - y) ** 2, "computed the squared error instead"),
    ]
    if y == 0:
        options.append((0.0, "kept only the y log p term, which vanishes for y = 0"))
    return options


def render(params):
    return (rf"A binary classifier predicts \(\hat p = {mk.num(params['p'])}\) for the positive class on an example "
            rf"with label \(y = {params['y']}\). What is the binary cross-entropy loss, in nats?")


def explain(params):
    y, p = params["y"], params["p"]
    term = rf"-\ln {mk.num(p)}" if y == 1 else rf"-\ln(1 - {mk.num(p)})"
    worked = rf"L = -[y\ln\hat p + (1-y)\ln(1-\hat p)] = {term} = {mk.f4(solve(params))}"
    return (f"With \\(y = {y}\\) only one term survives:" + mk.dm(worked)
            + "This is the negative log-likelihood of the label under a Bernoulli model with parameter "
              "\\(\\hat p\\); a confident wrong prediction costs far more than a hesitant one.")
