"""loss_calculations: the precision rule holds value by value, and the notebook's numbers are recomputed.

Students type hand-worked values rounded to 4 decimals. The rule the notebook states — a correctly rounded
4-decimal answer always passes, a 2-decimal one fails — is checked here against the master's own test code, for
every value the assignment asks for, with the exact values recomputed independently (mpmath, 30 digits).

Rounding to 2 decimals can only be caught where it changes the number. It does not for the values that are
exact with 2 decimals (entropy (c) = 0, the derivatives -1.9 and -20, the smoothed target 0.02/0.92), nor for
the gradient component 0.090031, whose correct 4-decimal rounding is 0.0900 = 0.09 itself: no tolerance can
accept the one and reject the other. Those values are listed in COINCIDENT and the test proves the list is
exactly the set of such values.

The source material this assignment was written from states that the BCE gradient at p_hat = 0.05, y = 1 is
"~19"; it is exactly -1/0.05 = -20 (and the squared-error one is -1.9, negative). Checked below.
"""

from __future__ import annotations

import copy
import math
import re

import mpmath
import nbformat
import pytest

from autograder import project
from autograder.master import load_master
from autograder.mutants import load_variants
from autograder.variantdraw import render
from autograder.variants import load_spec

from conftest import ROOT

NAME = "loss_calculations"
# The master's tests and answers read the student's numbers (PARAMS, and the parameter names); everything below
# is about the canonical variant, whose numbers EXACT recomputes independently.
CANONICAL = load_spec(ROOT / "assignments" / NAME, NAME).canonical
TOL = 6e-5  # what the hidden tests accept; test_tolerance_is_the_stated_one checks the notebook uses it

mpmath.mp.dps = 30
ln, exp, mpf = mpmath.log, mpmath.exp, mpmath.mpf


def _entropy(p) -> float:
    return float(-sum(x * ln(x) for x in p if x > 0))


def _exact_answers() -> dict:
    """Every required value, computed here from the definitions (independently of the notebook)."""
    third, sixth = mpf(1) / 3, mpf(1) / 6
    z, y = [mpf(2), mpf(1), mpf(3)], 2
    total = sum(exp(v) for v in z)
    probs = [exp(v) / total for v in z]
    p, q = [mpf("0.7"), mpf("0.2"), mpf("0.1")], [mpf("0.5"), mpf("0.3"), mpf("0.2")]
    K, alpha, true_class = 5, mpf("0.1"), 2
    big = [mpf(1000), mpf(1001), mpf(999)]
    return {
        "entropies": {
            "a": _entropy([mpf(1) / 2, mpf(1) / 4, mpf(1) / 8, mpf(1) / 8]),
            "b": _entropy([mpf(1) / 4] * 4),
            "c": _entropy([mpf(1), 0, 0, 0]),
            "d": _entropy([third, third, sixth, sixth]),
        },
        "ce_loss": float(-ln(probs[y])),
        "ce_grad": [float(probs[c] - (c == y)) for c in range(3)],
        "perplexity": float(exp(mpf("1.5"))),
        "bce_values": [float(-ln(mpf(s))) for s in ("0.9", "0.5", "0.05")],
        "grad_compare": (float(2 * (mpf("0.05") - 1)), float(-1 / mpf("0.05"))),
        "kl_pair": (float(sum(a * ln(a / b) for a, b in zip(p, q))),
                    float(sum(b * ln(b / a) for a, b in zip(p, q)))),
        "cross_entropy_pq": float(-sum(a * ln(b) for a, b in zip(p, q))),
        "label_smoothing_target": [float((1 - alpha) * (c == true_class) + alpha / K) for c in range(K)],
        "lse": float(ln(sum(exp(v) for v in big))),
    }


EXACT = _exact_answers()
RANKING = ["c", "a", "d", "b"]
QUESTION_OF = {"entropies": "q1a", "ce_loss": "q2a", "ce_grad": "q2b", "perplexity": "q3", "bce_values": "q4",
               "grad_compare": "q5", "kl_pair": "q6", "cross_entropy_pq": "q6", "label_smoothing_target": "q7",
               "lse": "q8"}
