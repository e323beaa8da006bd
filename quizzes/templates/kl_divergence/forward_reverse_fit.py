"""Fit one Gaussian to a two-mode mixture by forward or by reverse KL: mass-covering vs mode-seeking."""

import math

from quizzes import markup as mk
from quizzes import sampling as sm

META = {
    "id": "forward_reverse_fit",
    "title": "Forward vs reverse KL fit",
    "topic": "kl_divergence",
    "type": "single",
    "choices": 4,
    "points": 2,
    "covers": ["chapter.kl-asymmetry"],
}

SEPARATION = 3.0   # modes at +-a with a/s >= 3 are clearly apart, so reverse KL picks one


def generate(rng):
    return {"a": sm.uniform(rng, 2.0, 4.0, 1), "s": sm.uniform(rng, 0.5, 1.0, 1),
            "direction": sm.pick(rng, ["forward", "reverse"])}


def degenerate(params):
    return "modes too close to separate" if params["a"] / params["s"] < SEPARATION else None


def solve(params):
    return "cover" if params["direction"] == "forward" else "mode"


def distractors(params):
    swapped = ("forward and reverse KL swapped (mode-seeking is the reverse direction)"
               if params["direction"] == "forward" else
               "forward and reverse KL swapped (mass-covering is the forward direction)")
    wrong = {"cover": swapped, "mode": swapped,
             "narrow_centre": "kept one component's width but centred between the modes",
             "exact": "forgot that q is a single Gaussian"}
    return [(key, tag) for key, tag in wrong.items() if key != solve(params)]


def _wide(params):
    return math.sqrt(params["s"] ** 2 + params["a"] ** 2)


def choice_text(value, params):
    a, s = mk.num(params["a"]), mk.num(params["s"])
    return {
        "cover": rf"\(\mu \approx 0,\ \sigma \approx {mk.fixed(_wide(params), 2)}\): one wide bump over both modes",
        "mode": rf"\(\mu \approx \pm {a},\ \sigma \approx {s}\): sits on one mode and ignores the other",
        "narrow_centre": rf"\(\mu \approx 0,\ \sigma \approx {s}\): a narrow bump in the gap between the modes",
        "exact": r"\(q\) reproduces both modes exactly, so the divergence is 0",
    }[value]


def _objective(params):
    return r"D_{\mathrm{KL}}(p\,\|\,q)" if params["direction"] == "forward" else r"D_{\mathrm{KL}}(q\,\|\,p)"


def render(params):
    a, s = mk.num(params["a"]), mk.num(params["s"])
    return (rf"The data distribution \(p\) is an equal mixture of \(\mathcal{{N}}(-{a}, {s}^2)\) and "
            rf"\(\mathcal{{N}}({a}, {s}^2)\). A single Gaussian \(q = \mathcal{{N}}(\mu, \sigma^2)\) is fitted "
            rf"by minimising \({_objective(params)}\) over \(\mu\) and \(\sigma\). Which describes the fit?")


def explain(params):
    a, s = mk.num(params["a"]), mk.num(params["s"])
    if params["direction"] == "forward":
        return (r"Forward KL \(D_{\mathrm{KL}}(p\,\|\,q) = \mathbb{E}_p[\ln p - \ln q]\) is huge wherever \(p\) "
                r"has mass and \(q\) has almost none, so \(q\) must cover both modes. For a Gaussian \(q\) the "
                r"minimiser matches the mean and variance of \(p\): \(\mu = 0\) and "
                rf"\(\sigma^2 = {s}^2 + {a}^2\), so \(\sigma = {mk.fixed(_wide(params), 2)}\) (mass-covering, "
                "mean-seeking).")
    return (r"Reverse KL \(D_{\mathrm{KL}}(q\,\|\,p) = \mathbb{E}_q[\ln q - \ln p]\) is huge wherever \(q\) puts "
            r"mass that \(p\) lacks, such as the empty gap between the modes. With the modes this far apart the "
            rf"best \(q\) sits on one of them, \(\mu \approx \pm{a}\) with \(\sigma \approx {s}\), at a cost of "
            r"about \(\ln 2\) for ignoring the other half of \(p\) (mode-seeking).")
