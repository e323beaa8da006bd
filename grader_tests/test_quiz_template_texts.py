"""The review's defects in explanations, labels and stems, each checked against numbers computed here.

Every test recomputes what the text claims (SciPy, NumPy) rather than trusting the template's own
helpers, and each fails on the text the review found.
"""

from __future__ import annotations

import heapq
import math
import re

import numpy as np
import pytest
from scipy import optimize, special, stats

from quizzes.engine import discover_templates, draw

TEMPLATES = {t.id: t for t in discover_templates()}
SEEDS = range(200)


def items(template_id, seeds=SEEDS, variant=0):
    return [draw(TEMPLATES[template_id], seed=seed, variant=variant) for seed in seeds]


def test_one_nat_is_larger_than_one_bit():
    """The fact both texts rest on: 1 nat = 1/ln 2 bits > 1 bit."""
    assert 1 / np.log(2) == pytest.approx(1.4427, abs=1e-4)
    assert stats.entropy([0.5, 0.5], base=2) > stats.entropy([0.5, 0.5])


def test_bits_nats_explanation_says_the_number_in_bits_is_larger():
    for item in items("bits_nats"):
        x, given = item.params["x"], item.params["given"]
        bits, nats = (item.answer, x) if given == "nats" else (x, item.answer)
        assert bits > nats
        text = item.explanation
        assert "larger number in bits" in text and "smaller number in bits" not in text, item.uid
        assert "A bit is the larger unit" not in text
        assert "1.4427" in text


def test_entropy_facts_units_explanation_names_the_nat_as_the_larger_unit():
    seen = 0
    for item in items("entropy_facts"):
        if item.params["family"] != "units":
            continue
        seen += 1
        assert stats.entropy(item.params["p"], base=2) > stats.entropy(item.params["p"])
        assert "a bit is a larger unit" not in item.explanation
        assert "a nat is a larger unit than a bit" in item.explanation
    assert seen > 10


def test_temperature_entropy_label_matches_the_direction_of_the_error():
    seen = {True: 0, False: 0}
    for item in items("temperature_entropy"):
        if item.params["family"] != "near_max":
            continue
        z, t = np.asarray(item.params["z"]), item.params["T1"]
        gap = np.log(len(z)) - stats.entropy(special.softmax(z / t))
        near = gap < 0.05
        assert item.answer == near
        wrong = item.distractors[0]
        # a wrong True claims more entropy than there is (over-estimate); a wrong False claims less
        expected = "over-estimated" if wrong.value else "under-estimated"
        assert wrong.misconception.startswith(expected), (item.uid, wrong.value, wrong.misconception)
        seen[item.answer] += 1
    assert seen[True] > 5 and seen[False] > 5


def huffman_average(p):
    """Average code length of a Huffman code for p (the best real prefix code)."""
    heap = [(w, i, 0.0) for i, w in enumerate(p)]     # (weight, tie-break, weighted depth so far)
    heapq.heapify(heap)
    counter = len(p)
    while len(heap) > 1:
        w1, _, d1 = heapq.heappop(heap)
        w2, _, d2 = heapq.heappop(heap)
        heapq.heappush(heap, (w1 + w2, counter, d1 + d2 + w1 + w2))
        counter += 1
    return heap[0][2]


def test_coding_length_excess_is_over_the_entropy_not_over_the_best_real_code():
    assert huffman_average([0.35, 0.3, 0.2, 0.15]) == pytest.approx(1.95 + 0.0, abs=0.3)   # sanity: a real code
    differs = 0
    for item in items("coding_length"):
        if item.params["ask"] != "excess":
            continue
        p, q = np.asarray(item.params["p"]), np.asarray(item.params["q"])
        h2 = stats.entropy(p, base=2)
        assert item.answer == pytest.approx(float(p @ -np.log2(q)) - h2, abs=1e-9)
        if huffman_average(p) - h2 > 0.02:       # a student computing the real best code gets another number
            differs += 1
            assert "best code" not in item.stem, item.uid
            assert r"entropy \(H_2(p)\)" in item.stem
    assert differs > 10


FALSE_OBJECTIVES = {
    "reverse_kl": lambda m, f: special.rel_entr(m, f).sum(axis=0),
    "reverse_ce": lambda m, f: -(m * np.log(f)).sum(axis=0),
    "squares": lambda m, f: ((f - m) ** 2).sum(axis=0),
    "model_entropy": lambda m, f: special.entr(m).sum(axis=0),
}


def binomial2(theta):
    return np.array([(1 - theta) ** 2, 2 * theta * (1 - theta), theta ** 2])


