"""Every quiz template over 200 seeds, checked against an independent oracle (SciPy, SymPy, mpmath).

The oracles recompute each answer from the item's parameters without the templates' own
helpers; for choice items they return the value of the option that must be marked correct.
"""

from __future__ import annotations

import functools
import math
import types

import mpmath
import numpy as np
import pytest
import sympy
from scipy import optimize, special, stats
from scipy.spatial.distance import jensenshannon

from quizzes.engine import discover_templates, draw
from quizzes.validate import validate_template

TEMPLATES = {t.id: t for t in discover_templates()}
LN2 = np.log(2.0)


def in_unit(nats, unit):
    return nats * np.log2(np.e) if unit == "bits" else nats


def ce(p, q):
    """Cross-entropy through SciPy: H(p) + KL(p || q) (inf on a support mismatch)."""
    return stats.entropy(p) + stats.entropy(p, q)


def arr(values):
    return np.asarray(values, dtype=float)


def pick_choice(item, score, best=min):
    """The value of the choice whose score is best."""
    values = [c.value for c in item.choices]
    return best(values, key=score)


# ---------------------------------------------------------------- entropy

def o_surprisal(item):
    p = item.params["p"]
    return in_unit(special.entr(p) / p, item.params["unit"])


def o_entropy_value(item):
    return stats.entropy(item.params["p"], base=2 if item.params["unit"] == "bits" else None)


def o_binary_entropy(item):
    t = item.params["theta"]
    return stats.entropy([t, 1 - t], base=2 if item.params["unit"] == "bits" else None)


def o_max_entropy(item):
    return stats.entropy(np.ones(item.params["n"]), base=2 if item.params["unit"] == "bits" else None)


def o_entropy_ranking(item):
    return pick_choice(item, stats.entropy, best=max)


def o_bits_nats(item):
    x = item.params["x"]
    return x * np.log2(np.e) if item.params["given"] == "nats" else x / np.log2(np.e)


def o_entropy_facts(item):
    p, family, says = arr(item.params["p"]), item.params["family"], item.params["says"]
    h = stats.entropy(p)
    if family == "zero_outcome":
        return (not np.isclose(stats.entropy(np.append(p, 0.0)), h)) == says
    if family == "log_bound":
        return h <= np.log(item.params["n"])
    if family == "units":
        return (stats.entropy(p, base=2) > h) == says
    return (not np.isclose(stats.entropy(item.params["q"]), h)) == says


# ---------------------------------------------------------------- cross-entropy

def o_cross_entropy_value(item):
    p, q = arr(item.params["p"]), arr(item.params["q"])
    return in_unit(-special.xlogy(p, q).sum(), item.params["unit"])


def o_decomposition(item):
    h_nats = item.params["h_bits"] / np.log2(np.e)
    if item.params["ask"] == "ce":
        return h_nats + item.params["kl_nats"]
    return item.params["ce_nats"] - h_nats


def o_onehot_nll(item):
    q = arr(item.params["q"])
    y = np.eye(len(q))[item.params["label"]]
    return -special.xlogy(y, q).sum()


def o_dataset_nll(item):
    labels = np.repeat(np.arange(len(item.params["counts"])), item.params["counts"])
    return -np.mean(np.log(arr(item.params["q"])[labels]))


def o_support_mismatch(item):
    p, q = item.params["p"], item.params["q"]
    value = stats.entropy(p, q) if item.params["quantity"] == "kl" else ce(p, q)
    return "inf" if np.isinf(value) else value


def o_gaussian_cross_entropy(item):
    """E_p[-ln q(x)] by Gauss-Hermite quadrature (exact here: -ln q is quadratic in x)."""
    mp, sp, mq, sq = (item.params[k] for k in ("mu_p", "sd_p", "mu_q", "sd_q"))
    nodes, weights = np.polynomial.hermite_e.hermegauss(20)
    return float(weights @ -stats.norm.logpdf(mp + sp * nodes, mq, sq) / np.sqrt(2 * np.pi))


