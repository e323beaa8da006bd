"""Expected extra log loss of a dishonest forecast: a Bernoulli KL divergence."""

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "log_score_regret",
    "title": "Cost of a miscalibrated forecast under log loss",
    "topic": "scoring",
    "type": "num",
    "points": 2,
    "covers": ["course.proper-scoring", "notebook.proper-scoring", "notebook.ce-vs-entropy", "chapter.min-ce-min-kl"],
}


def generate(rng):
    return {"p": sm.uniform(rng, 0.05, 0.95, 2), "q": sm.uniform(rng, 0.05, 0.95, 2)}


def degenerate(params):
    return "forecast equals the true probability" if params["p"] == params["q"] else None


def _bern(x):
    return [x, 1 - x]


def solve(params):
    return im.kl(_bern(params["p"]), _bern(params["q"]))


def distractors(params):
    p, q = _bern(params["p"]), _bern(params["q"])
    return [
        (im.kl(q, p), mc.KL_SWAPPED),
        (im.cross_entropy(p, q), "reported the expected loss, not the excess over the honest forecast"),
        (abs(params["p"] - params["q"]), "took the gap |p - q| as the cost"),
        (solve(params) / im.LN2, mc.LOG2),
    ]


def render(params):
    return (rf"It rains on a given kind of day with probability \(p = {mk.num(params['p'])}\). A forecaster "
            rf"always announces \(q = {mk.num(params['q'])}\) and is scored with the log loss \(-\ln\) (probability "
            "given to what happened). How much larger is the expected loss than if the forecaster announced "
            r"\(p\) itself, in nats?")


def explain(params):
    p, q = _bern(params["p"]), _bern(params["q"])
    honest, announced = im.entropy(p), im.cross_entropy(p, q)
    return (rf"Expected log loss of announcing \(q\): \(H(p, q) = {mk.f4(announced)}\); of announcing \(p\): "
            rf"\(H(p) = {mk.f4(honest)}\). The difference is \(D_{{\mathrm{{KL}}}}(p\,\|\,q) = "
            rf"{mk.f4(announced - honest)}\), positive for every \(q \ne p\): the log loss is a strictly proper "
            "scoring rule, so honesty is the unique best strategy.")
