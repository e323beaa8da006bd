"""Gaussian MLE of the variance (or standard deviation): divide by N, not N - 1."""

import math

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "gaussian_variance_mle",
    "title": "Gaussian MLE of the spread",
    "topic": "mle",
    "type": "num",
    "points": 1,
    "covers": ["chapter.gaussian-mle", "chapter.mle"],
}


def generate(rng):
    n = sm.integer(rng, 4, 7)
    return {"x": sm.grid_values(rng, n, -2.0, 8.0, 0.5), "ask": sm.pick(rng, ["variance", "sd"])}


def _stats(x):
    n = len(x)
    mean = sum(x) / n
    ss = sum((v - mean) ** 2 for v in x)
    return n, mean, ss


def solve(params):
    n, _, ss = _stats(params["x"])
    return ss / n if params["ask"] == "variance" else math.sqrt(ss / n)


def distractors(params):
    x = params["x"]
    n, _, ss = _stats(x)
    raw = sum(v * v for v in x) / n
    if params["ask"] == "variance":
        return [
            (ss / (n - 1), mc.DDOF1),
            (math.sqrt(ss / n), "reported the standard deviation instead of the variance"),
            (raw, "forgot to subtract the mean"),
        ]
    return [
        (math.sqrt(ss / (n - 1)), mc.DDOF1),
        (ss / n, "reported the variance instead of the standard deviation"),
        (math.sqrt(raw), "forgot to subtract the mean"),
    ]


def render(params):
    what = (r"variance \(\hat\sigma^2\)" if params["ask"] == "variance" else
            r"standard deviation \(\hat\sigma\)")
    return (rf"The data \({mk.vec(params['x'])}\) are modelled as independent draws from "
            rf"\(\mathcal{{N}}(\mu, \sigma^2)\) with both parameters unknown. What is the maximum-likelihood "
            f"estimate of the {what}?")


def explain(params):
    x = params["x"]
    n, mean, ss = _stats(x)
    worked = (rf"\hat\mu = \bar x = {mk.f4(mean)},\qquad \hat\sigma^2 = \frac1{{{n}}}\sum_i (x_i - \bar x)^2 = "
              rf"\frac{{{mk.f4(ss)}}}{{{n}}} = {mk.f4(ss / n)}")
    text = ("Setting the derivatives of the Gaussian log-likelihood to zero gives the sample mean and the "
            "mean squared deviation, divided by \\(N\\):" + mk.dm(worked))
    if params["ask"] == "sd":
        text += rf"so \(\hat\sigma = \sqrt{{{mk.f4(ss / n)}}} = {mk.f4(math.sqrt(ss / n))}\). "
    return text + ("Dividing by \\(N - 1\\) (NumPy's `ddof=1`) gives the unbiased estimator, which is not the "
                   "MLE; `np.var` and `np.std` default to the MLE's \\(1/N\\).")
