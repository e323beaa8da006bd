"""The item model: one drawn variant of one template, as every exporter reads it.

The JSON form (``Item.to_json``) is what ``bank.json`` holds; docs/quiz_bank.md
documents it field by field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

QUESTION_TYPES = ("num", "single", "multi", "truefalse")

# A plain JSON value: what params, choice values and answers are made of.
Plain = Any


@dataclass(frozen=True)
class Choice:
    """One option shown to the student (for ``num`` items: the answer or an anticipated wrong answer)."""

    text: str                   # Markdown + LaTeX, ready to show
    value: Plain                # the number, key, code line or bool behind the text
    correct: bool
    weight: float               # share of the points: single/truefalse 1 or 0; multi +1/k or -1/(n-k)
    misconception: str | None   # what a student who picks this believes; None on correct choices
    feedback: str               # shown after answering

    def to_json(self) -> dict[str, Plain]:
        return {"text": self.text, "value": self.value, "correct": self.correct, "weight": self.weight,
                "misconception": self.misconception, "feedback": self.feedback}


@dataclass(frozen=True)
class Item:
    """One variant of one template."""

    uid: str                    # "<template>.s<seed>.v<variant>", unique within and across banks
    template: str
    variant: int
    seed: int
    type: str                   # one of QUESTION_TYPES
    title: str
    topic: str
    points: float
    stem: str                   # Markdown with LaTeX in \( \) and \[ \]
    params: dict[str, Plain]
    answer: Plain               # num: number; single: choice index; multi: sorted indices; truefalse: bool
    tolerance: float | None     # absolute, num items only
    choices: tuple[Choice, ...]
    explanation: str            # worked solution, Markdown + LaTeX
    covers: tuple[str, ...]     # coverage keys (quizzes.sections.SECTIONS)
    source: str                 # template file relative to the quizzes package

    def to_json(self) -> dict[str, Plain]:
        return {
            "uid": self.uid, "template": self.template, "variant": self.variant, "seed": self.seed,
            "type": self.type, "title": self.title, "topic": self.topic, "points": self.points,
            "stem": self.stem, "params": self.params, "answer": self.answer, "tolerance": self.tolerance,
            "choices": [choice.to_json() for choice in self.choices], "explanation": self.explanation,
            "covers": list(self.covers), "source": self.source,
        }

    @property
    def correct_choices(self) -> list[Choice]:
        return [choice for choice in self.choices if choice.correct]

    @property
    def distractors(self) -> list[Choice]:
        return [choice for choice in self.choices if not choice.correct]


def choice_from_json(data: dict[str, Plain]) -> Choice:
    return Choice(text=data["text"], value=data["value"], correct=data["correct"], weight=data["weight"],
                  misconception=data["misconception"], feedback=data["feedback"])


def item_from_json(data: dict[str, Plain]) -> Item:
    """The inverse of ``Item.to_json`` (exporters read bank.json back through this)."""
    fields = dict(data)
    fields["choices"] = tuple(choice_from_json(choice) for choice in data["choices"])
    fields["covers"] = tuple(data["covers"])
    return Item(**fields)
