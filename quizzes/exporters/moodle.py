"""Moodle XML: one question category per template holding all its variants.

A Moodle quiz then adds "a random question from category <template>" once per template, so every
student gets one variant of each. The file follows Moodle's XML import format (qformat_xml):

- ``numerical``: the answer at 100 % with the absolute tolerance, then each anticipated wrong
  value at 0 % with its misconception as feedback (Moodle takes the first answer that matches, so
  the right answer wins where tolerances overlap);
- ``multichoice`` with ``<single>true</single>`` (one right option, 100 %) or ``false`` (several:
  grades from Moodle's fixed list, positive ones summing to 100 %, see ``common.moodle_percentages``);
- ``truefalse`` with ``true``/``false`` answers at 100 %/0 %;
- per-option feedback naming the misconception, the worked solution as general feedback, the
  template's topic, id and coverage keys as tags, the variant's uid as ``idnumber``.

Text is HTML with math left as ``\\( … \\)`` TeX for Moodle's MathJax filter.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from quizzes.exporters.common import (Bank, Group, choice_feedback, lms_html, lms_inline_html, moodle_percentages,
                                      plain_decimal, question_name)
from quizzes.model import Item

QTYPES = {"num": "numerical", "single": "multichoice", "multi": "multichoice", "truefalse": "truefalse"}
PENALTY = {"num": "0.3333333", "single": "0.3333333", "multi": "0.3333333", "truefalse": "1"}


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _text_field(parent: ET.Element, tag: str, text: str, fmt: str = "html") -> ET.Element:
    field = _sub(parent, tag, format=fmt)
    _sub(field, "text", text)
    return field


def _comment(text: str) -> ET.Comment:
    """An XML comment; ``--`` may not appear inside one."""
    return ET.Comment(" " + text.replace("--", "- -") + " ")


def _category(quiz: ET.Element, group: Group) -> None:
    question = _sub(quiz, "question", type="category")
    category = _sub(question, "category")
    _sub(category, "text", group.category)
    _text_field(question, "info", lms_html(f"{group.title} ({len(group.items)} variants of `{group.template}`)"))


def _question(quiz: ET.Element, item: Item) -> None:
    question = _sub(quiz, "question", type=QTYPES[item.type])
    name = _sub(question, "name")
    _sub(name, "text", question_name(item))
    _text_field(question, "questiontext", lms_html(item.stem))
    _text_field(question, "generalfeedback", lms_html(item.explanation))
    _sub(question, "defaultgrade", plain_decimal(float(item.points)))
    _sub(question, "penalty", PENALTY[item.type])
    _sub(question, "hidden", "0")
    _sub(question, "idnumber", item.uid)
    grades = moodle_percentages(item)
    if item.type == "num":
        for choice, grade in zip(item.choices, grades):
            answer = _sub(question, "answer", fraction=grade, format="moodle_auto_format")
            _sub(answer, "text", plain_decimal(choice.value))
            _text_field(answer, "feedback", lms_html(choice_feedback(choice)))
            _sub(answer, "tolerance", plain_decimal(item.tolerance))
        _sub(question, "unitgradingtype", "0")
        _sub(question, "unitpenalty", "0.1000000")
        _sub(question, "showunits", "3")
        _sub(question, "unitsleft", "0")
    elif item.type == "truefalse":
        for choice, grade in sorted(zip(item.choices, grades), key=lambda pair: not pair[0].value):
            answer = _sub(question, "answer", fraction=grade, format="moodle_auto_format")
            _sub(answer, "text", "true" if choice.value else "false")
            _text_field(answer, "feedback", lms_html(choice_feedback(choice)))
    else:
        _sub(question, "single", "true" if item.type == "single" else "false")
        _sub(question, "shuffleanswers", "true")
        _sub(question, "answernumbering", "abc")
        _sub(question, "showstandardinstruction", "1")
        _text_field(question, "correctfeedback", "<p>Your answer is correct.</p>")
        _text_field(question, "partiallycorrectfeedback", "<p>Your answer is partially correct.</p>")
        _text_field(question, "incorrectfeedback", "<p>Your answer is incorrect.</p>")
        _sub(question, "shownumcorrect")
        for choice, grade in zip(item.choices, grades):
            answer = _sub(question, "answer", fraction=grade, format="html")
            _sub(answer, "text", lms_inline_html(choice.text))
            _text_field(answer, "feedback", lms_html(choice_feedback(choice)))
    tags = _sub(question, "tags")
    for tag in (item.topic, item.template, *item.covers):
        _sub(_sub(tags, "tag"), "text", tag)


def render(bank: Bank) -> bytes:
    """The bytes of moodle.xml for ``bank``."""
    quiz = ET.Element("quiz")
    quiz.append(_comment(f"{bank.title}: {len(bank.items)} questions in {len(bank.groups)} categories. Import "
                         "with Question bank > Import > Moodle XML format, 'Get category from file' ticked."))
    for group in bank.groups:
        _category(quiz, group)
        for item in group.items:
            quiz.append(_comment(item.uid))
            _question(quiz, item)
    ET.indent(quiz, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n").encode()