# Values whose 2-decimal rounding equals their 4-decimal rounding (see the module docstring).
COINCIDENT = {("entropies", "c"), ("ce_grad", 1), ("grad_compare", 0), ("grad_compare", 1),
              *(("label_smoothing_target", c) for c in range(5))}


def _leaves():
    """(name, key) of every single number the assignment asks for; key is None for a plain number."""
    for name, value in EXACT.items():
        if isinstance(value, dict):
            yield from ((name, key) for key in value)
        elif isinstance(value, (list, tuple)):
            yield from ((name, index) for index in range(len(value)))
        else:
            yield name, None


LEAVES = list(_leaves())


def _get(answers: dict, leaf) -> float:
    name, key = leaf
    return answers[name] if key is None else answers[name][key]


def _with(answers: dict, leaf, value: float) -> dict:
    name, key = leaf
    changed = copy.deepcopy(answers)
    if key is None:
        changed[name] = value
    elif isinstance(changed[name], tuple):
        items = list(changed[name])
        items[key] = value
        changed[name] = tuple(items)
    else:
        changed[name][key] = value
    return changed


def _rounded(decimals: int) -> dict:
    answers = copy.deepcopy(EXACT)
    for leaf in LEAVES:
        answers = _with(answers, leaf, round(_get(EXACT, leaf), decimals))
    return answers


def _reference_ce_grad_fd(z, y, h=1e-5):
    """q2c is answered with code, not a typed number: the namespace gets a correct finite difference."""
    import numpy as np
    z = np.asarray(z, dtype=float)

    def loss(logits):
        return logits.max() + np.log(np.exp(logits - logits.max()).sum()) - logits[y]

    return np.array([(loss(z + h * e) - loss(z - h * e)) / (2 * h) for e in np.eye(z.size)])


def _ns(answers: dict) -> dict:
    return {**copy.deepcopy(answers), "entropy_ranking": list(RANKING), "ce_grad_fd": _reference_ce_grad_fd,
            "ce_grad_check": _reference_ce_grad_fd([2.0, 1.0, 3.0], 2), "PARAMS": copy.deepcopy(CANONICAL)}


@pytest.fixture(scope="module")
def master():
    return load_master(project.master_path(ROOT, NAME), NAME)


def _passes(code: str, answers: dict) -> bool:
    try:
        exec(compile(code, f"{NAME}-test", "exec"), _ns(answers))
    except AssertionError:
        return False
    return True


def _failing(master, answers: dict, question: str | None = None) -> list[str]:
    return [f"{q.name} test {t.index + 1} ({t.description})" for q in master.questions for t in q.tests
            if (question is None or q.name == question) and not _passes(t.code, answers)]


def test_exact_values_pass_every_test(master):
    assert _failing(master, EXACT) == []


@pytest.mark.parametrize("decimals", [4, 5, 6])
def test_correctly_rounded_answers_pass_every_test(master, decimals):
    assert _failing(master, _rounded(decimals)) == []


@pytest.mark.parametrize("leaf", LEAVES, ids=[f"{n}-{k}" for n, k in LEAVES])
@pytest.mark.parametrize("offset", [-5e-5, 5e-5])
def test_worst_case_4_decimal_error_passes(master, leaf, offset):
    """A correct 4-decimal rounding is at most half a unit (5e-5) away: that passes whatever the digits."""
    answers = _with(EXACT, leaf, _get(EXACT, leaf) + offset)
    assert _failing(master, answers, QUESTION_OF[leaf[0]]) == []


def test_coincident_values_are_exactly_those_listed():
    coincident = {leaf for leaf in LEAVES
                  if math.isclose(round(_get(EXACT, leaf), 2), round(_get(EXACT, leaf), 4), abs_tol=1e-12)}
    assert coincident == COINCIDENT


@pytest.mark.parametrize("leaf", [leaf for leaf in LEAVES if leaf not in COINCIDENT],
                         ids=[f"{n}-{k}" for n, k in LEAVES if (n, k) not in COINCIDENT])
