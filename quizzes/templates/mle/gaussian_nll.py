"""Total negative log-likelihood of data under a given Gaussian."""

import math

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "gaussian_nll",
    "title": "Gaussian negative log-likelihood",
    "topic": "mle",
    "type": "num",
    "points": 2,
    "covers": ["chapter.mle", "course.nll"],
}


def generate(rng):
    return {"x": sm.grid_values(rng, sm.integer(rng, 3, 5), -2.0, 4.0, 0.5),
            "mu": sm.uniform(rng, -1.0, 2.0, 1), "sigma": sm.uniform(rng, 0.5, 2.0, 1)}


def _pieces(params):
    x, mu, s = params["x"], params["mu"], params["sigma"]
    norm = len(x) / 2 * math.log(2 * math.pi * s * s)
    ss = sum((v - mu) ** 2 for v in x)
    return norm, ss, s


def solve(params):
    norm, ss, s = _pieces(params)
    return norm + ss / (2 * s * s)


def distractors(params):
    norm, ss, s = _pieces(params)
    n = len(params["x"])
    return [
        (ss / (2 * s * s), "dropped the normalising constant"),
        (norm + ss / (2 * s), "used sigma where sigma^2 belongs"),
        (solve(params) / n, mc.MEAN_FOR_SUM),
        (n / 2 * math.log(2 * math.pi * s) + ss / (2 * s * s), "took the log of 2 pi sigma instead of 2 pi sigma^2"),
    ]


def render(params):
    return (rf"Compute the total negative log-likelihood (natural log) of the data \({mk.vec(params['x'])}\) "
            rf"under \(\mathcal{{N}}(\mu = {mk.num(params['mu'])}, \sigma = {mk.num(params['sigma'])})\), the "
            "points being independent.")


def explain(params):
    norm, ss, s = _pieces(params)
    n = len(params["x"])
    formula = r"-\ln L = \frac N2\ln(2\pi\sigma^2) + \frac{1}{2\sigma^2}\sum_i (x_i-\mu)^2"
    worked = (rf"= \frac{{{n}}}{{2}}\ln(2\pi\cdot {mk.num(s)}^2) + \frac{{{mk.f4(ss)}}}{{2\cdot {mk.num(s)}^2}}"
              rf" = {mk.f4(norm)} + {mk.f4(ss / (2 * s * s))} = {mk.f4(solve(params))}")
    return ("Sum \\(-\\ln\\) of the density over the points:" + mk.dm(formula) + mk.dm(worked)
            + "The constant term matters for the value (not for the best \\(\\mu\\)).")
