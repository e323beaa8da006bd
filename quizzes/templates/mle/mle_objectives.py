"""Which objectives have the MLE as their minimiser, for a model family that cannot fit the data exactly?"""

import math

import numpy as np

from quizzes import markup as mk
from quizzes import misconceptions as mc
from quizzes import sampling as sm
from quizzes.statements import StatementPool

META = {
    "id": "mle_objectives",
    "title": "Objectives equivalent to maximum likelihood",
    "topic": "mle",
    "type": "multi",
    "choices": 5,
    "correct": [2, 3],
    "points": 2,
    "covers": ["chapter.mle-kl", "chapter.min-ce-min-kl", "chapter.mle", "lesson.mle-nll", "course.nll"],
}

TRUE = {
    "mean_nll": r"the mean negative log-likelihood \(-\frac1N\sum_i \ln p_\theta(x_i)\)",
    "total_nll": r"the total negative log-likelihood \(-\sum_i \ln p_\theta(x_i)\)",
    "cross_entropy": r"the cross-entropy \(H(\hat p, p_\theta)\)",
    "forward_kl": r"\(D_{\mathrm{KL}}(\hat p\,\|\,p_\theta)\)",
    "neg_likelihood": r"minus the likelihood itself, \(-\prod_i p_\theta(x_i)\)",
}
FALSE = {
    "reverse_kl": (r"\(D_{\mathrm{KL}}(p_\theta\,\|\,\hat p)\)", mc.KL_SWAPPED),
    "reverse_ce": (r"the cross-entropy \(H(p_\theta, \hat p)\)", mc.CE_SWAPPED),
    "squares": (r"the squared error \(\sum_k (\hat p_k - p_\theta(k))^2\)",
                "thinks any fit to the frequencies is maximum likelihood"),
    "model_entropy": (r"the model's entropy \(H(p_\theta)\)", "confused the model's entropy with its fit"),
}
THETAS = np.linspace(0.0, 1.0, 2001)   # the closed interval: an objective may decrease all the way to an end
MIN_SHIFT = 0.02   # a false objective's minimiser must be at least this far from the MLE
EDGE = 1e-6        # a minimiser this close to 0 or 1 is an infimum at the end, not a point of (0, 1)


POOL = StatementPool(TRUE, FALSE)


def generate(rng):
    return {"counts": sm.counts(rng, 3, sm.integer(rng, 12, 40), floor=1),
            **POOL.draw(rng, shown=5, true_counts=(2, 3))}


def _model(theta):
    return np.stack([(1 - theta) ** 2, 2 * theta * (1 - theta), theta**2])


def _mle(counts):
    return (counts[1] + 2 * counts[2]) / (2 * sum(counts))


def _objective(key, counts, theta):
    freq = np.asarray(counts, dtype=float)[:, None] / sum(counts)
    model = _model(np.atleast_1d(np.asarray(theta, dtype=float)))
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(model > 0, model * np.log(np.where(model > 0, model, 1.0)), 0.0)   # 0 ln 0 = 0
        return {
            "reverse_kl": (plogp - model * np.log(freq)).sum(axis=0),
            "reverse_ce": -(model * np.log(freq)).sum(axis=0),
            "squares": ((freq - model) ** 2).sum(axis=0),
            "model_entropy": -plogp.sum(axis=0),
        }[key]


def _scalar(key, counts, theta):
    """One objective at one theta in plain floats: the golden-section search calls it ~50 times per key."""
    total = sum(counts)
    freq = [c / total for c in counts]
    model = [(1 - theta) ** 2, 2 * theta * (1 - theta), theta * theta]
    plogp = [m * math.log(m) if m > 0 else 0.0 for m in model]     # 0 ln 0 = 0
    if key == "reverse_kl":
        return sum(a - m * math.log(f) for a, m, f in zip(plogp, model, freq))
    if key == "reverse_ce":
        return -sum(m * math.log(f) for m, f in zip(model, freq))
    if key == "squares":
        return sum((f - m) ** 2 for f, m in zip(freq, model))
    return -sum(plogp)