def o_coding_length(item):
    p, q = arr(item.params["p"]), arr(item.params["q"])
    lengths = np.rint(-np.log2(q))          # whole-bit code words
    expected = float(p @ lengths)
    return expected if item.params["ask"] == "length" else expected - stats.entropy(p, base=2)


def o_ce_lower_bound(item):
    p, q, family, says = item.params["p"], item.params["q"], item.params["family"], item.params["says"]
    if family == "lower_bound":
        holds = ce(p, q) >= stats.entropy(p)
        return holds if says else not holds
    if family == "decomposition":
        subtracted = stats.entropy(p) if says else stats.entropy(q)
        return bool(np.isclose(ce(p, q) - subtracted, stats.entropy(p, q)))
    differ = not np.isclose(ce(p, q), ce(q, p))
    return differ if says else not differ


# ---------------------------------------------------------------- KL

def o_kl_value(item):
    q = arr(item.params["counts"]) / sum(item.params["counts"])
    return special.rel_entr(item.params["p"], q).sum()


def o_kl_asymmetry(item):
    p, q = item.params["p"], item.params["q"]
    return stats.entropy(p, q) - stats.entropy(q, p)


def scipy_quantity(name, p, q):
    return {"kl_pq": lambda: stats.entropy(p, q), "kl_qp": lambda: stats.entropy(q, p),
            "ce_pq": lambda: ce(p, q), "ce_qp": lambda: ce(q, p), "h_p": lambda: stats.entropy(p),
            "h_q": lambda: stats.entropy(q), "js": lambda: jensenshannon(p, q) ** 2}[name]()


def o_infinite_quantities(item):
    p, q = item.params["p"], item.params["q"]
    return [name for name in item.params["shown"] if np.isinf(scipy_quantity(name, p, q))]


def _gibbs_holds(key, p, q, r):
    kl = stats.entropy
    checks = {
        "nonnegative": lambda: kl(p, q) >= -1e-12,
        "zero_only_if_equal": lambda: np.abs(p - q).max() < 1e-9 or kl(p, q) > 1e-12,
        "ce_above_entropy": lambda: ce(p, q) >= stats.entropy(p) - 1e-12,
        "decomposition": lambda: np.isclose(ce(p, q), stats.entropy(p) + kl(p, q)),
        "relabelling": lambda: np.isclose(kl(p[::-1], q[::-1]), kl(p, q)),
        "js_bounded": lambda: jensenshannon(p, q) ** 2 <= LN2 + 1e-12,
        "symmetric": lambda: np.isclose(kl(p, q), kl(q, p)),
        "bounded": lambda: kl(p, q) <= LN2,
        "termwise": lambda: bool(np.all(special.rel_entr(p, q) >= 0)),
        "triangle": lambda: kl(p, r) <= kl(p, q) + kl(q, r) + 1e-12,
        "ce_below_entropy": lambda: ce(p, q) <= stats.entropy(p) + 1e-12,
    }
    return bool(checks[key]())


@functools.cache
def gibbs_truths():
    """Each statement is true if no counterexample turns up among many random triples."""
    rng = np.random.default_rng(2024)
    triples = [rng.dirichlet(np.full(k, 0.6), size=3) for k in (2, 3, 4, 5) for _ in range(50)]
    keys = ("nonnegative", "zero_only_if_equal", "ce_above_entropy", "decomposition", "relabelling", "js_bounded",
            "symmetric", "bounded", "termwise", "triangle", "ce_below_entropy")
    return {key: all(_gibbs_holds(key, *triple) for triple in triples) for key in keys}


def o_gibbs_statements(item):
    truths = gibbs_truths()
    return [key for key in item.params["true"] + item.params["false"] if truths[key]]


def normal_logpdf(x, mu, sigma):
    return -0.5 * ((x - mu) / sigma) ** 2 - np.log(sigma) - 0.5 * np.log(2 * np.pi)


