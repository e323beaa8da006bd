"""Maximum-likelihood estimate of a coin's bias from a toss record."""

from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "coin_mle",
    "title": "MLE of a coin's bias",
    "topic": "mle",
    "type": "num",
    "points": 1,
    "covers": ["chapter.ex-coin", "chapter.mle"],
}


def generate(rng):
    return {"tosses": sm.tosses(rng)}


def solve(params):
    t = params["tosses"]
    return sum(t) / len(t)


def distractors(params):
    t = params["tosses"]
    n, k = len(t), sum(t)
    return [
        ((k + 1) / (n + 2), "add-one (Laplace) smoothing, not the MLE"),
        ((n - k) / n, "estimated the probability of tails"),
        (k / (n - 1), "divided by n - 1"),
        (0.5, "assumed the coin is fair"),
    ]


def render(params):
    return (f"A coin with unknown probability of heads \\(\\theta\\) gave the tosses "
            f"{mk.code(mk.tosses(params['tosses']))} (H = heads). What is the maximum-likelihood estimate "
            "\\(\\hat\\theta\\)?")


def explain(params):
    t = params["tosses"]
    n, k = len(t), sum(t)
    loglik = rf"\ell(\theta) = {k}\ln\theta + {n - k}\ln(1-\theta)"
    score = rf"\ell'(\theta) = \frac{{{k}}}{{\theta}} - \frac{{{n - k}}}{{1-\theta}} = 0 \;\Rightarrow\; \hat\theta = \frac{{{k}}}{{{n}}} = {mk.f4(k / n)}"
    return (f"With {k} heads and {n - k} tails the log-likelihood is" + mk.dm(loglik)
            + "Setting its derivative to zero:" + mk.dm(score)
            + "The second derivative is negative, so this is the maximum: the MLE is the fraction of heads.")
