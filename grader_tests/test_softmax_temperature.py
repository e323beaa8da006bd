"""softmax_temperature: the numbers and identities the notebook states are recomputed, and the prompt and the
hidden tests agree on the data of the plot.

The source material states that the entropy of the softmax "decreases toward zero" as T -> 0. That holds only
with a unique largest logit: with m tied maxima the limit is ln m (checked below), which is why the assignment
asks for the tied case everywhere (limit, loss, entropy, proof).
"""

from __future__ import annotations

import math
import re
import sys

import mpmath
import pytest

from autograder import project
from autograder.master import load_master
from autograder.mutants import load_variants

from conftest import ROOT

NAME = "softmax_temperature"
Z_DEMO = "np.array([2.0, 1.0, 0.5, -0.5, -1.0])"
GRID = "np.logspace(-2, 2, 200)"


@pytest.fixture(scope="module")
def master():
    return load_master(project.master_path(ROOT, NAME), NAME)


def _softmax(z, t):
    top = max(z)
    weights = [mpmath.exp((v - top) / t) for v in z]
    total = sum(weights)
    return [w / total for w in weights]


def _entropy(z, t):
    return -sum(p * mpmath.log(p) for p in _softmax(z, t) if p > 0)


def test_numbers_in_the_prompts(master):
    q1, q2, q6 = (master.question(name).prompt for name in ("q1", "q2", "q6"))
    # The largest float64 is about e^709.78, and 1 / 1e-8 = 100000000 is the exponent at T = 1e-8, z_k = 1.
    assert f"$e^{{{math.log(sys.float_info.max):.2f}}}$" in q1
    assert f"e^{{{round(1 / 1e-8)}}}" in q1
    assert 1000 > math.log(sys.float_info.max) and 1 / 1e-8 > math.log(sys.float_info.max)  # both overflow
    with mpmath.workdps(30):
        probs = _softmax([mpmath.log(1), mpmath.log(2), mpmath.log(5)], 1)
        assert [float(p) for p in probs] == [0.125, 0.25, 0.625]
        assert [float(p) for p in _softmax([mpmath.mpf(0), mpmath.mpf(0)], 1)] == [0.5, 0.5]
    assert "`softmax(np.log([1.0, 2.0, 5.0]))` is\n`[0.125, 0.25, 0.625]`" in q1
    assert "`softmax([0.0, 0.0])` is `[0.5, 0.5]`" in q1
    assert "`softmax_limit([1.0, 3.0, 2.0])` is `[0.0, 1.0, 0.0]`" in q2
    assert "`softmax_limit([3.0, 1.0, 3.0])` is\n`[0.5, 0.0, 0.5]`" in q2
    assert f"\\ln 5 \\approx {math.log(5):.3f}" in q6
    # "nearly 0 at the cold end, nearly ln 5 at the hot end" of the plotted grid
    z = [mpmath.mpf(v) for v in (2.0, 1.0, 0.5, -0.5, -1.0)]
    assert _entropy(z, mpmath.mpf("0.01")) < 1e-40
    assert math.log(5) - float(_entropy(z, mpmath.mpf(100))) < 1e-4


def test_plot_data_in_the_prompt_is_what_the_hidden_test_checks(master):
    question = master.question("q6")
    assert Z_DEMO in question.prompt and GRID in question.prompt
    data_test = next(t for t in question.hidden_tests if "grid of temperatures" in t.code)
    assert GRID in data_test.code and Z_DEMO in data_test.code
    scale_test = next(t for t in question.hidden_tests if "get_xscale" in t.code)
    assert GRID in scale_test.code
    level_test = next(t for t in question.hidden_tests if "ln K" in t.description)
    assert "np.log(5)" in level_test.code and "K = 5" in question.prompt


def test_entropy_derivative_is_variance_over_t_cubed():
    """The q6 prompt states dH/dT = Var_p(z) / T^3 >= 0: the reason the hidden test may demand monotonicity."""
    with mpmath.workdps(40):
        for z, t in [([2, 1, 0.5, -0.5, -1], 0.7), ([3, 3, 0], 1.9), ([0.1, -4, 2.5, 2.4], 0.05), ([1, 2], 30)]:
            z = [mpmath.mpf(v) for v in z]
            t = mpmath.mpf(t)
            p = _softmax(z, t)
            mean = sum(pi * zi for pi, zi in zip(p, z))
            variance = sum(pi * (zi - mean) ** 2 for pi, zi in zip(p, z))
            derivative = mpmath.diff(lambda s: _entropy(z, s), t)
            assert mpmath.almosteq(derivative, variance / t ** 3, 1e-20)
            assert derivative >= 0


def test_limits_stated_in_the_model_answer():
    """p -> 1/m on the m maximisers as T -> 0+, -> 1/K as T -> oo; the loss identity used for the infinite case."""
    with mpmath.workdps(60):
        z = [mpmath.mpf(v) for v in (1, 3, -2, 3, 3, 0)]
        cold = _softmax(z, mpmath.mpf("1e-3"))
        assert all(mpmath.almosteq(p, mpmath.mpf(1) / 3 if v == 3 else 0, 1e-30) for p, v in zip(cold, z))
        assert mpmath.almosteq(_entropy(z, mpmath.mpf("1e-3")), mpmath.log(3), 1e-30)  # not 0: ties
        hot = _softmax(z, mpmath.mpf("1e12"))
        assert all(mpmath.almosteq(p, mpmath.mpf(1) / 6, 1e-10) for p in hot)
        top = max(z)
        for t in (mpmath.mpf("0.01"), mpmath.mpf(1), mpmath.mpf(50)):
            for k, zk in enumerate(z):
                loss = -mpmath.log(_softmax(z, t)[k])
                rest = mpmath.log(sum(mpmath.exp((v - top) / t) for v in z))
                assert mpmath.almosteq(loss, (top - zk) / t + rest, 1e-40) and rest >= 0


def test_rubric_points_add_up(master):
    proof = master.question("q3")
    assert proof.manual and sum(item.points for item in proof.rubric) == proof.points == 5


@pytest.mark.parametrize(("slug", "question"), [
    ("no_max_subtraction", "q1"),
    ("multiplies_by_temperature", "q1"),
    ("limit_first_argmax", "q2"),
])
def test_mutants_required_by_the_issue_exist(slug, question):
    mutants = {m.slug: m for m in load_variants(project.mutants_dir(ROOT, NAME), mutant=True)}
    assert slug in mutants and question in mutants[slug].loses


def test_hidden_tests_cover_the_contract(master):
    """Every contract point of the issue has a hidden test: extremes, ties, batches, validation, warnings."""
    code = {q.name: "\n".join(t.code for t in q.hidden_tests) for q in master.auto_questions}
    assert "1e-8" in code["q1"] and "1000.0" in code["q1"] and 'simplefilter("error")' in code["q1"]
    assert "ValueError" in code["q1"] and re.search(r"size=\(offsets\.size, 5\)", code["q1"])
    assert "z + constant" in code["q1"]
    assert "tied" in code["q1"] and "maximisers" in code["q4"] and "math.inf" in code["q4"]
    assert "np.diff(values) >= -1e-10" in code["q5"] and 'simplefilter("error")' in code["q5"]