@functools.cache
def fitted_gaussian(a, s, direction):
    """Numerically fit N(mu, sigma^2) to 0.5 N(-a, s^2) + 0.5 N(a, s^2) by forward or reverse KL."""
    widest = 1.5 * math.hypot(a, s)
    x = np.linspace(-a - 8 * widest, a + 8 * widest, 3001)
    dx = x[1] - x[0]
    log_p = np.logaddexp(normal_logpdf(x, -a, s), normal_logpdf(x, a, s)) + np.log(0.5)
    p = np.exp(log_p)

    def objective(theta):
        log_q = normal_logpdf(x, theta[0], np.exp(theta[1]))
        if direction == "forward":
            return float(np.sum(p * (log_p - log_q)) * dx)
        return float(np.sum(np.exp(log_q) * (log_q - log_p)) * dx)

    bounds = [(-2 * a, 2 * a), (np.log(0.2 * s), np.log(widest))]
    starts = [(-a, np.log(s)), (0.0, np.log(a)), (a, np.log(s))]
    best = min((optimize.minimize(objective, start, method="L-BFGS-B", bounds=bounds) for start in starts),
               key=lambda result: result.fun)
    return best.x[0], float(np.exp(best.x[1]))


def o_forward_reverse_fit(item):
    a, s = item.params["a"], item.params["s"]
    mu, sigma = fitted_gaussian(a, s, item.params["direction"])
    if abs(mu) < 0.1 * a and abs(sigma - math.hypot(a, s)) < 0.05 * sigma:
        return "cover"
    if abs(abs(mu) - a) < 0.1 * a and abs(sigma - s) < 0.2 * s:
        return "mode"
    return f"unclear fit mu={mu:.3f} sigma={sigma:.3f}"


def o_js_divergence(item):
    return jensenshannon(item.params["p"], item.params["q"]) ** 2


# ---------------------------------------------------------------- MLE

def o_coin_mle(item):
    seq = np.asarray(item.params["tosses"])
    result = optimize.minimize_scalar(lambda t: -stats.bernoulli.logpmf(seq, t).sum(), bounds=(1e-9, 1 - 1e-9),
                                      method="bounded", options={"xatol": 1e-12})
    return result.x


def o_coin_loglik(item):
    return stats.bernoulli.logpmf(item.params["tosses"], item.params["theta"]).sum()


def o_gaussian_variance_mle(item):
    _, scale = stats.norm.fit(item.params["x"])
    return scale**2 if item.params["ask"] == "variance" else scale


def o_gaussian_nll(item):
    return -stats.norm.logpdf(item.params["x"], item.params["mu"], item.params["sigma"]).sum()


def o_mle_min_kl(item):
    counts = item.params["counts"]
    return pick_choice(item, lambda q: stats.multinomial.logpmf(counts, sum(counts), arr(q) / sum(q)), best=max)


def o_mle_objectives(item):
    counts = arr(item.params["counts"])
    freq = counts / counts.sum()
    thetas = np.linspace(1e-4, 1 - 1e-4, 20001)
    model = stats.binom.pmf(np.arange(3)[:, None], 2, thetas)           # shape (3, thetas)
    loglik = (counts[:, None] * np.log(model)).sum(axis=0)
    objectives = {
        "mean_nll": -loglik / counts.sum(), "total_nll": -loglik,
        "cross_entropy": -(freq[:, None] * np.log(model)).sum(axis=0),
        "forward_kl": special.rel_entr(freq[:, None], model).sum(axis=0),
        "neg_likelihood": -np.exp(loglik - loglik.max()),
        "reverse_kl": special.rel_entr(model, freq[:, None]).sum(axis=0),
        "reverse_ce": -(model * np.log(freq[:, None])).sum(axis=0),
        "squares": ((freq[:, None] - model) ** 2).sum(axis=0),
        "model_entropy": special.entr(model).sum(axis=0),
    }
    mle = thetas[np.argmax(loglik)]
    return [key for key in item.params["true"] + item.params["false"]
            if abs(thetas[np.argmin(objectives[key])] - mle) < 1e-3]


