"""variant.py of every variant assignment: check() rejects each degenerate draw its docstring names and accepts
CANONICAL; generate() draws plain values that check() accepts; params_for is reproducible and personal.

Every assignments/*/variant.py is found here. Its docstring lists, after "``check`` rejects a draw when", one bullet
per kind of degenerate draw; DEGENERATE below holds, per assignment, params built from CANONICAL that are
degenerate in exactly that way, with the bullet they illustrate and words of the ValueError expected. A variant.py
whose bullets are not all illustrated fails test_every_named_degenerate_draw_is_tested. No builds: fast.
"""

from __future__ import annotations

import ast
import copy
import math

import numpy as np
import pytest

from autograder import variantdraw
from autograder.variants import load_spec

from conftest import ROOT

VARIANT_ASSIGNMENTS = sorted(path.parent.name for path in (ROOT / "assignments").glob("*/variant.py"))
REJECTS = "``check`` rejects a draw when"

# assignment -> [(bullet index in the docstring, case id, changes to CANONICAL, words of the error)]
DEGENERATE: dict[str, list[tuple[int, str, dict, str]]] = {
    "coin_mle": [
        (0, "no-tails", {"flips": "HHHHH", "heads": 5, "tails": 0}, "a zero count"),
        (0, "no-heads", {"flips": "TTTTTT", "heads": 0, "tails": 6}, "a zero count"),
        (1, "as-many-heads-as-tails", {"flips": "HHTHTT", "heads": 3, "tails": 3}, "as many heads as tails"),
        # 3/16 = 0.1875 lies halfway between the grid points 0.185 and 0.19
        (2, "argmin-tie", {"flips": "HHH" + "T" * 13, "heads": 3, "tails": 13}, "halfway between two grid points"),
        (3, "counts-disagree", {"flips": "HHTHT", "heads": 2, "tails": 3}, "must be the counts"),
        (3, "not-h-and-t", {"flips": "HHXHT", "heads": 3, "tails": 1}, "string of H and T"),
    ],
    "loss_calculations": [
        (0, "sum-not-one", {"dist_a": ["1/2", "1/4", "1/8", "1/4"]}, "is not a distribution"),
        (0, "not-a-fraction", {"dist_c": ["one", "0", "0", "0"]}, "must be a fraction"),
        (0, "no-uniform", {"dist_b": ["1/2", "1/2", "0", "0"]}, "needs a point mass"),
        (0, "no-point-mass", {"dist_c": ["1/2", "1/6", "1/6", "1/6"]}, "needs a point mass"),
        (1, "entropy-tie", {"dist_d": ["1/8", "1/2", "1/8", "1/4"]}, "within 0.01"),
        (2, "argmax-tie", {"logits": [3.0, 1.0, 3.0]}, "unique largest logit"),
        (2, "true-class-not-largest", {"logits": [2.0, 3.0, 1.0]}, "unique largest logit"),
        (2, "wrong-ordinal", {"true_class_ordinal": "second"}, "ordinal"),
        (2, "logit-not-whole", {"logits": [2.5, 1.0, 3.0]}, "three whole numbers"),
        # L = ln(1 + 2 e^-4) = 0.036
        (3, "loss-badly-conditioned", {"logits": [-1.0, -1.0, 3.0]}, "below 0.04"),
        (4, "avg-ce-small", {"avg_ce": 0.3}, "avg_ce must lie in"),
        (4, "avg-ce-large", {"avg_ce": 4.5}, "avg_ce must lie in"),
        (5, "bce-not-decreasing", {"bce_probs": [0.5, 0.9, 0.05]}, "strictly decreasing"),
        (5, "bce-zero-probability", {"bce_probs": [0.9, 0.5, 0.0]}, "strictly decreasing"),
        (5, "wrong-p-zero", {"wrong_p": 0.0}, "wrong_p must lie in"),
        (5, "wrong-p-not-confident", {"wrong_p": 0.3}, "wrong_p must lie in"),
        (6, "p-not-tenths", {"p_dist": [0.75, 0.15, 0.1]}, "whole tenths"),
        (6, "p-sums-above-one", {"p_dist": [0.7, 0.2, 0.2]}, "whole tenths"),
        (6, "q-zero-entry", {"q_dist": [0.6, 0.4, 0.0]}, "zero entry"),
        (7, "mirror-image", {"p_dist": [0.6, 0.3, 0.1], "q_dist": [0.3, 0.6, 0.1]}, "mirror images"),
        # KL directions differ by 0.0074, the cross-entropies H(p, q) = 1.0601 and H(q, p) = 1.0597 by 0.0005
        (7, "cross-entropy-symmetric", {"p_dist": [0.1, 0.4, 0.5], "q_dist": [0.2, 0.2, 0.6]}, "H(p, q) and H(q, p)"),
        (8, "two-classes", {"num_classes": 2}, "num_classes"),
        (8, "alpha-zero", {"alpha": 0.0}, "alpha = 0.0 must lie in"),
        (8, "alpha-large", {"alpha": 0.6}, "alpha = 0.6 must lie in"),
        # LSE - max = ln(1 + 2 e^-10) = 9.1e-5
        (9, "lse-is-the-max", {"big_logits": [1000.0, 990.0, 990.0]}, "within 0.04 of their maximum"),
        (9, "big-logit-not-whole", {"big_logits": [1000.5, 1001.0, 999.0]}, "three whole numbers"),
        # the perplexity e^ln(2.5) is 2.5: rounding it to 2 decimals changes nothing
        (10, "two-decimal-perplexity", {"avg_ce": math.log(2.5)}, "two-decimal mutant"),
    ],
    "js_divergence": [
        (0, "not-hundredths", {"p_two_peaks": [0.495, 0.01, 0.495]}, "whole hundredths"),
        (0, "negative-entry", {"r_with_zero": [0.6, 0.5, -0.1]}, "none negative"),
        (0, "sum-not-one", {"q_one_peak": [0.1, 0.8, 0.2]}, "summing to exactly 1"),
        (1, "p-one-peaked", {"p_two_peaks": [0.3, 0.4, 0.3]}, "smallest entry in the middle"),
        (1, "q-not-peaked-in-middle", {"q_one_peak": [0.5, 0.3, 0.2]}, "largest entry in the middle"),
        (2, "p-zero-entry", {"p_two_peaks": [0.5, 0.0, 0.5]}, "no zero entry"),
        # KL(p||q) = 1.1886 and KL(q||p) = 1.1230 differ by 0.066
        (3, "nearly-symmetric", {"p_two_peaks": [0.37, 0.1, 0.53], "q_one_peak": [0.26, 0.69, 0.05]},
         "differ by less than 0.1"),
        (4, "no-zero", {"r_with_zero": [0.5, 0.3, 0.2]}, "exactly one zero entry"),
        (4, "point-mass", {"r_with_zero": [1.0, 0.0, 0.0]}, "exactly one zero entry"),
        (5, "seed-too-small", {"experiment_seed": 999}, "experiment_seed"),
        (5, "seed-not-an-integer", {"experiment_seed": 2605.5}, "experiment_seed"),
        (5, "seed-a-bool", {"experiment_seed": True}, "experiment_seed"),
    ],
}


