"""Highest likelihood = smallest KL from the empirical distribution: pick the model."""

import math

import numpy as np

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "mle_min_kl",
    "title": "Best model by likelihood, or by KL to the data",
    "topic": "mle",
    "type": "single",
    "choices": 4,
    "points": 2,
    "covers": ["chapter.mle-kl", "chapter.min-ce-min-kl", "lesson.mle-nll"],
}

NAMES = "ABC"
ROLES = ("hedged", "clipped", "relabelled", "uniform")
TAGS = {
    "clipped": "judged closeness by squared error; log-likelihood punishes a near-zero probability on a seen label",
    "relabelled": "matched the right numbers to the wrong labels",
    "uniform": "picked the maximum-entropy model regardless of the data",
}


def generate(rng):
    counts = sm.counts(rng, 3, sm.integer(rng, 20, 40), floor=2)
    freq = np.asarray(counts) / sum(counts)
    flat = sm.uniform(rng, 0.45, 0.6, 2)
    clipped = freq.copy()
    clipped[int(np.argmin(freq))] *= sm.pick(rng, [0.05, 0.1, 0.15])
    shift = sm.pick(rng, [[1, 2, 0], [2, 0, 1]])
    return {"counts": counts, "ask": sm.pick(rng, ["likelihood", "kl"]),
            "hedged": sm.rounded_distribution(flat * freq + (1 - flat) / 3),   # mixed with uniform: the answer
            "clipped": sm.rounded_distribution(clipped),                       # closest by squared error
            "relabelled": sm.rounded_distribution(freq[shift]),
            "uniform": [1 / 3] * 3}


def _freq(params):
    n = sum(params["counts"])
    return [c / n for c in params["counts"]]


def _ranking(params, score):
    return sorted((score(params[role]), role) for role in ROLES)


def degenerate(params):
    if min(min(params[role]) for role in ROLES) <= 0:
        return "a model gives a seen label probability 0"
    freq = _freq(params)
    by_kl = _ranking(params, lambda q: im.kl(freq, q))
    by_squares = _ranking(params, lambda q: sum((a - b) ** 2 for a, b in zip(freq, q)))
    if by_kl[0][1] != "hedged" or by_kl[1][0] - by_kl[0][0] < 0.01:
        return "the hedged model is not clearly the most likely"
    if by_squares[0][1] != "clipped" or by_squares[1][0] - by_squares[0][0] < 0.001:
        return "the clipped model is not clearly closest by squared error"
    return None


def solve(params):
    return params["hedged"]


def distractors(params):
    return [(params[role], TAGS[role]) for role in ROLES[1:]]


def choice_text(value, params):
    return mk.m(mk.vec(value))


def render(params):
    tally = ", ".join(f"{name} {c}" for name, c in zip(NAMES, params["counts"]))
    if params["ask"] == "likelihood":
        question = "Which model gives these data the highest likelihood?"
    else:
        question = (r"Which model minimises \(D_{\mathrm{KL}}(\hat p\,\|\,q)\), where \(\hat p\) is the "
                    "empirical distribution of the labels?")
    return (f"A data set of {sum(params['counts'])} labels has the counts {tally}. Four models, each a "
            rf"distribution \(q\) over (A, B, C), are proposed below. {question}")


def explain(params):
    freq = _freq(params)
    n = sum(params["counts"])
    lines = []
    for role in ROLES:
        q = params[role]
        loglik = sum(c * math.log(v) for c, v in zip(params["counts"], q))
        lines.append(rf"\({mk.vec(q)}\): \(\ln L = {mk.fixed(loglik, 3)}\), "
                     rf"\(D_{{\mathrm{{KL}}}}(\hat p\,\|\,q) = {mk.f4(im.kl(freq, q))}\)")
    rounded = mk.vec([round(v, 4) for v in freq])
    return (r"For any model, \(\ln L(q) = \sum_k n_k \ln q_k = -N\,[H(\hat p) + D_{\mathrm{KL}}(\hat p\,\|\,q)]\) "
            rf"with \(N = {n}\) and \(\hat p = {rounded}\). The entropy term is the same for every model, so the "
            "highest likelihood and the smallest KL from the data pick the same model:\n\n"
            + mk.bullet_list(lines) + "\n\nA model that looks close number by number can still lose badly if it "
            "gives a label that occurs a tiny probability: \\(-\\ln q\\) grows without bound as \\(q \\to 0\\).")
