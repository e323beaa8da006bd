"""Closed-form cross-entropy between two Gaussians."""

import math

from quizzes import infomath as im
from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm

META = {
    "id": "gaussian_cross_entropy",
    "title": "Cross-entropy between Gaussians",
    "topic": "cross_entropy",
    "type": "num",
    "points": 2,
    "covers": ["notebook.gaussian", "notes.f-expectation"],
}


def generate(rng):
    return {"mu_p": sm.uniform(rng, -2, 2, 1), "sd_p": sm.uniform(rng, 0.5, 2.5, 1),
            "mu_q": sm.uniform(rng, -2, 2, 1), "sd_q": sm.uniform(rng, 0.5, 2.5, 1)}


def degenerate(params):
    same = params["mu_p"] == params["mu_q"] and params["sd_p"] == params["sd_q"]
    return "p equals q" if same else None


def solve(params):
    return im.gaussian_cross_entropy(params["mu_p"], params["sd_p"], params["mu_q"], params["sd_q"])


def distractors(params):
    mp, sp, mq, sq = params["mu_p"], params["sd_p"], params["mu_q"], params["sd_q"]
    return [
        (im.gaussian_cross_entropy(mq, sq, mp, sp), mc.CE_SWAPPED),
        (0.5 * math.log(2 * math.pi * sq) + (sp + (mp - mq) ** 2) / (2 * sq),
         "used standard deviations where variances belong"),
        (0.5 * math.log(2 * math.pi * math.e * sp**2), "reported the entropy of p, leaving the model out"),
        (0.5 * math.log(2 * math.pi * sq**2) + (mp - mq) ** 2 / (2 * sq**2),
         "left out the spread of p (the sigma_p^2 term)"),
    ]


def render(params):
    p = rf"p = \mathcal{{N}}({mk.num(params['mu_p'])}, {mk.num(params['sd_p'])}^2)"
    q = rf"q = \mathcal{{N}}({mk.num(params['mu_q'])}, {mk.num(params['sd_q'])}^2)"
    return (rf"Data follow \({p}\) and a model predicts \({q}\) (second argument: variance, written as "
            r"a squared standard deviation). Compute \(H(p, q) = \mathbb{E}_{x\sim p}[-\ln q(x)]\) in nats.")


def explain(params):
    mp, sp, sq = (mk.num(params[k]) for k in ("mu_p", "sd_p", "sd_q"))
    mq = mk.paren(params["mu_q"])
    formula = r"H(p,q) = \tfrac12\ln(2\pi\sigma_q^2) + \frac{\sigma_p^2 + (\mu_p-\mu_q)^2}{2\sigma_q^2}"
    worked = (rf"H = \tfrac12\ln(2\pi\cdot {sq}^2) + \frac{{{sp}^2 + ({mp} - {mq})^2}}{{2\cdot {sq}^2}}"
              rf" = {mk.f4(solve(params))}")
    return (r"Take the expectation of \(-\ln q(x) = \tfrac12\ln(2\pi\sigma_q^2) + (x-\mu_q)^2/(2\sigma_q^2)\) "
            r"under \(p\), using \(\mathbb{E}_p[(x-\mu_q)^2] = \sigma_p^2 + (\mu_p-\mu_q)^2\):"
            + mk.dm(formula) + mk.dm(worked))