def _spec(name: str):
    return load_spec(ROOT / "assignments" / name, name)


def _bullets(source: str) -> list[str]:
    """The bullets of the docstring's list of degenerate draws (continuation lines joined)."""
    doc = ast.get_docstring(ast.parse(source)) or ""
    lines = doc.splitlines()
    start = next((i for i, line in enumerate(lines) if REJECTS in line), None)
    assert start is not None, f"the docstring of variant.py needs a list after {REJECTS!r}"
    bullets: list[str] = []
    for line in lines[start + 1:]:
        if line.startswith("- "):
            bullets.append(line[2:])
        elif line.startswith("  ") and bullets:
            bullets[-1] += " " + line.strip()
        else:
            break
    return bullets


def _is_plain(value) -> bool:
    if isinstance(value, bool) or value is None:
        return False  # no parameter is a flag; a bool where a number belongs is a generate() bug
    if isinstance(value, (int, str)):
        return type(value) in (int, str)
    if isinstance(value, float):
        return type(value) is float and math.isfinite(value)
    if isinstance(value, list):
        return all(_is_plain(item) for item in value)
    return False


CASES = [pytest.param(name, bullet, changes, words, id=f"{name}-{case}")
         for name in VARIANT_ASSIGNMENTS for bullet, case, changes, words in DEGENERATE.get(name, [])]