# ---------------------------------------------------------------- losses

def o_bce_value(item):
    return -stats.bernoulli.logpmf(item.params["y"], item.params["p"])


def o_bce_logits(item):
    y, z = item.params["y"], item.params["z"]
    return -(y * special.log_expit(z) + (1 - y) * special.log_expit(-z))


_P, _Y, _Z = sympy.symbols("p y z")
BCE_DP = sympy.lambdify((_P, _Y), sympy.diff(-(_Y * sympy.log(_P) + (1 - _Y) * sympy.log(1 - _P)), _P))


def o_bce_grad_prob(item):
    return BCE_DP(item.params["p"], item.params["y"])


def central_difference(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def o_bce_grad_logit(item):
    y = item.params["y"]
    return central_difference(lambda z: -(y * special.log_expit(z) + (1 - y) * special.log_expit(-z)),
                              item.params["z"])


def o_mse_grad_logit(item):
    y = item.params["y"]
    return central_difference(lambda z: 0.5 * (special.expit(z) - y) ** 2, item.params["z"])


def o_saturation(item):
    z, y, family = item.params["z"], item.params["y"], item.params["family"]
    ce_grad = abs(central_difference(lambda v: -(y * special.log_expit(v) + (1 - y) * special.log_expit(-v)), z))
    mse_grad = abs(central_difference(lambda v: 0.5 * (special.expit(v) - y) ** 2, z))
    if family == "ce_large":
        return ce_grad >= 0.9
    if family == "mse_small":
        return mse_grad < 0.01
    return mse_grad <= ce_grad / 4 if item.params["says"] else mse_grad > ce_grad / 2


def o_softmax_ce_value(item):
    return -special.log_softmax(item.params["z"])[item.params["label"]]


def logit_derivative(f, z, j, h=1e-5):
    z = arr(z)
    step = np.zeros_like(z)
    step[j] = h
    return (f(z + step) - f(z - step)) / (2 * h)


def o_softmax_gradient(item):
    c = item.params["label"]
    return logit_derivative(lambda z: -special.log_softmax(z)[c], item.params["z"], item.params["j"])


def o_softmax_hessian(item):
    i = item.params["i"]
    return logit_derivative(lambda z: special.softmax(z)[i], item.params["z"], item.params["j"])


def o_preference_loss(item):
    return -special.log_expit(item.params["chosen"] - item.params["rejected"])


# ---------------------------------------------------------------- frameworks

def _mean_pick(log_probs, target):
    target = np.asarray(target)
    if target.dtype.kind not in "iu" or target.ndim != 1 or log_probs.ndim != 2:
        raise TypeError("expects 2-D scores and integer class indices")
    return float(np.mean(-log_probs[np.arange(len(target)), target]))


def _binary(x, y, from_logits):
    x, y = np.asarray(x, dtype=float), np.asarray(y)
    if x.shape != y.shape or y.dtype.kind != "f":
        raise ValueError("target size must match input size and be float")
    if from_logits:
        return float(np.mean(-(y * special.log_expit(x) + (1 - y) * special.log_expit(-x))))
    if np.any((x < 0) | (x > 1)):
        raise ValueError("all elements of input should be between 0 and 1")
    return float(np.mean(-(y * np.maximum(np.log(x), -100) + (1 - y) * np.maximum(np.log(1 - x), -100))))


def _keras_sparse(from_logits):
    def loss(y_true, y_pred):
        y_pred = np.asarray(y_pred, dtype=float)
        if from_logits:
            log_probs = special.log_softmax(y_pred, axis=-1)
        else:       # Keras rescales to sum 1 and clips before the log
            probs = np.clip(y_pred / y_pred.sum(axis=-1, keepdims=True), 1e-7, 1 - 1e-7)
            log_probs = np.log(probs)
        return _mean_pick(log_probs, np.asarray(y_true))
    return loss


def _keras_categorical(from_logits):
    def loss(y_true, y_pred):
        if np.shape(y_true) != np.shape(y_pred):
            raise ValueError("one-hot targets must have the shape of the predictions")
        return float(np.mean(-(np.asarray(y_true) * special.log_softmax(y_pred, axis=-1)).sum(axis=-1)))
    return loss


FRAMEWORK = {
    "F": types.SimpleNamespace(
        cross_entropy=lambda x, t: _mean_pick(special.log_softmax(np.asarray(x), axis=1), t),
        nll_loss=lambda x, t: _mean_pick(np.asarray(x), t),
        softmax=lambda x, dim: special.softmax(x, axis=dim),
        log_softmax=lambda x, dim: special.log_softmax(x, axis=dim),
        binary_cross_entropy=lambda x, y: _binary(x, y, from_logits=False),
        binary_cross_entropy_with_logits=lambda x, y: _binary(x, y, from_logits=True)),
    "torch": types.SimpleNamespace(sigmoid=special.expit, log=np.log),
    "tf": types.SimpleNamespace(
        keras=types.SimpleNamespace(losses=types.SimpleNamespace(
            SparseCategoricalCrossentropy=lambda from_logits: _keras_sparse(from_logits),
            CategoricalCrossentropy=lambda from_logits: _keras_categorical(from_logits))),
        nn=types.SimpleNamespace(softmax=lambda x: special.softmax(x, axis=-1))),
}


def run_line(line, namespace):
    """Evaluate a quiz's code line on emulated framework functions; None when it fails or is not finite."""
    with np.errstate(all="ignore"):
        try:
            value = float(eval(line, {**FRAMEWORK, **namespace}))   # the template's own fixed code lines
        except (TypeError, ValueError, IndexError):
            return None
    return value if math.isfinite(value) else None


def o_framework_pitfall(item):
    z, c = arr(item.params["z"]), item.params["target"]
    if item.params["scenario"] == "torch_binary":
        y = c % 2
        namespace = {"logit": z[:1], "label": np.array([float(y)])}
        intended = -(y * special.log_expit(z[0]) + (1 - y) * special.log_expit(-z[0]))
    else:
        namespace = {"logits": z[None, :], "target": np.array([c])}
        intended = -special.log_softmax(z)[c]
    matches = [choice.value for choice in item.choices
               if (value := run_line(choice.value, namespace)) is not None and np.isclose(value, intended)]
    return matches[0] if len(matches) == 1 else f"{len(matches)} lines give the intended loss"


def o_double_softmax(item):
    return -special.log_softmax(special.softmax(item.params["z"]))[item.params["label"]]


def o_masked_mean(item):
    return np.average(item.params["losses"], weights=arr(item.params["flags"]))


def o_weighted_mean(item):
    flags = arr(item.params["flags"])
    return np.average(item.params["losses"], weights=np.where(flags == 1, item.params["w"], 1.0))


# ---------------------------------------------------------------- softmax

def o_softmax_temperature(item):
    return special.softmax(arr(item.params["z"]) / item.params["T"])[item.params["k"]]


def o_temperature_limits(item):
    temperature = 1e-3 if item.params["limit"] == "zero" else 1e7
    return np.round(special.softmax(arr(item.params["z"]) / temperature), 4).tolist()


def o_temperature_entropy(item):
    z = arr(item.params["z"])
    h = lambda t: stats.entropy(special.softmax(z / t))   # noqa: E731
    if item.params["family"] == "compare":
        return h(item.params["T1"]) > h(item.params["T2"])
    return np.log(len(z)) - h(item.params["T1"]) < 0.05


def o_logsumexp_value(item):
    return special.logsumexp(item.params["z"]) - item.params["base"]


def o_logsumexp_stable(item):
    z = np.array(item.params["z"])
    exact = float(mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(v)) for v in item.params["z"])))
    namespace = {"np": np, "scipy": types.SimpleNamespace(special=special), "z": z, "m": np.max(z)}
    return [c.value for c in item.choices
            if (value := run_line(c.value, namespace)) is not None and math.isclose(value, exact, rel_tol=1e-12)]


