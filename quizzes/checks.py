"""The item rules: the one place that says what makes a quiz item valid.

Three levels, each used by the module named:

- what a template returns for one parameter draw (the engine, while drawing). Shape problems (wrong types, wrong counts, missing misconception tags) are bugs in the
template and raise at once. Value problems (a distractor within the tolerance of the
answer, two options that print alike, a degenerate case) depend on the drawn numbers:
the engine draws again, and the validator reports any that reach an item.
- a drawn item as a student sees it (``item_problems``: ``autograder quiz validate`` over many
  seeds): text and LaTeX, misconception tags, choice counts, the tolerance policy, separation.
- an item read back from bank.json (``model_problem``: the exporters refuse a bank that breaks
  the item model of docs/quiz_bank.md).
"""

from __future__ import annotations

import json
import math
import re
from itertools import combinations
from typing import Any

import numpy as np

from quizzes import tolerance
from quizzes.model import QUESTION_TYPES, Item
from quizzes.template import Template

Entry = tuple[Any, str, "str | None"]
SIGNIFICANT_DIGITS = 12   # floats are rounded so a bank's bytes do not depend on the last ulp


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_finite_number(value: Any) -> bool:
    return is_number(value) and math.isfinite(value)


# ---------------------------------------------------------------- what a template returns

def round_float(x: float) -> float:
    return float(f"{x:.{SIGNIFICANT_DIGITS}g}")


