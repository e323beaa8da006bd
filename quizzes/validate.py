"""Stress-test templates: draw many seeds and list every problem found.

Each drawn item is checked from the outside (what a student or exporter would see): finite
answers, distractors outside the tolerance of the answer and of each other, the right
number of correct choices, misconception tags on every distractor, balanced LaTeX, plain
JSON parameters, determinism, no degenerate case, and - when an oracle is given - the
answer against an independent computation. Across the seeds: the correct option's
position is balanced and the variants differ.

    python -m quizzes.validate [TEMPLATE_ID ...] [--seeds N]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from xentcore.errors import QuizTemplateError
from quizzes import tolerance
from quizzes.checks import is_number
from quizzes.engine import Template, discover_templates, draw
from quizzes.model import Item

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


def validate_templates(templates: Sequence[Template] | None = None, *, seeds: Iterable[int] = DEFAULT_SEEDS,
                       oracles: dict[str, Oracle] | None = None) -> dict[str, list[str]]:
    """Problems per template id (only templates with problems appear)."""
    templates = discover_templates() if templates is None else templates
    seeds = list(seeds)
    found = {t.id: validate_template(t, seeds=seeds, oracle=(oracles or {}).get(t.id)) for t in templates}
    return {tid: problems for tid, problems in found.items() if problems}


# ---------------------------------------------------------------- one item

def item_problems(template: Template, item: Item) -> list[str]:
    """What is wrong with one drawn item, judged only from the item itself."""
    problems = _text_problems(item) + _tag_problems(item)
    problems += {"num": _num_problems, "single": _choice_problems, "multi": _choice_problems,
                 "truefalse": _truefalse_problems}[item.type](template, item)
    try:
        if json.loads(json.dumps(item.to_json(), allow_nan=False)) != item.to_json():
            problems.append("the item does not survive a JSON round trip")
    except ValueError as exc:
        problems.append(f"the item is not plain JSON: {exc}")
    if template.has("degenerate"):
        reason = template.call("degenerate", item.params)
        if reason:
            problems.append(f"a degenerate case reached the bank: {reason}")
    return problems


def _text_problems(item: Item) -> list[str]:
    problems = []
    texts = {"stem": item.stem, "explanation": item.explanation}
    texts.update({f"choice {i}": c.text for i, c in enumerate(item.choices)})
    texts.update({f"feedback {i}": c.feedback for i, c in enumerate(item.choices)})
    for name, text in texts.items():
        if not text.strip():
            problems.append(f"the {name} is empty")
        problems += [f"the {name} {problem}" for problem in latex_problems(text)]
    return problems


def latex_problems(text: str) -> list[str]:
    """Unbalanced math delimiters or braces, or ``$`` math (exporters expect \\( \\) and \\[ \\])."""
    problems = []
    for opening, closing in (("\\(", "\\)"), ("\\[", "\\]")):
        if text.count(opening) != text.count(closing):
            problems.append(f"has {text.count(opening)} '{opening}' but {text.count(closing)} '{closing}'")
    if "$" in text:
        problems.append("uses $ for math; use \\( \\) or \\[ \\]")
    for segment in _math_segments(text):
        if segment.count("{") != segment.count("}"):
            problems.append(f"has unbalanced braces in the formula {segment[:60]!r}")
    return problems


def _math_segments(text: str) -> list[str]:
    segments = []
    for opening, closing in (("\\(", "\\)"), ("\\[", "\\]")):
        start = text.find(opening)
        while start != -1:
            end = text.find(closing, start + 2)
            if end == -1:
                break
            segments.append(text[start + 2:end])
            start = text.find(opening, end + 2)
    return segments


def _tag_problems(item: Item) -> list[str]:
    problems = []
    for i, choice in enumerate(item.choices):
        if choice.correct and choice.misconception is not None:
            problems.append(f"correct choice {i} carries a misconception tag")
        if not choice.correct and not (choice.misconception or "").strip():
            problems.append(f"distractor {i} names no misconception")
    tags = [c.misconception for c in item.choices if c.misconception]
    if len(tags) != len(set(tags)):
        problems.append("two distractors share a misconception tag")
    return problems


def _separation_problems(values: list[tuple[str, float]], tol: float) -> list[str]:
    problems = [f"{name} is {value}, not finite" for name, value in values if not math.isfinite(value)]
    for i, (name_a, a) in enumerate(values):
        for name_b, b in values[i + 1:]:
            if abs(a - b) <= tol:
                problems.append(f"{name_b} ({b:.6g}) lies within the tolerance {tol:g} of {name_a} ({a:.6g})")
    return problems


def _num_problems(template: Template, item: Item) -> list[str]:
    problems = []
    if not is_number(item.answer) or not math.isfinite(item.answer):
        return [f"the answer {item.answer!r} is not a finite number"]
    if not item.choices or not item.choices[0].correct or item.choices[0].value != item.answer:
        problems.append("the first choice is not the answer")
    if sum(c.correct for c in item.choices) != 1:
        problems.append("a num item must have exactly one correct value")
    values = [("the answer", item.answer)] + [(f"distractor '{c.misconception}'", c.value)
                                              for c in item.choices if not c.correct]
    if not all(is_number(v) for _, v in values):
        return problems + ["a num distractor is not a number"]
    if item.tolerance is None or item.tolerance != tolerance.tolerance_for(item.answer):
        return problems + [f"the tolerance {item.tolerance!r} is not the policy's for the answer {item.answer}"]
    return problems + _separation_problems(values, item.tolerance) + \
        tolerance.problems(item.answer, values[1:])


def _choice_problems(template: Template, item: Item) -> list[str]:
    problems = []
    correct = [i for i, c in enumerate(item.choices) if c.correct]
    if len(item.choices) != template.n_choices:
        problems.append(f"{len(item.choices)} choices, META says {template.n_choices}")
    if item.type == "single":
        if len(correct) != 1:
            problems.append(f"{len(correct)} correct choices in a single-answer item")
        elif item.answer != correct[0]:
            problems.append("the answer index does not point at the correct choice")
    else:
        lo, hi = template.n_correct
        if not lo <= len(correct) <= hi:
            problems.append(f"{len(correct)} correct choices, META allows {lo} to {hi}")
        if item.answer != correct:
            problems.append("the answer indices do not match the correct choices")
        if abs(sum(c.weight for c in item.choices if c.correct) - 1) > 1e-9:
            problems.append("the weights of the correct choices do not add up to 1")
    texts = [c.text for c in item.choices]
    if len(set(texts)) != len(texts):
        problems.append("two choices read the same")
    numeric = [(f"choice {i}", c.value) for i, c in enumerate(item.choices) if is_number(c.value)]
    if template.tolerance is not None and numeric:
        problems += _separation_problems(numeric, template.tolerance)
    return problems


def _truefalse_problems(template: Template, item: Item) -> list[str]:
    problems = []
    if [c.text for c in item.choices] != ["True", "False"]:
        problems.append("a truefalse item must offer True then False")
    correct = [c for c in item.choices if c.correct]
    if len(correct) != 1:
        problems.append(f"{len(correct)} correct choices in a truefalse item")
    elif correct[0].value is not item.answer:
        problems.append("the answer does not match the correct choice")
    return problems


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m quizzes.validate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ids", nargs="*", help="template ids (default: all)")
    parser.add_argument("--seeds", type=int, default=len(DEFAULT_SEEDS), help="seeds per template (default 200)")
    args = parser.parse_args(argv)
    try:
        templates = discover_templates()
    except QuizTemplateError as exc:
        print(f"{exc.kind}: {exc}", file=sys.stderr)
        return 1
    unknown = sorted(set(args.ids) - {t.id for t in templates})
    if unknown:
        print(f"usage: unknown template id(s) {', '.join(unknown)}; see quizzes/templates/", file=sys.stderr)
        return 2
    chosen = [t for t in templates if not args.ids or t.id in args.ids]
    found = validate_templates(chosen, seeds=range(args.seeds))
    for problems in found.values():
        for problem in problems:
            print(problem)
    print(f"{len(chosen)} template(s), {args.seeds} seeds each: "
          f"{sum(len(p) for p in found.values())} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