# ---------------------------------------------------------------- perplexity

def o_perplexity_tokens(item):
    return stats.gmean(1 / arr(item.params["p"]))


def o_perplexity_from_loss(item):
    loss = item.params["loss"]
    return np.exp(loss) if item.params["unit"] == "nats" else special.exp2(loss)


def o_bits_per_character(item):
    return item.params["tokens"] * item.params["loss"] * np.log2(np.e) / item.params["chars"]


# ---------------------------------------------------------------- soft targets

def smoothed(k, alpha, label):
    target = np.full(k, alpha / k)
    target[label] += 1 - alpha
    return target


def o_label_smoothing(item):
    q = item.params["q"]
    return ce(smoothed(len(q), item.params["alpha"], item.params["label"]), q)


@functools.cache
def smallest_smoothed_loss(k, alpha, label):
    target = smoothed(k, alpha, label)
    return optimize.minimize(lambda w: ce(target, special.softmax(w)), np.zeros(k)).fun


def o_smoothing_facts(item):
    params = item.params
    target = smoothed(params["k"], params["alpha"], params["label"])
    if params["family"] == "target_entropy":
        return (stats.entropy(target) > 0) == params["says"]
    if params["family"] == "min_loss":
        return (smallest_smoothed_loss(params["k"], params["alpha"], params["label"]) < 1e-6) == params["says"]
    hard = -np.log(params["q"][params["label"]])
    return (ce(target, params["q"]) > hard) == params["says"]