def _grid_argmin(key, counts):
    """The best grid point of [0, 1] (enough to judge how far a minimiser lies from the MLE)."""
    return float(THETAS[int(np.argmin(_objective(key, counts, THETAS)))])


def _argmin(key, counts):
    """The minimiser over [0, 1]: the grid, then golden-section search to 1e-10 (a grid alone misrounds it,
    e.g. 0.348 for 0.34855). 0.0 or 1.0 means the objective decreases towards that end of (0, 1)."""
    i = int(np.argmin(_objective(key, counts, THETAS)))
    lo, hi = float(THETAS[max(i - 1, 0)]), float(THETAS[min(i + 1, len(THETAS) - 1)])
    f = lambda t: _scalar(key, counts, t)   # noqa: E731
    ratio = (math.sqrt(5) - 1) / 2
    while hi - lo > 1e-10:
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        if f(a) <= f(b):
            hi = b
        else:
            lo = a
    best = (lo + hi) / 2
    for end in (0.0, 1.0):
        if f(end) <= f(best):
            best = end
    return best


def _where_minimised(key, counts):
    """How the explanation states an objective's minimiser (or the end it decreases towards)."""
    theta = _argmin(key, counts)
    if theta < EDGE or theta > 1 - EDGE:
        ends = [end for end in (0.0, 1.0) if abs(_scalar(key, counts, end) - _scalar(key, counts, theta)) < 1e-12]
        end = " or ".join(mk.num(e) for e in ends)   # H(p_theta) tends to 0 at both ends
        return rf"has no minimiser in \((0, 1)\): it keeps decreasing as \(\theta \to {end}\)"
    return rf"is minimised at \(\theta \approx {mk.fixed(theta, 3)}\)"


def degenerate(params):
    if params["counts"][0] == params["counts"][2]:
        # symmetric data: every objective is symmetric about 1/2, so one with two minimisers has no single answer
        return "n0 = n2 makes the objectives symmetric about theta = 1/2"
    mle = _mle(params["counts"])
    for key in params["false"]:
        if abs(_grid_argmin(key, params["counts"]) - mle) < MIN_SHIFT:
            return f"{key} is minimised close to the MLE for these counts"
    return None


solve, distractors, choice_text = POOL.template_functions()


def render(params):
    n0, n1, n2 = params["counts"]
    return (f"The values 0, 1 and 2 were observed {n0}, {n1} and {n2} times. They are modelled as "
            r"\(\mathrm{Binomial}(2, \theta)\): \(p_\theta(0) = (1-\theta)^2,\ p_\theta(1) = 2\theta(1-\theta),\ "
            r"p_\theta(2) = \theta^2\). Let \(\hat p\) be the empirical distribution of the data. Select every "
            r"objective whose minimiser over \(\theta \in (0, 1)\) is the maximum-likelihood estimate.")


def explain(params):
    counts = params["counts"]
    n0, n1, n2 = counts
    mle = _mle(counts)
    text = (rf"The MLE is \(\hat\theta = \frac{{n_1 + 2n_2}}{{2N}} = \frac{{{n1} + 2\cdot {n2}}}{{2\cdot {sum(counts)}}}"
            rf" = {mk.f4(mle)}\). The mean and total NLL, \(H(\hat p, p_\theta) = H(\hat p) + "
            r"D_{\mathrm{KL}}(\hat p\,\|\,p_\theta)\) and minus the likelihood are all decreasing functions of "
            "the likelihood (up to constants and positive factors), so they share its minimiser. ")
    wrong = [f"{FALSE[key][0]} {_where_minimised(key, counts)}" for key in params["false"]]
    return (text + "Because no binomial matches these frequencies exactly, the other objectives land elsewhere:\n\n"
            + mk.bullet_list(wrong) + f"\n\n(MLE check: \\(\\ln\\) likelihood is "
            f"\\({mk.fixed(sum(c * math.log(v) for c, v in zip(counts, _model(mle))), 3)}\\) at \\(\\hat\\theta\\).)")
