"""Stress-test templates: draw many seeds and list every problem found.

Each drawn item is checked from the outside (what a student or exporter would see): finite
answers, distractors outside the tolerance of the answer and of each other, the right
number of correct choices, misconception tags on every distractor, balanced LaTeX, plain
JSON parameters, determinism, no degenerate case, and - when an oracle is given - the
answer against an independent computation. Across the seeds: the correct option's
position is balanced and the variants differ. The rules for one item live in
``quizzes.checks``; this module draws the seeds and judges what only many draws show.

    autograder quiz validate [TEMPLATE_ID ...] [--seeds N]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xentcore.errors import QuizTemplateError, UnknownTemplateError
from quizzes.checks import is_number, item_problems, latex_problems
from quizzes.engine import Template, discover_templates, draw
from quizzes.model import Item

__all__ = ["DEFAULT_SEEDS", "Oracle", "ValidationReport", "item_problems", "latex_problems", "oracle_problems",
           "position_problems", "spread_problems", "validate_quiz", "validate_template", "validate_templates"]

Oracle = Callable[[Item], Any]
DEFAULT_SEEDS = range(200)
DETERMINISM_EVERY = 25        # redraw every 25th seed and compare bytes
MIN_DISTINCT_QUESTIONS = 20   # stem and options together, out of 200 seeds
TRUE_SHARE = (0.3, 0.7)       # truefalse: share of variants whose answer is True
POSITION_SHARE = (0.5, 1.6)   # single/multi: each position's count relative to a uniform share


def validate_template(template: Template, *, seeds: Iterable[int] = DEFAULT_SEEDS,
                      oracle: Oracle | None = None) -> list[str]:
    """Every problem found in ``template`` over ``seeds`` (variant 0 of a bank with each seed)."""
    problems: list[str] = []
    items: list[Item] = []
    for n, seed in enumerate(seeds):
        try:
            item = draw(template, seed=seed, variant=0)
        except QuizTemplateError as exc:      # collected, so one bad seed does not hide the others
            problems.append(f"seed {seed}: {exc}")
            continue
        found = item_problems(template, item)
        if n % DETERMINISM_EVERY == 0 and draw(template, seed=seed, variant=0).to_json() != item.to_json():
            found.append("drawing the same seed twice gave different items")
        if oracle is not None and not found:
            found += oracle_problems(item, oracle(item))
        problems += [f"seed {seed}: {problem}" for problem in found]
        items.append(item)
    problems += spread_problems(template, items)
    return [f"{template.where}: {problem}" for problem in problems]


@dataclass(frozen=True)
class ValidationReport:
    """What ``validate_quiz`` found."""

    templates: int                       # templates validated
    seeds: int                           # seeds per template
    problems: dict[str, list[str]]       # template id -> problems (only templates with problems)

    @property
    def ok(self) -> bool:
        return not self.problems

    def describe(self) -> str:
        lines = [problem for problems in self.problems.values() for problem in problems]
        lines.append(f"{self.templates} template(s), {self.seeds} seeds each: "
                     f"{sum(len(p) for p in self.problems.values())} problem(s)")
        return "\n".join(lines)


def validate_quiz(ids: Sequence[str] = (), *, seeds: int = len(DEFAULT_SEEDS),
                  templates_dir: Path | None = None) -> ValidationReport:
    """Stress-test the templates named by ``ids`` (all when empty) over seeds 0 .. ``seeds`` - 1.

    Raises UnknownTemplateError for an id no template has and QuizTemplateError (naming the file)
    for a template that cannot be loaded. Problems found while drawing are collected in the
    report, not raised, so one bad template does not hide the others.
    """
    templates = discover_templates(templates_dir)
    unknown = sorted(set(ids) - {t.id for t in templates})
    if unknown:
        raise UnknownTemplateError(f"unknown template id(s) {', '.join(unknown)}; see quizzes/templates/")
    chosen = [t for t in templates if not ids or t.id in ids]
    return ValidationReport(templates=len(chosen), seeds=seeds,
                            problems=validate_templates(chosen, seeds=range(seeds)))


def validate_templates(templates: Sequence[Template] | None = None, *, seeds: Iterable[int] = DEFAULT_SEEDS,
                       oracles: dict[str, Oracle] | None = None) -> dict[str, list[str]]:
    """Problems per template id (only templates with problems appear)."""
    templates = discover_templates() if templates is None else templates
    seeds = list(seeds)
    found = {t.id: validate_template(t, seeds=seeds, oracle=(oracles or {}).get(t.id)) for t in templates}
    return {tid: problems for tid, problems in found.items() if problems}


# ---------------------------------------------------------------- oracle

def _same(a: Any, b: Any) -> bool:
    if is_number(a) and is_number(b):
        return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def oracle_problems(item: Item, expected: Any) -> list[str]:
    """Disagreements between the item's answer and an independent oracle's."""
    if item.type == "num":
        ok = _same(item.answer, expected)
        shown = f"{item.answer!r}"
    elif item.type == "truefalse":
        ok = item.answer is bool(expected)
        shown = f"{item.answer!r}"
    elif item.type == "single":
        shown = repr(item.correct_choices[0].value)
        ok = _same(item.correct_choices[0].value, expected)
    else:
        values = [c.value for c in item.correct_choices]
        shown = repr(values)
        ok = len(values) == len(expected) and all(any(_same(v, e) for e in expected) for v in values)
    return [] if ok else [f"the answer is {shown} but the oracle gives {expected!r}"]


# ---------------------------------------------------------------- across seeds

def spread_problems(template: Template, items: Sequence[Item]) -> list[str]:
    """Balance of the correct position (or of True/False) and variety, over many items."""
    if len(items) < 50:
        return []
    problems = []
    if template.type == "truefalse":
        share = sum(item.answer is True for item in items) / len(items)
        if not TRUE_SHARE[0] <= share <= TRUE_SHARE[1]:
            problems.append(f"the answer is True in {share:.0%} of variants; draw true and false claims about "
                            "equally often")
    elif template.type in ("single", "multi"):
        problems += position_problems([i for item in items for i, c in enumerate(item.choices) if c.correct],
                                      template.n_choices)
    questions = {(item.stem, tuple(sorted(c.text for c in item.choices))) for item in items}
    needed = min(MIN_DISTINCT_QUESTIONS, len(items) // 10)
    if len(questions) < needed:
        problems.append(f"only {len(questions)} distinct questions in {len(items)} variants; widen generate()")
    return problems


def position_problems(positions: Sequence[int], n_choices: int) -> list[str]:
    """Whether the correct options' positions are spread evenly over ``n_choices`` slots."""
    counts = Counter(positions)
    fair = len(positions) / n_choices
    problems = []
    for slot in range(n_choices):
        share = counts.get(slot, 0) / fair
        if not POSITION_SHARE[0] <= share <= POSITION_SHARE[1]:
            problems.append(f"the correct option sits in position {slot + 1} {counts.get(slot, 0)} times out of "
                            f"{len(positions)}; it must not be predictable")
    return problems