def test_2_decimal_rounding_of_each_value_fails(master, leaf):
    exact = _get(EXACT, leaf)
    two = round(exact, 2)
    assert abs(two - exact) > 1.5 * TOL, "the 2-decimal rounding should be clearly outside the tolerance"
    answers = _with(EXACT, leaf, two)
    assert _failing(master, answers, QUESTION_OF[leaf[0]]), f"{leaf} rounded to 2 decimals still earns full marks"


@pytest.mark.parametrize("leaf", sorted(COINCIDENT, key=str), ids=[f"{n}-{k}" for n, k in sorted(COINCIDENT, key=str)])
def test_2_decimal_rounding_of_coincident_values_is_accepted(master, leaf):
    """Sensible handling: where 2-decimal and 4-decimal roundings coincide, both are simply correct."""
    answers = _with(EXACT, leaf, round(_get(EXACT, leaf), 2))
    assert _failing(master, answers, QUESTION_OF[leaf[0]]) == []


def test_whole_2_decimal_answer_set_loses_exactly_the_distinguishable_questions(master):
    failing = {entry.split()[0] for entry in _failing(master, _rounded(2))}
    distinguishable = {QUESTION_OF[name] for name, key in LEAVES if (name, key) not in COINCIDENT}
    assert failing == distinguishable == {"q1a", "q2a", "q2b", "q3", "q4", "q6", "q8"}


def _variant_answers(kind: str, slug: str) -> dict:
    variants = {v.slug: v for v in load_variants(ROOT / "assignments" / NAME / kind, mutant=kind == "mutants")}
    import numpy as np
    namespace: dict = {"math": math, "np": np, **copy.deepcopy(CANONICAL)}
    for source in variants[slug].answers.values():
        exec(compile(source, f"{kind}/{slug}.py", "exec"), namespace)
    return {name: namespace[name] for name in EXACT}


@pytest.mark.parametrize(("kind", "slug", "decimals"), [
    ("alternatives", "four_decimal_literals", 4),
    ("alternatives", "six_decimal_literals", 6),
    ("mutants", "two_decimal_literals", 2),
])
def test_typed_literals_are_the_exact_values_rounded(kind, slug, decimals):
    """The hand-typed variants hold exactly the rounded values they claim to (no typo hiding in the tolerance)."""
    answers = _variant_answers(kind, slug)
    for leaf in LEAVES:
        assert math.isclose(_get(answers, leaf), round(_get(EXACT, leaf), decimals), rel_tol=0, abs_tol=1e-12), leaf


def test_tolerance_is_the_stated_one(master):
    intro = "\n".join(c.source for c in nbformat.read(project.master_path(ROOT, NAME), as_version=4).cells
                      if c.cell_type == "markdown")
    assert r"within $6 \times 10^{-5}$ of the exact one" in intro
    numeric = [t for q in master.questions for t in q.hidden_tests if "tol" in t.code]
    assert len(numeric) >= len(LEAVES) - 4  # per-value tests; some check several values at once
    for test in numeric:
        assert re.search(r"^tol = 6e-5$", test.code, re.MULTILINE), f"{test.question} test {test.index + 1}"
    assert TOL == 6e-5


def test_precision_examples_in_the_introduction():
    nb = nbformat.read(project.master_path(ROOT, NAME), as_version=4)
    intro = next(c.source for c in nb.cells if c.cell_type == "markdown")
    assert f"`{round(math.pi, 4)}` for $\\pi$" in intro and abs(round(math.pi, 4) - math.pi) <= TOL
    assert f"(${round(math.pi, 2)}$ is\n${abs(round(math.pi, 2) - math.pi):.4f}$ away from $\\pi$)" in intro
    truncated = math.floor(math.pi * 1e4) / 1e4
    assert f"${truncated}$ is ${abs(truncated - math.pi):.6f}$ away from $\\pi$ and fails" in intro
    assert abs(truncated - math.pi) > TOL


