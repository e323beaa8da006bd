"""GIFT (Moodle's plain-text question format): a ``$CATEGORY:`` line per template, then its variants.

Each question is ``::name::[html]question text{answers}``; all text is the same HTML as in
moodle.xml, escaped for GIFT by ``escape``:

1. every ``\\`` becomes ``\\\\`` first, so TeX survives: ``\\nu`` is written ``\\\\nu`` and is read
   back as ``\\nu``, not as a newline followed by ``u``;
2. then each of ``~ = # { } :`` gets a backslash;
3. then line breaks become ``\\n``, so a question never spans a blank line (which ends a question).

Numbers are plain decimals (``common.plain_decimal``): GIFT readers disagree about exponents.
Grades are Moodle's (``common.moodle_percentages``); numerical questions list the anticipated
wrong values at 0 % with their feedback, as moodle.xml does.
"""

from __future__ import annotations

from quizzes.exporters.common import (Bank, choice_feedback, lms_html, lms_inline_html, moodle_percentages,
                                      plain_decimal, question_name)
from quizzes.model import Item

SPECIAL = "~=#{}:"


def escape(text: str) -> str:
    """``text`` as GIFT text: backslashes doubled first, then ``~ = # { } :`` escaped, newlines as ``\\n``."""
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def _html(markdown: str) -> str:
    return escape(lms_html(markdown))


def _option(markdown: str) -> str:
    text = lms_inline_html(markdown)
    if text.startswith("%"):    # would read as a %weight%; GIFT has no escape for %, HTML does
        text = "&#37;" + text[1:]
    return escape(text)


def _answers(item: Item) -> str:
    grades = moodle_percentages(item)
    general = f"\t####{_html(item.explanation)}\n"
    if item.type == "truefalse":
        right = next(choice for choice in item.choices if choice.correct)
        wrong = next(choice for choice in item.choices if not choice.correct)
        # {TRUE#feedback when answered wrongly#feedback when answered right####general feedback}
        return (f"{{{'TRUE' if right.value else 'FALSE'}#{_html(choice_feedback(wrong))}"
                f"#{_html(choice_feedback(right))}####{_html(item.explanation)}}}")
    lines = []
    if item.type == "num":
        tolerance = plain_decimal(item.tolerance)
        for choice, grade in zip(item.choices, grades):
            weight = "" if grade == "100" else f"%{grade}%"
            lines.append(f"\t={weight}{plain_decimal(choice.value)}:{tolerance}#{_html(choice_feedback(choice))}\n")
        return "{#\n" + "".join(lines) + general + "}"
    for choice, grade in zip(item.choices, grades):
        if item.type == "single":
            mark = "=" if choice.correct else "~"
        else:
            mark = f"~%{grade}%"
        lines.append(f"\t{mark}{_option(choice.text)}#{_html(choice_feedback(choice))}\n")
    return "{\n" + "".join(lines) + general + "}"


def question(item: Item) -> str:
    """One question in GIFT, preceded by a comment with its uid."""
    return f"// {item.uid}\n::{escape(question_name(item))}::[html]{_html(item.stem)}{_answers(item)}\n"


def render(bank: Bank) -> bytes:
    """The bytes of quiz.gift for ``bank``."""
    blocks = [
        f"// {bank.title}: {len(bank.items)} questions, one category per template.\n"
        "// Import with Question bank > Import > GIFT format, 'Get category from file' ticked.\n"
    ]
    for group in bank.groups:
        blocks.append(f"$CATEGORY: {group.category}\n")
        blocks.extend(question(item) for item in group.items)
    return "\n".join(blocks).encode("utf-8")