def test_variant_assignments_are_found():
    assert {"coin_mle", "loss_calculations", "js_divergence"} <= set(VARIANT_ASSIGNMENTS)


@pytest.mark.parametrize("name", VARIANT_ASSIGNMENTS)
def test_every_named_degenerate_draw_is_tested(name):
    bullets = _bullets(_spec(name).source)
    assert bullets, f"assignments/{name}/variant.py names no degenerate draw"
    cases = DEGENERATE.get(name)
    assert cases, f"add the degenerate draws of assignments/{name}/variant.py to DEGENERATE in this file"
    covered = {bullet for bullet, *_ in cases}
    assert covered == set(range(len(bullets))), (
        f"DEGENERATE[{name!r}] illustrates bullets {sorted(covered)} of {len(bullets)}: "
        + "; ".join(f"{i}: {text[:60]}" for i, text in enumerate(bullets) if i not in covered))


@pytest.mark.parametrize(("name", "bullet", "changes", "words"), CASES)
def test_check_rejects_the_degenerate_draw(name, bullet, changes, words):
    spec = _spec(name)
    params = copy.deepcopy(spec.canonical)
    assert set(changes) <= set(params), f"{sorted(set(changes) - set(params))} are not parameters of {name}"
    params.update(copy.deepcopy(changes))
    with pytest.raises(ValueError) as info:
        spec.check(params)
    assert words in str(info.value), f"bullet {bullet} ({_bullets(spec.source)[bullet][:60]}...): {info.value}"


@pytest.mark.parametrize("name", VARIANT_ASSIGNMENTS)
def test_canonical_passes_and_is_plain(name):
    spec = _spec(name)
    spec.check(copy.deepcopy(spec.canonical))
    assert all(_is_plain(value) for value in spec.canonical.values()), spec.canonical


@pytest.mark.parametrize("name", VARIANT_ASSIGNMENTS)
def test_300_seeded_draws_are_plain_and_pass_check(name):
    spec = _spec(name)
    rng = np.random.default_rng(20260)
    for _ in range(300):
        raw = spec.generate(rng)
        assert isinstance(raw, dict) and all(_is_plain(value) for value in raw.values()), \
            f"generate(rng) must return plain Python values (int, float, str, lists of them): {raw!r}"
    key = b"test-variant-checks-key-0123456789"
    for index in range(300):
        params = spec.params_for(key, f"s{index}")
        assert all(_is_plain(value) for value in params.values()), params
        spec.check(copy.deepcopy(params))
        assert set(params) == set(spec.canonical), "every draw has the parameters CANONICAL has"


@pytest.mark.parametrize("name", VARIANT_ASSIGNMENTS)
def test_params_for_is_reproducible_and_personal(name):
    spec = _spec(name)
    key, other_key = b"test-variant-checks-key-0123456789", b"another-course-key-9876543210"
    students = [f"z{index:07d}" for index in range(20)]
    first = [spec.params_for(key, student) for student in students]
    assert first == [spec.params_for(key, student) for student in students], "same key and student, same numbers"
    distinct = {repr(params) for params in first}
    assert len(distinct) >= 15, f"only {len(distinct)} different variants among 20 students"
    assert first[0] != first[1]
    assert [spec.params_for(other_key, student) for student in students] != first, "another key, other numbers"
    assert variantdraw.seed(key, name, students[0]) == variantdraw.seed(key, name, students[0])