def test_prompts_do_not_state_the_answers(master):
    nb = nbformat.read(project.master_path(ROOT, NAME), as_version=4)
    student_text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")  # no model answers here
    assert not master.manual_questions
    for leaf in LEAVES:
        if leaf in COINCIDENT:
            continue
        value = _get(EXACT, leaf)
        for shown in (f"{value:.4f}", f"{value:.3f}", f"{value:.2f}"):
            assert shown not in student_text, f"the notebook text shows {shown} ({leaf})"


def test_seed_figures_corrected():
    """BCE derivative at p_hat = 0.05, y = 1 is exactly -20 (not ~19); squared error gives -1.9 (negative)."""
    bce = lambda p: -ln(p)  # noqa: E731 - y = 1
    mse = lambda p: (p - 1) ** 2  # noqa: E731
    assert mpmath.almosteq(mpmath.diff(bce, mpf("0.05")), -20, 1e-20)
    assert mpmath.almosteq(mpmath.diff(mse, mpf("0.05")), mpf("-1.9"), 1e-20)
    assert EXACT["grad_compare"] == (-1.9, -20.0)


def test_ce_gradient_is_softmax_minus_one_hot():
    z0 = [mpf(2), mpf(1), mpf(3)]

    def loss(*z):
        return -z[2] + ln(sum(exp(v) for v in z))

    for c in range(3):
        order = [int(i == c) for i in range(3)]
        assert mpmath.almosteq(mpmath.diff(loss, z0, order), EXACT["ce_grad"][c], 1e-15)
    # Both are ln(1 + e^-1 + e^-2): the logits of q8 are those of q2a shifted by 998, and LSE shifts with them.
    assert abs(EXACT["ce_loss"] - (EXACT["lse"] - 1001)) < 1e-12


def test_cross_entropy_is_entropy_plus_kl():
    """q6's identity on the exact values: H(p, q) - H(p) = KL(p||q)."""
    p = [mpf("0.7"), mpf("0.2"), mpf("0.1")]
    assert abs(EXACT["cross_entropy_pq"] - _entropy(p) - EXACT["kl_pair"][0]) < 1e-15


def test_finite_difference_question_accepts_only_a_central_difference(master):
    """q2c: the reference passes; a forward difference or a missing factor 2 fails."""
    import numpy as np

    def forward(z, y, h=1e-5):
        z = np.asarray(z, dtype=float)
        loss = lambda v: v.max() + np.log(np.exp(v - v.max()).sum()) - v[y]  # noqa: E731
        return np.array([(loss(z + h * e) - loss(z)) / h for e in np.eye(z.size)])

    assert _failing(master, EXACT, "q2c") == []
    namespace = {**_ns(EXACT), "ce_grad_fd": forward}
    assert any(not _passes_in(t.code, namespace) for t in master.question("q2c").tests)


def _passes_in(code: str, namespace: dict) -> bool:
    try:
        exec(compile(code, f"{NAME}-test", "exec"), dict(namespace))
    except AssertionError:
        return False
    return True


def test_entropy_ranking_and_conventions_in_prompts(master):
    assert sorted(EXACT["entropies"], key=EXACT["entropies"].get) == RANKING
    assert "0 \\ln 0 = 0" in master.question("q1a").prompt
    for question in ("q2a", "q7"):
        prompt = render(master.question(question).prompt, CANONICAL)
        assert "0-based" in prompt or "count from 0" in prompt
        assert "**third**" in prompt
    assert r"t_c = (1 - \alpha)\,[c = y] + \frac{\alpha}{K}" in master.question("q7").prompt
    assert "(no factor $\\tfrac12$)" in master.question("q5").prompt


@pytest.mark.parametrize(("slug", "questions"), [
    ("log_base_2_cross_entropy", {"q2a", "q2b"}),
    ("class_index_one_based", {"q2a", "q2b"}),
    ("two_decimal_literals", {"q1a", "q2a", "q2b", "q3", "q4", "q6", "q8"}),
])
def test_mutants_required_by_the_issue_exist(slug, questions):
    mutants = {m.slug: m for m in load_variants(project.mutants_dir(ROOT, NAME), mutant=True)}
    assert slug in mutants and questions <= set(mutants[slug].loses)
