"""Checks on what a template returns for one parameter draw.

Shape problems (wrong types, wrong counts, missing misconception tags) are bugs in the
template and raise at once. Value problems (a distractor within the tolerance of the
answer, two options that print alike, a degenerate case) depend on the drawn numbers:
the engine draws again, and the validator reports any that reach an item.
"""

from __future__ import annotations

from itertools import combinations
from typing import TYPE_CHECKING, Any

from quizzes import tolerance

if TYPE_CHECKING:
    from quizzes.engine import Template

Entry = tuple[Any, str, "str | None"]


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def distractor_entries(template: Template, raw: Any) -> list[Entry]:
    """``distractors(params)`` as (value, misconception, feedback) triples, or a QuizTemplateError."""
    from quizzes.engine import to_plain

    if not isinstance(raw, (list, tuple)):
        raise template.fail(f"distractors() returned a {type(raw).__name__}",
                            "return a list of (value, misconception) pairs")
    entries: list[Entry] = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, (list, tuple)) or len(entry) not in (2, 3):
            raise template.fail(f"distractor {i} is {entry!r}",
                                "give each as (value, misconception) or (value, misconception, feedback)")
        tag = entry[1]
        if not isinstance(tag, str) or not tag.strip():
            raise template.fail(f"distractor {i} has no misconception",
                                "name the misconception it diagnoses, e.g. 'log base 2'")
        feedback = entry[2] if len(entry) == 3 else None
        if feedback is not None and not isinstance(feedback, str):
            raise template.fail(f"distractor {i} has feedback of type {type(feedback).__name__}",
                                "give feedback as a string or leave it out")
        entries.append((to_plain(entry[0], template, f"distractor {i}"), tag.strip(), feedback))
    tags = [tag for _, tag, _ in entries]
    repeated = sorted({tag for tag in tags if tags.count(tag) > 1})
    if repeated:
        raise template.fail(f"misconception {repeated[0]!r} is used by two distractors",
                            "each distractor must diagnose its own misconception; merge or rename them")
    return entries


def raise_on_shape(template: Template, answer: Any, wrong: list[Entry]) -> None:
    """Raise if the answer or distractors do not fit the template's type and META counts."""
    kind = template.type
    if kind == "num":
        if not is_number(answer):
            raise template.fail(f"solve() returned {answer!r} for a num template", "return a number")
        for value, tag, _ in wrong:
            if not is_number(value):
                raise template.fail(f"distractor {tag!r} has value {value!r}", "num distractors are numbers")
    elif kind == "truefalse":
        if not isinstance(answer, bool):
            raise template.fail(f"solve() returned {answer!r} for a truefalse template", "return True or False")
        if len(wrong) != 1 or wrong[0][0] is not (not answer):
            raise template.fail("a truefalse template needs exactly one distractor, the opposite of the answer",
                                "return [(not answer, misconception)] from distractors()")
    elif kind == "single":
        if 1 + len(wrong) != template.n_choices:
            raise template.fail(f"1 correct + {len(wrong)} distractors != META['choices'] = "
                                f"{template.n_choices}", "return exactly choices - 1 distractors")
    else:
        if not isinstance(answer, list) or not answer:
            raise template.fail(f"solve() returned {answer!r} for a multi template",
                                "return the non-empty list of correct option values")
        lo, hi = template.n_correct
        if not lo <= len(answer) <= hi:
            raise template.fail(f"solve() gave {len(answer)} correct options, outside META['correct'] = "
                                f"[{lo}, {hi}]", "change the statements drawn or META['correct']")
        if len(answer) + len(wrong) != template.n_choices:
            raise template.fail(f"{len(answer)} correct + {len(wrong)} wrong options != META['choices'] = "
                                f"{template.n_choices}", "draw exactly META['choices'] options")


def value_problems(template: Template, params: dict, answer: Any, wrong: list[Entry],
                   texts: list[str]) -> list[str]:
    """Why this draw cannot become an item (empty when it can); ``texts`` are the options as shown."""
    problems: list[str] = []
    tol = template.tolerance
    if template.type == "num":
        problems += tolerance.problems(answer, [(f"distractor '{tag}'", value) for value, tag, _ in wrong])
        tol = tolerance.tolerance_for(answer)     # distractors must also stay apart from each other
    values = ([answer] if template.type != "multi" else list(answer)) + [value for value, _, _ in wrong]
    labels = (["the answer"] if template.type != "multi" else [f"correct option {v!r}" for v in answer]) + \
        [f"distractor '{tag}'" for _, tag, _ in wrong]
    numeric = [(label, value) for label, value in zip(labels, values) if is_number(value)]   # finite: to_plain
    if tol is not None:
        for (label_a, a), (label_b, b) in combinations(numeric, 2):
            if abs(a - b) <= tol:
                problems.append(f"{label_b} ({b:.6g}) is within the tolerance {tol:g} of {label_a} ({a:.6g})")
    if template.type != "num":
        for i, j in combinations(range(len(texts)), 2):
            if texts[i] == texts[j]:
                problems.append(f"{labels[i]} and {labels[j]} both read {texts[i]!r}")
    if template.has("degenerate"):
        reason = template.call("degenerate", params)
        if reason:
            problems.append(f"degenerate case: {reason}")
    return problems