def test_mle_objectives_minimisers_are_stated_correctly():
    from quizzes.templates.mle import mle_objectives as template   # the statement texts, to find each line

    checked = 0
    for item in items("mle_objectives", variant=4):
        counts = np.asarray(item.params["counts"], dtype=float)
        f = (counts / counts.sum())[:, None]
        lines = item.explanation.splitlines()
        for key in item.params["false"]:
            objective = lambda t, key=key: float(FALSE_OBJECTIVES[key](binomial2(np.atleast_1d(t)), f)[0])  # noqa: E731
            line = next(line for line in lines if line.startswith(f"- {template.FALSE[key][0]}"))
            grid = np.linspace(0, 1, 20001)         # global: the squared error can have two local minima
            start = grid[int(np.argmin(FALSE_OBJECTIVES[key](binomial2(grid), f)))]
            inner = optimize.minimize_scalar(objective, bounds=(max(start - 1e-4, 0), min(start + 1e-4, 1)),
                                             method="bounded", options={"xatol": 1e-12})
            at_end = min(objective(0.0), objective(1.0)) <= inner.fun + 1e-9
            if at_end:
                assert "no minimiser" in line and "approx" not in line, (item.uid, line)
            else:
                stated = float(re.search(r"approx ([0-9.]+)", line).group(1))
                assert stated == round(inner.x, 3), (item.uid, key, inner.x, line)
            checked += 1
    assert checked > 300


def test_mle_objectives_the_reviewed_case_is_0349():
    from quizzes.templates.mle import mle_objectives as template

    f = np.array([5, 9, 3]) / 17
    best = optimize.minimize_scalar(lambda t: -(binomial2(t) * np.log(f)).sum(), bounds=(0, 1), method="bounded",
                                    options={"xatol": 1e-12}).x
    assert best == pytest.approx(0.34855, abs=1e-5)
    assert round(template._argmin("reverse_ce", [5, 9, 3]), 3) == 0.349


def test_framework_pitfall_binary_names_the_sigmoid_and_the_shapes():
    seen = 0
    for item in items("framework_pitfall"):
        if item.params["scenario"] != "torch_binary":
            continue
        seen += 1
        assert "sigmoid twice" in item.explanation and "softmax" not in item.explanation, item.uid
        assert item.stem.count("shape (1,)") == 2 and "`logit = torch.tensor([" in item.stem
    assert seen > 20


def test_double_softmax_gives_the_0_based_target_beside_the_pytorch_code():
    for item in items("double_softmax"):
        z, c = item.params["z"], item.params["label"]
        assert f"`target = torch.tensor([{c}])`" in item.stem and f"shape (1, {len(z)})" in item.stem
        assert "the true class is" not in item.stem or "counts classes from 0" in item.stem
        assert item.answer == pytest.approx(-special.log_softmax(special.softmax(z))[c])


def test_padding_is_mentioned_only_by_padding_items():
    for template_id in ("masked_mean", "weighted_mean"):
        for item in items(template_id, variant=2):
            assert ("padding" in item.stem) == ("padding" in item.explanation), item.uid
            assert ("padding" in item.stem) == (template_id == "masked_mean")


def test_bce_logits_states_its_clip_and_anticipates_that_value():
    clips = set()
    for item in items("bce_logits"):
        eps = item.params["clip"]
        clips.add(eps)
        exponent = round(-math.log10(eps))
        assert rf"\varepsilon = 10^{{-{exponent}}}" in item.stem
        assert f"{-math.log(eps):.1f}" in item.explanation      # the cap, -ln eps
        y, z = item.params["y"], item.params["z"]
        clipped = -stats.bernoulli.logpmf(y, np.clip(special.expit(z), eps, 1 - eps))
        slips = [c for c in item.distractors if "clipped" in c.misconception]
        if abs(clipped - item.answer) > 0.05 * max(1.0, abs(item.answer)):
            assert len(slips) == 1 and slips[0].value == pytest.approx(clipped, rel=1e-9), item.uid
    assert clips == {1e-7, 1e-12, 1e-15}


def test_no_distractor_carries_an_unrecognisable_label():
    """Each label names the formula a student wrote, checked against the value it labels."""
    for item in items("bce_grad_prob", seeds=range(50)):
        y, p = item.params["y"], item.params["p"]
        assert all("probability of the other label" not in c.misconception for c in item.distractors)
        odds = [c for c in item.distractors if "odds" in c.misconception]
        assert len(odds) == 1 and odds[0].value == pytest.approx(-(1 - p) / p if y == 1 else p / (1 - p))
    for item in items("bce_value", seeds=range(50)):
        y, p = item.params["y"], item.params["p"]
        slip = next(c for c in item.distractors if "wrong class" in c.misconception)
        assert slip.value == pytest.approx(-np.log(1 - p) if y == 1 else -np.log(p))


def test_distillation_rejects_a_student_that_equals_the_teacher_after_softening():
    template = TEMPLATES["distillation"]
    assert template.call("degenerate", {"teacher": [0.0, 1.0, 2.5], "student": [1.0, 2.0, 3.5], "T": 2.0})
    for item in items("distillation"):
        t = item.params["T"]
        teacher = special.softmax(np.asarray(item.params["teacher"]) / t)
        student = special.softmax(np.asarray(item.params["student"]) / t)
        assert stats.entropy(teacher, student) > 1e-3
