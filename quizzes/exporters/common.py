"""What every exporter shares: the bank grouped by template, checks, numbers, text and grade weights.

Design choices that more than one format depends on live here so the formats cannot drift apart:

- Numbers are written in plain decimal, never exponent notation (``plain_decimal``).
- LMS text is HTML rendered from the bank's Markdown, with the math left as ``\\( … \\)`` and
  ``\\[ … \\]`` TeX for the LMS's MathJax filter (``lms_html``). Moodle's Markdown format would
  eat the backslash of ``\\(`` (Markdown treats ``\\(`` as an escaped parenthesis), so we never
  hand Markdown to an LMS.
- Moodle grades (also used by GIFT, which is Moodle's format) come from Moodle's fixed list of
  fractions (``moodle_percentages``).
"""

from __future__ import annotations

import hashlib
import html
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from markdown_it import MarkdownIt

from xentcore.errors import ExportError
from xentcore.files import atomic_write_bytes
from quizzes.checks import NO_UID, model_problem
from quizzes.model import Choice, Item

PROJECT = "xent-lab"
CATEGORY_ROOT = "$course$/top/xent-lab"


# ---------------------------------------------------------------- the bank, grouped

@dataclass(frozen=True)
class Group:
    """All variants of one template: one Moodle category, one Canvas question group, one practice card."""

    template: str
    title: str
    topic: str
    type: str
    points: float
    items: tuple[Item, ...]      # num items carry their own tolerance (quizzes/tolerance.py: it scales with the answer)

    @property
    def category(self) -> str:
        return f"{CATEGORY_ROOT}/{self.topic}/{self.template}"


@dataclass(frozen=True)
class Bank:
    """A loaded, checked bank.json."""

    path: Path
    purpose: str        # "assessment" (LMS files) or "practice" (the practice page)
    seed: int
    variants: int
    items: tuple[Item, ...]
    groups: tuple[Group, ...]

    @property
    def title(self) -> str:
        kind = "practice bank" if self.purpose == "practice" else "quiz bank"
        return f"{PROJECT} {kind} (seed {self.seed})"

    @property
    def key(self) -> str:
        """A short digest of the bank's items: stable identifiers for a bank, different across banks."""
        return digest("\n".join(item.uid for item in self.items) + f"\n{self.seed}")

    @property
    def points(self) -> float:
        """Points of a quiz that draws one variant per template."""
        return sum(group.points for group in self.groups)


def make_bank(path: Path, header: dict, items: list[Item]) -> Bank:
    """Check ``items`` (read from ``path``) and group them by template, in bank order."""
    if not items:
        raise ExportError(f"{path}: the bank holds no items; build one with `autograder quiz build -o DIR`")
    seen: set[str] = set()
    order: list[str] = []
    by_template: dict[str, list[Item]] = {}
    for item in items:
        check_item(item, path)
        if item.uid in seen:
            raise _bad(path, item, "its uid appears twice in the bank")
        seen.add(item.uid)
        if item.template not in by_template:
            order.append(item.template)
            by_template[item.template] = []
        by_template[item.template].append(item)
    groups = []
    for template in order:
        members = by_template[template]
        first = members[0]
        for item in members[1:]:
            for field in ("type", "topic", "points"):
                if getattr(item, field) != getattr(first, field):
                    raise _bad(path, item, f"its {field} differs from {first.uid}, a variant of the same template")
        groups.append(Group(template=template, title=first.title, topic=first.topic, type=first.type,
                            points=first.points, items=tuple(members)))
    seed = header.get("seed", items[0].seed)
    variants = header.get("variants_per_template", max(len(g.items) for g in groups))
    purpose = header.get("purpose", "assessment")
    return Bank(path=path, purpose=purpose, seed=seed, variants=variants, items=tuple(items), groups=tuple(groups))


def _bad(path: Path, item: Item, problem: str) -> ExportError:
    return ExportError(f"{path}: item {item.uid!r}: {problem}; rebuild the bank with `autograder quiz build` "
                       "(and `autograder quiz validate` if a template changed)")


def check_item(item: Item, path: Path) -> None:
    """Raise ExportError naming the item when it breaks the item model (the rules: ``quizzes.checks``)."""
    problem = model_problem(item)
    if problem == NO_UID:
        raise ExportError(f"{path}: an item has no uid; rebuild the bank with `autograder quiz build`")
    if problem is not None:
        raise _bad(path, item, problem)


# ---------------------------------------------------------------- numbers

