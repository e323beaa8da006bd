"""Perplexity of a short sequence from the probabilities of its true tokens."""

import math

from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "perplexity_tokens",
    "title": "Perplexity of a sequence",
    "topic": "perplexity",
    "type": "num",
    "points": 1,
    "covers": ["notebook.sequence", "notes.f-perplexity", "lesson.perplexity", "course.perplexity"],
}


def generate(rng):
    return {"p": [sm.uniform(rng, 0.05, 0.9, 2) for _ in range(sm.integer(rng, 4, 6))]}


def _mean_nll(p):
    return -sum(math.log(v) for v in p) / len(p)


def solve(params):
    return math.exp(_mean_nll(params["p"]))


def distractors(params):
    p = params["p"]
    return [
        (math.exp(-sum(math.log(v) for v in p)), "summed the token losses before exponentiating"),
        (2 ** _mean_nll(p), "exponentiated a nats value with base 2"),
        (sum(1 / v for v in p) / len(p), "took the arithmetic mean of 1/p instead of the geometric mean"),
        (_mean_nll(p), "reported the cross-entropy, not its exponential"),
    ]


def render(params):
    return (rf"A language model assigns the probabilities \({mk.vec(params['p'])}\) to the {len(params['p'])} "
            "tokens that actually occur in a sentence. What is its perplexity on this sentence?")


def explain(params):
    p = params["p"]
    terms = mk.terms(rf"\ln {mk.num(v)}" for v in p)
    worked = rf"\bar L = -\frac1{{{len(p)}}}({terms}) = {mk.f4(_mean_nll(p))},\qquad \mathrm{{PPL}} = e^{{\bar L}} = {mk.f4(solve(params))}"
    return ("Average the per-token negative log-likelihood (nats), then exponentiate with base e:" + mk.dm(worked)
            + "Equivalently, the geometric mean of \\(1/p\\): the model is as unsure as a uniform choice among "
              "that many tokens.")
