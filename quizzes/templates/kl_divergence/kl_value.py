"""KL divergence between two small distributions, the model sometimes given as counts to normalise."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "kl_value",
    "title": "KL divergence of two distributions",
    "topic": "kl_divergence",
    "type": "num",
    "points": 1,
    "covers": ["chapter.kl", "notes.f-kl", "notes.m-normalisation"],
}


def generate(rng):
    k = sm.integer(rng, 3, 4)
    return {"p": sm.distribution(rng, k), "counts": sm.counts(rng, k, 20), "as_counts": sm.coin(rng)}


def _q(params):
    return [c / 20 for c in params["counts"]]


def degenerate(params):
    return "p equals q" if params["p"] == _q(params) else None


def solve(params):
    return im.kl(params["p"], _q(params))


def distractors(params):
    p, q = params["p"], _q(params)
    options = [
        (im.kl(q, p), mc.KL_SWAPPED),
        (im.cross_entropy(p, q), mc.CE_FOR_KL),
        (im.kl(p, q) / im.LN2, mc.LOG2),
        (sum(math.log(a / b) for a, b in zip(p, q)), "dropped the p_i weights"),
    ]
    if params["as_counts"]:
        raw = sum(a * math.log(a / c) for a, c in zip(p, params["counts"]))
        options.append((raw, "used the counts as probabilities (forgot to normalise)"))
    return options


def render(params):
    p = mk.vec(params["p"])
    if params["as_counts"]:
        model = (rf"a model that was fitted to the class counts \({mk.vec(params['counts'])}\) (it predicts "
                 "their relative frequencies)")
    else:
        model = rf"a model \(q = {mk.vec(_q(params))}\)"
    return (rf"Data follow \(p = {p}\). Compute \(D_{{\mathrm{{KL}}}}(p\,\|\,q)\) in nats for {model}.")


def explain(params):
    p, q = params["p"], _q(params)
    text = ""
    if params["as_counts"]:
        text = (rf"First normalise the counts: they add up to 20, so \(q = {mk.vec(q)}\). ")
    worked = rf"D_{{\mathrm{{KL}}}}(p\,\|\,q) = {mk.p_log_ratio_terms(p, q)} = {mk.f4(solve(params))}"
    return (text + r"\(D_{\mathrm{KL}}(p\,\|\,q) = \sum_i p_i \ln(p_i/q_i)\), weighted by the first argument:"
            + mk.dm(worked) + rf"Swapping the arguments gives {mk.f4(im.kl(q, p))} instead.")