def plain_decimal(x: float | int | Decimal) -> str:
    """``x`` in plain positional notation: ``0.00001`` not ``1e-05``, ``-2`` not ``-2.0``, never ``-0``.

    Floats use their shortest round-tripping digits, so ``float(plain_decimal(x)) == x``.
    """
    if isinstance(x, bool):
        raise TypeError("a boolean is not a number to write")
    if isinstance(x, int):
        return str(x)
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ValueError(f"{x} has no decimal form")
        x = Decimal(repr(x))
    if not isinstance(x, Decimal) or not x.is_finite():
        raise TypeError(f"cannot write {x!r} as a decimal number")
    text = format(x, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text


def digest(text: str, length: int = 20) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


# ---------------------------------------------------------------- text

_TEX = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_SLOT = re.compile(r"XTEXSLOT(\d+)X")


def _markdown_keeping_tex(markdown: str, *, inline: bool) -> str:
    pieces: list[str] = []

    def stash(match: re.Match) -> str:
        pieces.append(match.group(0))
        return f"XTEXSLOT{len(pieces) - 1}X"

    text = _TEX.sub(stash, markdown)
    rendered = _MD.renderInline(text) if inline else _MD.render(text)
    return _SLOT.sub(lambda m: html.escape(pieces[int(m.group(1))], quote=False), rendered).strip()


def lms_html(markdown: str) -> str:
    """Markdown → HTML blocks for an LMS; math stays ``\\( … \\)``/``\\[ … \\]`` TeX for MathJax.

    Raw HTML in the source is escaped, and so are ``<``, ``>`` and ``&`` inside the TeX.
    """
    return _markdown_keeping_tex(markdown, inline=False)


def lms_inline_html(markdown: str) -> str:
    """Like ``lms_html`` for one line (an option's text): no surrounding paragraph."""
    return _markdown_keeping_tex(" ".join(markdown.split("\n")), inline=True)


def choice_feedback(choice: Choice) -> str:
    """A choice's feedback (Markdown), always naming its misconception when it has one."""
    text = choice.feedback.strip() or ("Correct." if choice.correct else "Not quite.")
    if choice.misconception and choice.misconception not in text:
        text += f"\n\nLikely misconception: {choice.misconception}."
    return text


def question_name(item: Item) -> str:
    """How the LMS lists a variant: sortable by template and variant, readable."""
    return f"{item.template} v{item.variant}: {item.title}"


def num_slips_markdown(item: Item) -> str:
    """For LMS fields that cannot react per value (Canvas): the common slips of a num item, without values.

    The values are left out on purpose: a slip's value can give the answer away (a flipped sign is
    minus the answer; a value in the wrong unit is the answer times ln 2), and the feedback is shown
    while the student may still have attempts left.
    """
    lines = [f"- {choice.misconception}" for choice in item.distractors if choice.misconception]
    if not lines:
        return "Not quite. Check the worked solution."
    return "Not quite. Check your work for these common slips:\n\n" + "\n".join(lines)


# ---------------------------------------------------------------- Moodle grades

# Moodle accepts only these grades (question_bank::fraction_options_full), as percentages with the
# digits Moodle itself writes; the import matches within 1e-5 of the fraction. Exact values first.
MOODLE_GRADES: tuple[tuple[Fraction, str], ...] = (
    (Fraction(100), "100"), (Fraction(90), "90"), (Fraction(250, 3), "83.33333"), (Fraction(80), "80"),
    (Fraction(75), "75"), (Fraction(70), "70"), (Fraction(200, 3), "66.66667"), (Fraction(60), "60"),
    (Fraction(50), "50"), (Fraction(40), "40"), (Fraction(100, 3), "33.33333"), (Fraction(30), "30"),
    (Fraction(25), "25"), (Fraction(20), "20"), (Fraction(50, 3), "16.66667"), (Fraction(100, 7), "14.28571"),
    (Fraction(25, 2), "12.5"), (Fraction(100, 9), "11.11111"), (Fraction(10), "10"), (Fraction(5), "5"),
)
MOODLE_PERCENTAGES: frozenset[str] = frozenset(
    {"0"} | {text for _, text in MOODLE_GRADES} | {"-" + text for _, text in MOODLE_GRADES})
MAX_CORRECT = 20    # 20 x 5 % is the most positive grades Moodle's list can split 100 % into


def split_hundred(k: int) -> list[str]:
    """``k`` grades from Moodle's list, each > 0, summing to exactly 100 %, as even as possible (largest first).

    For k <= 10 and k = 20, 100/k is itself in the list and every option gets it. For 11 <= k <= 19 no
    equal split exists; the most even one mixes 10 % and 5 % (e.g. k = 11: nine x 10 % + two x 5 %).
    Beyond 20 correct options there is none at all.
    """
    if k < 1:
        raise ValueError("need at least one correct option")
    best: tuple | None = None
    for high, high_text in MOODLE_GRADES:
        for low, low_text in MOODLE_GRADES:
            if low > high:
                continue
            for n_high in range(1, k + 1):
                n_low = k - n_high
                if n_low and low == high:
                    continue
                if n_high * high + n_low * low == 100:
                    candidate = (high - low, -n_high, [high_text] * n_high + [low_text] * n_low)
                    if best is None or candidate[:2] < best[:2]:
                        best = candidate
    if best is None:
        raise ValueError(f"Moodle's grade list cannot split 100 % over {k} correct options (at most {MAX_CORRECT})")
    return best[2]


def wrong_penalty(n_wrong: int) -> str:
    """The penalty of each wrong option: -100/n_wrong % when Moodle lists it, else the next larger penalty.

    Rounding the penalty up (never down) keeps the rule that ticking every option earns nothing.
    """
    if n_wrong < 1:
        raise ValueError("need at least one wrong option")
    fair = Fraction(100, n_wrong)
    allowed = [(value, text) for value, text in MOODLE_GRADES if value >= fair]
    return "-" + min(allowed)[1]


def moodle_percentages(item: Item) -> list[str]:
    """Each choice's grade in % as Moodle (XML and GIFT) takes it, in choice order."""
    if item.type != "multi":
        return ["100" if choice.correct else "0" for choice in item.choices]
    n_correct = len(item.correct_choices)
    try:
        positive = iter(split_hundred(n_correct))
    except ValueError as exc:
        raise ExportError(f"item {item.uid!r}: {exc}; give the template fewer correct options") from exc
    penalty = wrong_penalty(len(item.choices) - n_correct)
    return [next(positive) if choice.correct else penalty for choice in item.choices]


# ---------------------------------------------------------------- files

def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so a reader never sees half a file."""
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise ExportError(f"{path}: cannot write the export ({exc.strerror or exc}); choose a writable -o folder") \
            from exc
