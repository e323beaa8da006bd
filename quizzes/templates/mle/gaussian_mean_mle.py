"""The maximum-likelihood estimate of a Gaussian's mean: the sample mean, whatever the variance."""

import statistics

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "gaussian_mean_mle",
    "title": "Gaussian MLE of the mean",
    "topic": "mle",
    "type": "num",
    "points": 1,
    "covers": ["chapter.gaussian-mle", "chapter.mle"],
}


def generate(rng):
    n = sm.integer(rng, 5, 8)
    return {"x": [sm.uniform(rng, -2.0, 9.0, 1) for _ in range(n)], "sigma": sm.pick(rng, [0.5, 1.0, 2.0, 3.0])}


def degenerate(params):
    return "repeated data points" if len(set(params["x"])) < len(params["x"]) else None


def solve(params):
    return sum(params["x"]) / len(params["x"])


def distractors(params):
    x = params["x"]
    return [
        (statistics.median(x), "took the median, the estimate for a Laplace model"),
        ((max(x) + min(x)) / 2, "took the midpoint of the range"),
        (sum(x) / (len(x) - 1), "divided by N - 1, as for the unbiased variance"),
        (sum(x), mc.SUM_FOR_MEAN),
    ]


def render(params):
    return (rf"The data \(x = {mk.vec(params['x'])}\) are modelled as independent draws from "
            rf"\(\mathcal{{N}}(\mu, \sigma^2)\) with known \(\sigma = {mk.num(params['sigma'])}\). What is the "
            r"maximum-likelihood estimate \(\hat\mu\)?")


def explain(params):
    x = params["x"]
    return (r"The log-likelihood is \(\ell(\mu) = -\sum_i \frac{(x_i - \mu)^2}{2\sigma^2} + \text{const}\), so "
            r"\(\ell'(\mu) = \sum_i (x_i - \mu)/\sigma^2 = 0\) gives the sample mean, whatever \(\sigma\) is:"
            + mk.dm(rf"\hat\mu = \frac{{1}}{{{len(x)}}}\sum_i x_i = \frac{{{mk.num(round(sum(x), 6))}}}{{{len(x)}}} = "
                    rf"{mk.f4(solve(params))}"))
