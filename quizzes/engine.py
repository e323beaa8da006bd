"""Find, load and draw quiz templates.

A template is one Python file ``templates/<topic>/<slug>.py`` holding ``META`` and the
functions ``generate(rng) -> params``, ``solve(params)``, ``distractors(params)``,
``render(params)`` and ``explain(params)``; optionally ``degenerate(params) -> str | None``
(a reason to draw again) and ``choice_text(value, params) -> str``.

Variant ``v`` of a bank with seed ``s`` draws from
``np.random.default_rng([stable_hash(template id), s, v])``, so the same seed gives the
same bank byte for byte on every machine, whatever else the bank holds.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from xentcore.errors import QuizTemplateError
from quizzes import checks, markup, sections, tolerance
from quizzes.checks import round_float, to_plain
from quizzes.model import QUESTION_TYPES, Choice, Item
from quizzes.template import Template, shown, stable_hash

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
REQUIRED_META = ("id", "title", "topic", "type", "points", "covers")
OPTIONAL_META = ("tolerance", "choices", "correct")
REQUIRED_FUNCTIONS = ("generate", "solve", "distractors", "render", "explain")
# generate() may draw parameters whose distractors collide or that are degenerate; the engine
# draws again from the same generator. A template needing this many tries is broken.
MAX_ATTEMPTS = 200


def discover_templates(templates_dir: Path | None = None) -> list[Template]:
    """Load every ``<topic>/<slug>.py`` below ``templates_dir`` (default: the package's), sorted by id."""
    root = Path(templates_dir) if templates_dir is not None else TEMPLATES_DIR
    if not root.is_dir():
        raise QuizTemplateError(f"{shown(root)}: no such templates folder; pass the folder that holds "
                                "<topic>/<slug>.py template files")
    loose = sorted(p for p in root.glob("*.py") if not p.name.startswith("_"))
    if loose:
        raise QuizTemplateError(f"{shown(loose[0])}: a template outside a topic folder; move it to "
                                f"{shown(root)}/<topic>/{loose[0].name}")
    paths = sorted(p for p in root.glob("*/*.py") if not p.name.startswith("_"))
    if not paths:
        raise QuizTemplateError(f"{shown(root)}: no templates found; add <topic>/<slug>.py files")
    templates = [load_template(path) for path in paths]
    seen: dict[str, Template] = {}
    for template in templates:
        if template.id in seen:
            raise template.fail(f"template id '{template.id}' is also used by {seen[template.id].where}",
                                "rename one of the two files (the id is the file name)")
        seen[template.id] = template
    return sorted(templates, key=lambda t: t.id)


def load_template(path: Path) -> Template:
    """Import one template file and check its META and functions."""
    path = Path(path)
    where = shown(path)
    spec = importlib.util.spec_from_file_location(f"quizzes_template_{path.parent.name}_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise QuizTemplateError(f"{where}: cannot be imported as Python; template files end in .py")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # a broken template must name its file, whatever went wrong inside
        raise QuizTemplateError(f"{where}: importing the template failed with {type(exc).__name__}: {exc}; "
                                f"fix the file until `python {where}` runs without error") from exc
    meta = getattr(module, "META", None)
    if not isinstance(meta, dict):
        raise QuizTemplateError(f"{where}: no META dict; add META = {{{', '.join(repr(k) for k in REQUIRED_META)}"
                                ": ...}} at the top of the file")
    _check_meta_fields(meta, where)
    template = _template_from_meta(path, module, meta, where)
    _check_functions(module, where)
    return template


def _check_meta_fields(meta: dict, where: str) -> None:
    missing = [key for key in REQUIRED_META if key not in meta]
    if missing:
        raise QuizTemplateError(f"{where}: META is missing {', '.join(repr(k) for k in missing)}; add "
                                + ", ".join(f"META[{k!r}]" for k in missing) + " (see docs/quiz_bank.md)")
    for key in meta:
        if key not in REQUIRED_META + OPTIONAL_META:
            close = difflib.get_close_matches(key, REQUIRED_META + OPTIONAL_META, n=1)
            hint = f"did you mean {close[0]!r}?" if close else \
                f"allowed fields are {', '.join(REQUIRED_META + OPTIONAL_META)}"
            raise QuizTemplateError(f"{where}: unknown META field {key!r}; {hint}")
    if meta["type"] not in QUESTION_TYPES:
        close = difflib.get_close_matches(str(meta["type"]), QUESTION_TYPES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise QuizTemplateError(f"{where}: unknown type {meta['type']!r}{hint}; META['type'] must be one of "
                                f"{', '.join(QUESTION_TYPES)}")


def _check_functions(module: ModuleType, where: str) -> None:
    missing = [name for name in REQUIRED_FUNCTIONS if not callable(getattr(module, name, None))]
    if missing:
        raise QuizTemplateError(f"{where}: missing function(s) {', '.join(f'{n}()' for n in missing)}; every "
                                f"template defines {', '.join(f'{n}()' for n in REQUIRED_FUNCTIONS)}")


def _template_from_meta(path: Path, module: ModuleType, meta: dict, where: str) -> Template:
    def bad(problem: str, fix: str) -> QuizTemplateError:
        return QuizTemplateError(f"{where}: {problem}; {fix}")

    if meta["id"] != path.stem:
        raise bad(f"META['id'] is {meta['id']!r} but the file is {path.name}",
                  "make the id the file name without .py")
    if meta["topic"] != path.parent.name:
        raise bad(f"META['topic'] is {meta['topic']!r} but the file is in {path.parent.name}/",
                  "move the file or change the topic so they agree")
    if not isinstance(meta["title"], str) or not meta["title"].strip():
        raise bad("META['title'] is empty", "give the question a short title")
    points = meta["points"]
    if isinstance(points, bool) or not isinstance(points, (int, float)) or points <= 0:
        raise bad(f"META['points'] is {points!r}", "use a positive number")
    covers = meta["covers"]
    if isinstance(covers, str) or not isinstance(covers, (list, tuple)) or not covers:
        raise bad("META['covers'] must be a non-empty list of coverage keys",
                  "list the keys of quizzes/sections.py SECTIONS this template examines")
    for key in covers:
        if key not in sections.SECTIONS:
            close = difflib.get_close_matches(str(key), list(sections.SECTIONS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "add the section to quizzes/sections.py"
            raise bad(f"META['covers'] names unknown section {key!r}", hint)
    tolerance = meta.get("tolerance")
    if tolerance is not None and (isinstance(tolerance, bool) or not isinstance(tolerance, (int, float))
                                  or not tolerance > 0):
        raise bad(f"META['tolerance'] is {tolerance!r}", "use a positive least gap between options such as 0.01")
    kind = meta["type"]
    if kind == "num" and tolerance is not None:
        # one policy for every num item (quizzes/tolerance.py), so no template can be unfair to rounding
        raise bad("a num template sets META['tolerance']", "remove it: num items are graded by the bank's "
                  "tolerance policy, 1 % of the answer with a floor of 0.0001 (docs/quiz_bank.md)")
    n_choices = meta.get("choices")
    if kind in ("single", "multi"):
        if isinstance(n_choices, bool) or not isinstance(n_choices, int) or n_choices < 3:
            raise bad(f"META['choices'] is {n_choices!r}", "give the number of options shown, at least 3")
    elif n_choices is not None:
        raise bad(f"META['choices'] is set on a {kind} template", "remove it (only single and multi use it)")
    n_correct = meta.get("correct")
    if kind == "multi":
        if (not isinstance(n_correct, (list, tuple)) or len(n_correct) != 2
                or not all(isinstance(v, int) for v in n_correct)
                or not 1 <= n_correct[0] <= n_correct[1] < n_choices):
            raise bad(f"META['correct'] is {n_correct!r}",
                      "give [fewest, most] correct options, with 1 <= fewest <= most < choices")
        n_correct = (n_correct[0], n_correct[1])
    elif n_correct is not None:
        raise bad(f"META['correct'] is set on a {kind} template", "remove it (only multi uses it)")
    return Template(path=path, module=module, id=meta["id"], title=meta["title"].strip(), topic=meta["topic"],
                    type=kind, points=float(points), covers=tuple(covers),
                    tolerance=float(tolerance) if tolerance is not None else None,
                    n_choices=n_choices, n_correct=n_correct)


# ---------------------------------------------------------------- drawing

@dataclass(frozen=True)
class Draft:
    """What a template produced for one parameter draw, before choices are laid out."""

    params: dict
    answer: Any
    wrong: list[tuple[Any, str, str | None]]   # (value, misconception, feedback or None)
    texts: list[str]                            # how each option reads: correct one(s) first, then wrong


def draft(template: Template, rng: np.random.Generator, context: str) -> Draft:
    """One parameter draw and the template's answer and distractors for it."""
    params = template.call("generate", rng, context=context)
    if not isinstance(params, dict):
        raise template.fail(f"generate() returned a {type(params).__name__}{context}",
                            "return a dict of plain parameters")
    params = to_plain(params, template, "params")
    answer = to_plain(template.call("solve", params, context=context), template, "solve()")
    wrong = checks.distractor_entries(template, template.call("distractors", params, context=context))
    checks.raise_on_shape(template, answer, wrong)
    correct = answer if template.type == "multi" else [answer]
    texts = [choice_text(template, value, params) for value in correct + [value for value, _, _ in wrong]]
    return Draft(params, answer, wrong, texts)


PURPOSES = ("assessment", "practice")
# The practice stream adds this key to the generator's entropy, so a practice bank never replays an
# assessment bank's draws, whatever the seeds (the assessment stream keeps the original key list).
PRACTICE_STREAM = stable_hash("xent-lab practice stream")


def rng_for(template: Template, *, seed: int, variant: int, purpose: str = "assessment") -> np.random.Generator:
    if purpose == "practice":
        return np.random.default_rng([template.seed_key, PRACTICE_STREAM, seed, variant])
    return np.random.default_rng([template.seed_key, seed, variant])


def question_key(item: Item) -> str:
    """What a student sees of an item: two items with the same key are the same question."""
    return item.template + "\n" + item.stem + "\n" + "\n".join(sorted(choice.text for choice in item.choices))


def draw(template: Template, *, seed: int, variant: int, purpose: str = "assessment",
         avoid: frozenset[str] = frozenset()) -> Item:
    """Variant ``variant`` of ``template`` for a ``purpose`` bank with ``seed``.

    A draw whose question is in ``avoid`` (``question_key``s, e.g. of the assessment bank when
    drawing the practice bank) is drawn again, so the two banks share no question.
    """
    rng = rng_for(template, seed=seed, variant=variant, purpose=purpose)
    context = f" ({purpose} seed {seed}, variant {variant})"
    problems: list[str] = []
    for _ in range(MAX_ATTEMPTS):
        candidate = draft(template, rng, context)
        problems = checks.value_problems(template, candidate.params, candidate.answer, candidate.wrong,
                                         candidate.texts)
        if not problems:
            item = _item(template, candidate, rng, seed=seed, variant=variant, purpose=purpose)
            if question_key(item) not in avoid:
                return item
            problems = ["the same question is in the bank to avoid"]
    raise template.fail(f"{MAX_ATTEMPTS} parameter draws in a row were unusable{context}, the last because "
                        f"{problems[0]}", "widen the ranges in generate() or relax degenerate()")


def _item(template: Template, made: Draft, rng: np.random.Generator, *, seed: int, variant: int,
          purpose: str) -> Item:
    choices, answer = _layout(template, made, rng)
    stem = _text(template, "render", made.params)
    if template.type == "num":
        stem += "\n\n" + tolerance.STEM_NOTE
    stream = "p" if purpose == "practice" else "s"     # practice uids differ from assessment uids
    return Item(uid=f"{template.id}.{stream}{seed}.v{variant}", template=template.id, variant=variant, seed=seed,
                type=template.type, title=template.title, topic=template.topic, points=template.points,
                stem=stem, params=made.params, answer=answer,
                tolerance=tolerance.tolerance_for(answer) if template.type == "num" else None,
                choices=tuple(choices),
                explanation=_text(template, "explain", made.params), covers=_covers(template, made.params),
                source=template.source)


def _covers(template: Template, params: dict) -> tuple[str, ...]:
    """The coverage keys this draw examines: ``covers(params)`` when the template's families differ, else META's.

    Coverage is proved from the items drawn (quizzes/coverage.py), so a family that examines a section
    only counts for it when a bank actually holds that family.
    """
    if not template.has("covers"):
        return template.covers
    keys = template.call("covers", params)
    if not isinstance(keys, (list, tuple)) or not keys or any(key not in template.covers for key in keys):
        raise template.fail(f"covers() returned {keys!r}",
                            "return a non-empty list of keys taken from META['covers']")
    return tuple(keys)


def _text(template: Template, name: str, params: dict) -> str:
    text = template.call(name, params)
    if not isinstance(text, str) or not text.strip():
        raise template.fail(f"{name}() returned {type(text).__name__} or empty text",
                            f"return the Markdown text from {name}()")
    return re.sub(r"\n{3,}", "\n\n", text.strip())   # adjoining display blocks leave extra blank lines


def choice_text(template: Template, value: Any, params: dict) -> str:
    if template.has("choice_text"):
        return str(template.call("choice_text", value, params))
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, (int, float)):
        if template.type == "num":
            return markup.significant(value, 4)     # one figure more than the policy's 3, so slips read apart
        if template.tolerance is not None:
            return markup.fixed(value, markup.decimals_for(template.tolerance))
        return markup.num(value)
    if isinstance(value, list):
        return markup.m(markup.vec(value))
    return str(value)


def _feedback(misconception: str | None, feedback: str | None) -> str:
    if feedback:
        return feedback
    if misconception is None:
        return "Correct."
    return f"Not quite. Likely slip: {misconception}."


def _layout(template: Template, made: Draft, rng: np.random.Generator) -> tuple[list[Choice], Any]:
    """Choices in the order shown and the item's ``answer`` field."""
    kind = template.type
    correct = made.answer if kind == "multi" else [made.answer]
    options = [(value, None, None, text) for value, text in zip(correct, made.texts)]
    options += [(value, tag, feedback, text) for (value, tag, feedback), text in
                zip(made.wrong, made.texts[len(correct):])]
    if kind == "truefalse":
        options.sort(key=lambda option: not option[0])      # True first, as LMSs show it
    elif kind != "num":     # the correct option's position must not give it away
        options = [options[int(i)] for i in rng.permutation(len(options))]
    n_right = len(correct)
    n_wrong = len(options) - n_right
    choices = []
    for value, tag, feedback, text in options:
        right = tag is None
        if kind == "multi":
            weight = 1.0 / n_right if right else -1.0 / n_wrong
        else:
            weight = 1.0 if right else 0.0
        choices.append(Choice(text=text, value=value, correct=right, weight=round_float(weight),
                              misconception=tag, feedback=_feedback(tag, feedback)))
    if kind == "num":
        answer: Any = made.answer
    elif kind == "truefalse":
        answer = bool(made.answer)
    elif kind == "single":
        answer = next(i for i, c in enumerate(choices) if c.correct)
    else:
        answer = [i for i, c in enumerate(choices) if c.correct]
    return choices, answer