def o_distillation(item):
    t = item.params["T"]
    teacher = special.softmax(arr(item.params["teacher"]) / t)
    student = special.softmax(arr(item.params["student"]) / t)
    return ce(teacher, student)


# ---------------------------------------------------------------- scoring

def o_log_score_regret(item):
    p, q = item.params["p"], item.params["q"]
    return special.rel_entr([p, 1 - p], [q, 1 - q]).sum()


def o_proper_rule_choice(item):
    p = arr(item.params["p"])
    eye = np.eye(3)
    losses = {
        "log": lambda q: -special.xlogy(p, q).sum() if np.all(q[p > 0] > 0) else np.inf,
        "brier": lambda q: sum(p[y] * ((q - eye[y]) ** 2).sum() for y in range(3)),
        "linear": lambda q: sum(p[y] * (1 - q[y]) for y in range(3)),
    }[item.params["rule"]]
    return pick_choice(item, lambda value: losses(arr(value)))


def o_temperature_scaling_nll(item):
    t = item.params["T"]
    return np.mean([-special.log_softmax(arr(z) / t)[y] for z, y in zip(item.params["logits"], item.params["labels"])])


def o_accuracy_vs_ce(item):
    wrong = item.params["wrong"]

    def mean_ce(confidences):
        true_class = [1 - v if i == wrong else v for i, v in enumerate(confidences)]
        return -np.mean(stats.bernoulli.logpmf(1, true_class))

    return mean_ce(item.params["a"]) - mean_ce(item.params["b"])


def o_temperature_loss_limits(item):
    z, y = arr(item.params["z"]), item.params["label"]
    temperature = 1e-3 if item.params["limit"] == "zero" else 1e7
    loss = -special.log_softmax(z / temperature)[y]
    if loss < 1e-6:
        return "zero"
    if loss > 1e2:
        return "infinite"
    return "log_k" if np.isclose(loss, np.log(len(z)), atol=1e-5) else f"unclear limit {loss}"


