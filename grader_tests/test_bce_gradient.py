"""bce_gradient: every number and identity the notebook states is recomputed here, and the mutants the issue asks for exist.

The source material this assignment was written from contains a wrong figure ("BCE gradient ~19" where the
exact value is 20), so the numbers in the prompts and in the model answer are not trusted as typed.
"""

from __future__ import annotations

import math
import sys

import mpmath
import pytest

from autograder import project
from autograder.master import load_master
from autograder.mutants import load_variants

from conftest import ROOT

NAME = "bce_gradient"


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


S5 = _sigmoid(-5.0)
P = 0.05  # the probability-space example in the note for graders

# (question, text with one "{}" for the value, value, format): the formatted text must occur in that question.
CLAIMS = [
    ("q1", "about $e^{{{}}}$", math.log(sys.float_info.max), ".2f"),
    ("q7", r"\hat y = \sigma(-5) \approx {}", S5, ".5f"),
    ("q7", r"\sigma'(-5) \approx {}", S5 * (1 - S5), ".5f"),
    ("q7", r"$\hat y - 1 \approx {}$", S5 - 1, ".4f"),
    ("q7", r"\times 0.00665 \approx {}$", (S5 - 1) * S5 * (1 - S5), ".5f"),
    ("q7", r"2 + e^{{z}} + e^{{-z}} \approx {}$", 1 / (S5 * (1 - S5)), ".2f"),
    ("q7", r"\partial L/\partial \hat y = -1/0.05 = {}$", -1 / P, "g"),
    ("q7", r"${}$ for the un-halved", 2 * (P - 1), "g"),
    ("q7", r"are ${}$ (BCE)", P - 1, "g"),
    ("q7", r"${}$ (halved MSE)", (P - 1) * P * (1 - P), "g"),
    ("q7", r"1/(0.05 \cdot 0.95) \approx {}$", 1 / (P * (1 - P)), ".2f"),
    ("q7", r"BCE gradient $\approx {}$", S5 - 1, ".2f"),
    ("q7", r"against MSE $\approx {}$", (S5 - 1) * S5 * (1 - S5), ".4f"),
    ("q7", r"1/\sigma'(-5) \approx {}$", 1 / (S5 * (1 - S5)), ".0f"),
]


@pytest.fixture(scope="module")
def master():
    return load_master(project.master_path(ROOT, NAME), NAME)


def _text(master, name: str) -> str:
    question = master.question(name)
    return question.prompt + "\n" + question.model_answer


@pytest.mark.parametrize(("question", "template", "value", "spec"), CLAIMS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CLAIMS)])
def test_numbers_in_the_notebook_are_computed_values(master, question, template, value, spec):
    expected = template.format(format(value, spec))
    assert expected in _text(master, question), f"{question} should state {expected!r} (recomputed)"


def test_example_values_in_the_prompts(master):
    prompts = "\n".join(q.prompt for q in master.questions)
    # sigma(40) rounds to exactly 1.0, which is why the probability-space loss fails at z = 40.
    assert _sigmoid(40.0) == 1.0 and "$\\sigma(40)$ rounds to exactly `1.0`" in prompts
    assert math.isclose(math.log1p(math.exp(40.0)) - 0 * 40.0, 40.0) and "`bce_loss(0, 40.0)` is\nabout 40" in prompts
    stable = max(-1000.0, 0.0) - 1 * -1000.0 + math.log1p(math.exp(-abs(-1000.0)))
    assert stable == 1000.0 and "`bce_loss(1, -1000.0)` equals 1000" in prompts
    assert _sigmoid(0.0) - 1 == -0.5 and "`bce_grad(1, 0.0)` is `-0.5`" in prompts
    assert (0.5 - 1) * 0.5 * 0.5 == -0.125 and "`mse_grad(1, 0.0)` is `-0.125`" in prompts
    assert S5 < 0.01 and "below 1%" in master.question("q6").prompt


def test_identities_used_in_the_text():
    """ln(1 + e^z) - y z is the BCE of sigma(z); 1 / sigma'(z) = 2 + e^z + e^-z; sigma' = sigma (1 - sigma)."""
    with mpmath.workdps(40):
        for z in (-30, -5, -0.7, 0, 1.3, 8, 25):
            z = mpmath.mpf(z)
            s = 1 / (1 + mpmath.exp(-z))
            for y in (0, 1, mpmath.mpf("0.3")):
                from_probabilities = -(y * mpmath.log(s) + (1 - y) * mpmath.log(1 - s))
                assert mpmath.almosteq(mpmath.log(1 + mpmath.exp(z)) - y * z, from_probabilities, 1e-25)
            assert mpmath.almosteq(mpmath.diff(lambda t: 1 / (1 + mpmath.exp(-t)), z), s * (1 - s), 1e-25)
            assert mpmath.almosteq(1 / (s * (1 - s)), 2 + mpmath.exp(z) + mpmath.exp(-z), 1e-25)


@pytest.mark.parametrize(("slug", "question"), [
    ("grad_sign_flipped", "q4"),
    ("bce_grad_uncancelled", "q4"),
    ("naive_loss_from_probabilities", "q2"),
])
def test_mutants_required_by_the_issue_exist(slug, question):
    mutants = {m.slug: m for m in load_variants(project.mutants_dir(ROOT, NAME), mutant=True)}
    assert slug in mutants and question in mutants[slug].loses
