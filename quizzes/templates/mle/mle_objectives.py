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
THETAS = np.linspace(0.0005, 0.9995, 2000)
MIN_SHIFT = 0.02   # a false objective's minimiser must be at least this far from the MLE


POOL = StatementPool(TRUE, FALSE)


def generate(rng):
    return {"counts": sm.counts(rng, 3, sm.integer(rng, 12, 40), floor=1),
            **POOL.draw(rng, shown=5, true_counts=(2, 3))}


def _model(theta):
    return np.stack([(1 - theta) ** 2, 2 * theta * (1 - theta), theta**2])


def _mle(counts):
    return (counts[1] + 2 * counts[2]) / (2 * sum(counts))


def _argmin(key, counts):
    freq = np.asarray(counts, dtype=float)[:, None] / sum(counts)
    model = _model(THETAS)
    values = {
        "reverse_kl": (model * np.log(model / freq)).sum(axis=0),
        "reverse_ce": -(model * np.log(freq)).sum(axis=0),
        "squares": ((freq - model) ** 2).sum(axis=0),
        "model_entropy": -(model * np.log(model)).sum(axis=0),
    }[key]
    return float(THETAS[int(np.argmin(values))])


def degenerate(params):
    mle = _mle(params["counts"])
    for key in params["false"]:
        if abs(_argmin(key, params["counts"]) - mle) < MIN_SHIFT:
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
    wrong = [rf"{FALSE[key][0]} is minimised at \(\theta \approx {mk.fixed(_argmin(key, counts), 3)}\)"
             for key in params["false"]]
    return (text + "Because no binomial matches these frequencies exactly, the other objectives land elsewhere:\n\n"
            + mk.bullet_list(wrong) + f"\n\n(MLE check: \\(\\ln\\) likelihood is "
            f"\\({mk.fixed(sum(c * math.log(v) for c, v in zip(counts, _model(mle))), 3)}\\) at \\(\\hat\\theta\\).)")