def o_gaussian_mean_mle(item):
    x = arr(item.params["x"])
    sigma = item.params["sigma"]
    return optimize.minimize_scalar(lambda mu: -stats.norm.logpdf(x, mu, sigma).sum(), bounds=(-10, 10),
                                    method="bounded", options={"xatol": 1e-12}).x


def o_js_symmetry(item):
    p, q = item.params["p"], item.params["q"]
    if item.params["divergence"] == "js":
        return bool(np.isclose(jensenshannon(p, q), jensenshannon(q, p)))
    return bool(np.isclose(stats.entropy(p, q), stats.entropy(q, p)))


def o_smoothing_entropy(item):
    return stats.entropy(smoothed(item.params["k"], item.params["alpha"], 0))


def o_kl_zero(item):
    return bool(stats.entropy(item.params["p"], item.params["counts"]) < 1e-12)   # scipy normalises the counts


ORACLES = {name[2:]: value for name, value in globals().items() if name.startswith("o_") and callable(value)}


# ---------------------------------------------------------------- tests

def test_there_are_enough_templates_of_every_type():
    assert len(TEMPLATES) >= 30
    types_seen = {t.type for t in TEMPLATES.values()}
    assert types_seen == {"num", "single", "multi", "truefalse"}


def test_every_template_has_an_oracle_and_every_oracle_a_template():
    assert set(ORACLES) == set(TEMPLATES)


@pytest.mark.parametrize("template_id", sorted(TEMPLATES))
def test_template_over_200_seeds(template_id):
    """Finite answers equal to the oracle's, distractors apart, right correct counts, balance, variety."""
    problems = validate_template(TEMPLATES[template_id], seeds=range(200), oracle=ORACLES[template_id])
    assert problems == []


def test_gibbs_counterexample_search_separates_true_from_false():
    truths = gibbs_truths()
    assert {key for key, holds in truths.items() if holds} == {
        "nonnegative", "zero_only_if_equal", "ce_above_entropy", "decomposition", "relabelling", "js_bounded"}


def test_kl_asymmetry_never_uses_mirror_images_or_near_ties():
    template = TEMPLATES["kl_asymmetry"]
    for seed in range(200):
        p, q = (arr(v) for v in (draw(template, seed=seed, variant=1).params[k] for k in ("p", "q")))
        assert not np.allclose(np.sort(p), np.sort(q)), f"seed {seed}: q rearranges p"
        assert abs(stats.entropy(p, q) - stats.entropy(q, p)) >= 0.05, f"seed {seed}: directions nearly equal"


def test_the_seed_texts_mirror_image_pair_really_is_degenerate():
    """The reason kl_asymmetry rejects rearrangements: this classic demo pair shows no asymmetry."""
    p = arr([0.4, 0.3, 0.2, 0.1])
    assert np.isclose(stats.entropy(p, p[::-1]), stats.entropy(p[::-1], p))
    assert TEMPLATES["kl_asymmetry"].call("degenerate", {"p": list(p), "q": list(p[::-1])})


def test_bce_gradient_at_005_is_exactly_20_not_19():
    item = next(it for seed in range(400)
                if (it := draw(TEMPLATES["bce_grad_prob"], seed=seed, variant=0)).params == {"y": 1, "p": 0.05})
    assert item.answer == pytest.approx(-20.0)
    assert -19.0 in [c.value for c in item.choices if not c.correct]     # offered only as a distractor


def test_forward_reverse_modes_are_well_separated():
    for seed in range(200):
        params = draw(TEMPLATES["forward_reverse_fit"], seed=seed, variant=2).params
        assert params["a"] / params["s"] >= 3


def test_support_mismatch_reverse_direction_is_finite():
    for seed in range(100):
        params = draw(TEMPLATES["support_mismatch"], seed=seed, variant=0).params
        assert np.isinf(stats.entropy(params["p"], params["q"]))
        assert np.isfinite(stats.entropy(params["q"], params["p"]))