def to_plain(value: Any, template: Template, where: str) -> Any:
    """``value`` as plain JSON data (NumPy scalars and arrays converted, floats rounded)."""
    kind = type(value)
    if kind is float or isinstance(value, np.floating):
        if not math.isfinite(value):
            raise template.fail(f"{where} holds the non-finite number {value}",
                                "keep values finite (JSON has no inf or nan); show an infinite option as a "
                                "string such as 'inf'")
        return round_float(float(value))
    if kind is str or kind is bool or value is None:
        return value
    if kind is int or (isinstance(value, np.integer) and not isinstance(value, np.bool_)):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [to_plain(v, template, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise template.fail(f"{where} has a non-string key", "use string keys so it is JSON")
        return {k: to_plain(v, template, f"{where}[{k!r}]") for k, v in value.items()}
    raise template.fail(f"{where} holds a {type(value).__name__}",
                        "use only numbers, strings, booleans, None, lists and dicts")


def distractor_entries(template: Template, raw: Any) -> list[Entry]:
    """``distractors(params)`` as (value, misconception, feedback) triples, or a QuizTemplateError."""
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


def degenerate_reason(template: Template, params: dict) -> str | None:
    """Why ``params`` is a degenerate case the template's ``degenerate()`` rules out, or None."""
    if not template.has("degenerate"):
        return None
    return template.call("degenerate", params) or None


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
        problems += separation_problems(numeric, tol)
    if template.type != "num":
        for i, j in combinations(range(len(texts)), 2):
            if texts[i] == texts[j]:
                problems.append(f"{labels[i]} and {labels[j]} both read {texts[i]!r}")
    reason = degenerate_reason(template, params)
    if reason:
        problems.append(f"degenerate case: {reason}")
    return problems


# ---------------------------------------------------------------- a drawn item

def item_problems(template: Template, item: Item) -> list[str]:
    """What is wrong with one drawn item, judged only from the item itself."""
    problems = _text_problems(item) + _tag_problems(item)
    model = model_problem(item)     # what every exporter needs; the rules below add what a drawn item owes
    if model is not None:
        problems.append(f"breaks the item model: {model}")
    problems += {"num": _num_problems, "single": _choice_problems, "multi": _choice_problems,
                 "truefalse": _truefalse_problems}[item.type](template, item)
    try:
        if json.loads(json.dumps(item.to_json(), allow_nan=False)) != item.to_json():
            problems.append("the item does not survive a JSON round trip")
    except ValueError as exc:
        problems.append(f"the item is not plain JSON: {exc}")
    reason = degenerate_reason(template, item.params)
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


def separation_problems(values: list[tuple[str, float]], tol: float) -> list[str]:
    """Options that are not finite, and pairs of options within ``tol`` of each other (a student
    could not be graded apart on them)."""
    problems = [f"{name} is {value}, not finite" for name, value in values if not math.isfinite(value)]
    for (name_a, a), (name_b, b) in combinations(values, 2):
        if abs(a - b) <= tol:
            problems.append(f"{name_b} ({b:.6g}) is within the tolerance {tol:g} of {name_a} ({a:.6g})")
    return problems


def _num_problems(template: Template, item: Item) -> list[str]:
    if not is_finite_number(item.answer) or not all(is_number(c.value) for c in item.choices):
        return []       # model_problem has named it
    values = [("the answer", item.answer)] + [(f"distractor '{c.misconception}'", c.value)
                                              for c in item.choices if not c.correct]
    if item.tolerance is None or item.tolerance != tolerance.tolerance_for(item.answer):
        return [f"the tolerance {item.tolerance!r} is not the policy's for the answer {item.answer}"]
    return separation_problems(values, item.tolerance) + tolerance.problems(item.answer, values[1:])


def _choice_problems(template: Template, item: Item) -> list[str]:
    problems = []
    correct = [i for i, c in enumerate(item.choices) if c.correct]
    if len(item.choices) != template.n_choices:
        problems.append(f"{len(item.choices)} choices, META says {template.n_choices}")
    if item.type == "multi":       # one correct single choice and the answer indices: model_problem
        lo, hi = template.n_correct
        if not lo <= len(correct) <= hi:
            problems.append(f"{len(correct)} correct choices, META allows {lo} to {hi}")
        if abs(sum(c.weight for c in item.choices if c.correct) - 1) > 1e-9:
            problems.append("the weights of the correct choices do not add up to 1")
    texts = [c.text for c in item.choices]
    if len(set(texts)) != len(texts):
        problems.append("two choices read the same")
    numeric = [(f"choice {i}", c.value) for i, c in enumerate(item.choices) if is_number(c.value)]
    if template.tolerance is not None and numeric:
        problems += separation_problems(numeric, template.tolerance)
    return problems


def _truefalse_problems(template: Template, item: Item) -> list[str]:
    problems = []
    if [c.text for c in item.choices] != ["True", "False"]:   # the answer's match: model_problem
        problems.append("a truefalse item must offer True then False")
    return problems


# ---------------------------------------------------------------- an item read back from bank.json

NO_UID = "an item has no uid"


def model_problem(item: Item) -> str | None:
    """The first way ``item`` (read back from bank.json) breaks the item model of docs/quiz_bank.md, or None.

    ``NO_UID`` when the item has no uid (the caller cannot name it then).
    """
    if not isinstance(item.uid, str) or not item.uid:
        return NO_UID
    if item.type not in QUESTION_TYPES:
        return f"unknown type {item.type!r} (expected one of {', '.join(QUESTION_TYPES)})"
    for field in ("template", "title", "topic", "stem", "explanation"):
        value = getattr(item, field)
        if not isinstance(value, str) or not value.strip():
            return f"its {field} is empty or not text"
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", item.template) or not re.fullmatch(r"[A-Za-z0-9_.-]+", item.topic):
        return "its template and topic must be plain names (letters, digits, _ . -)"
    if not is_finite_number(item.points) or item.points <= 0:
        return f"points {item.points!r} is not a positive number"
    choices = item.choices
    for choice in choices:
        if not isinstance(choice.text, str) or not isinstance(choice.feedback, str):
            return "a choice's text or feedback is not text"
        if not isinstance(choice.correct, bool) or not is_finite_number(choice.weight):
            return "a choice lacks a boolean 'correct' or a numeric 'weight'"
        if choice.misconception is not None and not isinstance(choice.misconception, str):
            return "a choice's misconception is neither text nor null"
    correct = [i for i, choice in enumerate(choices) if choice.correct]
    if item.type == "num":
        if not is_finite_number(item.answer):
            return f"answer {item.answer!r} is not a finite number"
        if not is_finite_number(item.tolerance) or item.tolerance <= 0:
            return f"tolerance {item.tolerance!r} is not a positive number"
        if not choices or correct != [0] or choices[0].value != item.answer:
            return "choices[0] must be the answer itself and the only correct choice"
        if not all(is_finite_number(choice.value) for choice in choices):
            return "every choice of a num item must hold a finite number"
        return None
    if len(choices) < 2:
        return f"a {item.type} item needs at least two choices"
    if item.type == "single":
        if len(correct) != 1 or item.answer != correct[0] or isinstance(item.answer, bool):
            return (f"a single item needs exactly one correct choice, and answer must be its index "
                    f"({len(correct)} correct choices, answer {item.answer!r})")
    elif item.type == "multi":
        if not correct or len(correct) == len(choices) or item.answer != correct:
            return (f"a multi item needs some correct and some wrong choices, and answer must list the "
                    f"correct indices ({len(correct)} correct choices of {len(choices)}, answer {item.answer!r})")
    else:   # truefalse
        values = [choice.value for choice in choices]
        if sorted(values, key=bool) != [False, True] or not isinstance(item.answer, bool) \
                or len(correct) != 1 or choices[correct[0]].value is not item.answer:
            return ("a truefalse item needs the choices True and False and a boolean answer matching the "
                      "correct one")
    for i, choice in enumerate(choices):
        if not choice.text.strip():
            return f"choice {i} has no text"
    return None
