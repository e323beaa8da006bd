"""Log-likelihood of a toss record at a given bias."""

import math

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "coin_loglik",
    "title": "Log-likelihood of coin tosses",
    "topic": "mle",
    "type": "num",
    "points": 1,
    "covers": ["chapter.ex-coin", "chapter.mle", "course.nll"],
}


def generate(rng):
    return {"tosses": sm.tosses(rng, 5, 12), "theta": sm.uniform(rng, 0.1, 0.9, 2)}


def _parts(params):
    t, theta = params["tosses"], params["theta"]
    k = sum(t)
    return k, len(t) - k, theta


def solve(params):
    heads, tails, theta = _parts(params)
    return heads * math.log(theta) + tails * math.log(1 - theta)


def distractors(params):
    heads, tails, theta = _parts(params)
    ll = solve(params)
    return [
        (ll + math.log(math.comb(heads + tails, heads)),
         "added the binomial coefficient (likelihood of the count, not of this sequence)"),
        (heads * math.log(theta), "dropped the tails term"),
        (math.exp(ll), "reported the likelihood, not its log"),
        (ll / math.log(10), mc.LOG10),
    ]


def render(params):
    return (f"A coin gave the tosses {mk.code(mk.tosses(params['tosses']))} (H = heads), tossed independently. "
            f"What is the natural log-likelihood \\(\\ell(\\theta)\\) of exactly this sequence at "
            f"\\(\\theta = {mk.num(params['theta'])}\\), the probability of heads?")


def explain(params):
    heads, tails, theta = _parts(params)
    t, rest = mk.num(theta), mk.num(round(1 - theta, 6))
    worked = rf"\ell = {heads}\ln {t} + {tails}\ln {rest} = {mk.f4(solve(params))}"
    return (rf"Independent tosses multiply: \(L(\theta) = \theta^{{{heads}}}(1-\theta)^{{{tails}}}\), so"
            + mk.dm(worked)
            + "No binomial coefficient appears: it counts orderings, and the question is about this one "
              "ordering. (It would not move the maximiser anyway.)")
