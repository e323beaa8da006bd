"""The tolerance policy (quizzes/tolerance.py) and every num template under it over 200 seeds.

The policy's promises, each checked on every drawn item: an answer rounded to 3 significant figures
is accepted; 0 is accepted only when the answer is 0; no anticipated slip lies within the tolerance
of the answer or of its 3-figure rounding; the stem states the policy.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from quizzes import tolerance
from quizzes.engine import discover_templates, draw

NUM_TEMPLATES = [t for t in discover_templates() if t.type == "num"]


def round_sig(x, figures=3):
    """Rounding to significant figures through numpy's string formatting (independent of the policy)."""
    return float(np.format_float_positional(x, precision=figures, unique=False, fractional=False, trim="k"))


def test_rounding_to_three_figures_is_always_accepted_at_every_scale():
    rng = np.random.default_rng(7)
    answers = np.concatenate([rng.uniform(1, 10, 2000) * 10.0 ** rng.integers(-4, 4, 2000),
                              [1.005, 9.995, 99.95, 0.0001005, 1004.999, 10.05]])
    for answer in np.concatenate([answers, -answers]):
        tol = tolerance.tolerance_for(answer)
        assert abs(round_sig(answer) - answer) <= tol, answer
        assert abs(answer) > tol or abs(answer) <= tolerance.FLOOR      # 0 only accepted for answers at the floor
    assert tolerance.tolerance_for(0.0) == tolerance.FLOOR


def test_the_reviewed_failures_are_accepted_now():
    """An absolute 0.01 rejected 3-figure answers above 10 (e.g. perplexity 12.3456 written 12.3)."""
    for answer in (12.3456, 753.206, 48.7651, 10.0499):
        assert abs(round_sig(answer) - answer) > 0.01                          # what the old tolerance refused
        assert abs(round_sig(answer) - answer) <= tolerance.tolerance_for(answer)
    assert tolerance.tolerance_for(0.000335) < 0.000335                        # 0 is no longer accepted for it


def test_policy_problems_flags_slips_near_the_rounded_answer():
    # 753.206 rounds to 753: a slip of exactly 753 (the largest logit) would be graded right
    assert tolerance.problems(753.206, [("max", 753.0)])
    assert tolerance.problems(0.00005, [])                 # a nonzero answer 0 would be accepted for
    assert tolerance.problems(2.0, [("far", 2.5)]) == []


@pytest.mark.parametrize("template", NUM_TEMPLATES, ids=lambda t: t.id)
def test_every_num_item_follows_the_policy_over_200_seeds(template):
    for seed in range(200):
        item = draw(template, seed=seed, variant=0)
        answer, tol = item.answer, item.tolerance
        assert tol == pytest.approx(max(0.01 * abs(answer), 0.0001), rel=1e-9)
        assert item.stem.endswith(tolerance.STEM_NOTE), item.uid
        assert abs(round_sig(answer) - answer) <= tol, item.uid
        assert answer == 0 or abs(answer) > tol, f"{item.uid}: 0 would be accepted for {answer}"
        for slip in item.distractors:
            for target in (answer, round_sig(answer)):
                assert abs(slip.value - target) > tol, \
                    f"{item.uid}: slip {slip.misconception!r} = {slip.value} within {tol} of {target}"
        assert math.isfinite(answer)


def test_quiz_bank_doc_states_the_policy_and_the_practice_rule():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "quiz_bank.md").read_text(encoding="utf-8")
    assert f"max({tolerance.RELATIVE} * abs(a), {tolerance.FLOOR})" in doc
    assert tolerance.STEM_NOTE.replace("\\(\\pm ", "±").replace("\\)", "")[:60] in doc.replace("\n", " ")
    assert "Practice bank and assessment bank" in doc and "--force" in doc
