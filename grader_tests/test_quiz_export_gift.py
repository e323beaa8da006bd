"""quiz.gift read back by gift-pegjs (npm): every question parses with its type, answer, tolerance, weights and text."""

from __future__ import annotations

import html
import re

import pytest

from quizzes.exporters import export_bank
from quizzes.exporters.common import choice_feedback, lms_html, lms_inline_html, moodle_percentages, question_name

from quiz_fixtures import choice, item, multi_item, num_item, write_bank

GIFT_TYPES = {"num": "Numerical", "single": "MC", "multi": "MC", "truefalse": "TF"}
TEX_COMMAND = re.compile(r"\\[A-Za-z]+")


def split(parsed: list[dict]) -> tuple[list[str], list[dict]]:
    categories = [q["title"] for q in parsed if q["type"] == "Category"]
    return categories, [q for q in parsed if q["type"] != "Category"]


def grade(parsed_choice: dict) -> float:
    """A parsed option's grade in %: '=' options carry no weight and mean 100 %, '~' options 0 %."""
    if parsed_choice["weight"] is not None:
        return float(parsed_choice["weight"])
    return 100.0 if parsed_choice["isCorrect"] else 0.0


def assert_question_matches(question: dict, entry) -> None:
    """One parsed GIFT question against the bank item it came from."""
    assert question["type"] == GIFT_TYPES[entry.type], entry.uid
    assert question["title"] == question_name(entry)
    assert question["stem"] == {"format": "html", "text": lms_html(entry.stem)}, entry.uid
    assert question["globalFeedback"] == {"format": "html", "text": lms_html(entry.explanation)}
    for command in TEX_COMMAND.findall(entry.stem):     # \nu, \neq ... survived, not turned into newlines
        assert command in question["stem"]["text"], (entry.uid, command)
    if entry.type == "truefalse":
        right = next(c for c in entry.choices if c.correct)
        wrong = next(c for c in entry.choices if not c.correct)
        assert question["isTrue"] is entry.answer
        # Moodle's reading: the first feedback is shown for a wrong answer, the second for the right one.
        assert question["trueFeedback"]["text"] == lms_html(choice_feedback(wrong))
        assert question["falseFeedback"]["text"] == lms_html(choice_feedback(right))
        return
    choices = question["choices"]
    assert len(choices) == len(entry.choices), entry.uid
    expected_grades = [float(g) for g in moodle_percentages(entry)]
    assert [grade(c) for c in choices] == expected_grades, entry.uid
    for parsed, original in zip(choices, entry.choices):
        assert parsed["feedback"] == {"format": "html", "text": lms_html(choice_feedback(original))}
        if original.misconception:
            assert original.misconception in html.unescape(re.sub(r"<[^>]+>", "", parsed["feedback"]["text"]))
    if entry.type == "num":
        assert choices[0]["isCorrect"] and choices[0]["weight"] is None
        for parsed, original in zip(choices, entry.choices):
            assert parsed["text"] == {"type": "range", "number": original.value, "range": entry.tolerance}
        assert choices[0]["text"]["number"] == entry.answer
    else:
        # the same HTML (a leading % is written &#37;, GIFT having no escape for it)
        assert [(c["text"]["format"], html.unescape(c["text"]["text"])) for c in choices] == \
            [("html", html.unescape(lms_inline_html(c.text))) for c in entry.choices]
        if entry.type == "single":
            assert [c["isCorrect"] for c in choices] == [c.correct for c in entry.choices]
        else:
            assert not any(c["isCorrect"] for c in choices), "a multi-answer GIFT question has no '=' option"
            assert sum(g for g in expected_grades if g > 0) == pytest.approx(100, abs=1e-4)
            for parsed, original in zip(choices, entry.choices):
                assert abs(grade(parsed) - 100 * original.weight) < 1e-4


def test_every_question_of_the_bank_parses_as_written(exports, bank_items, gift_pegjs):
    categories, questions = split(gift_pegjs(exports["gift"]))
    templates = list(dict.fromkeys(entry.template for entry in bank_items))
    assert categories == [f"$course$/top/xent-lab/{e.topic}/{e.template}"
                          for e in {x.template: x for x in bank_items}.values()]
    assert len(categories) == len(templates)
    assert len(questions) == len(bank_items)
    kinds = set()
    for question, entry in zip(questions, bank_items):
        assert_question_matches(question, entry)
        kinds.add(entry.type)
    assert kinds == {"num", "single", "multi", "truefalse"}


def test_categories_come_before_their_variants(exports, bank_items, gift_pegjs):
    parsed = gift_pegjs(exports["gift"])
    current = None
    for question in parsed:
        if question["type"] == "Category":
            current = question["title"].rsplit("/", 1)[1]
        else:
            assert question["title"].startswith(f"{current} v"), (current, question["title"])


NASTY = ("Braces {x}, tilde ~, equals =, hash #, colon : and a backslash \\ in text; "
         "math \\(\\nu \\neq \\frac{a}{b} \\ge \\{1\\}\\) and \\(\\mathbb{E}[x] = \\sum_i p_i\\).\n\n"
         "A second paragraph ####, // not a comment, %50% and `code {=}`.\n\n\\[\\tfrac{1}{n}\\]")


def test_text_full_of_gift_syntax_round_trips(tmp_path, gift_pegjs):
    items = [
        num_item("nastynum.s0.v0", -0.000025, 0.0001, [(0.000025, "sign {flipped}: =#~"), (1e-7, "tiny \\nu")],
                 stem=NASTY, explanation=NASTY),
        item("nastysingle.s0.v0", "single", NASTY, [choice("%50% of \\(\\{a\\}\\)", 1, False, 0.0, "a: b"),
                                              choice("[0.1, 0.2] = right", 2, True, 1.0),
                                              choice("\\(\\nu\\) ~ # {}", 3, False, 0.0, "slip #2 {x}")],
             explanation=NASTY),
        item("nastytf.s0.v0", "truefalse", NASTY, [choice("True", True, True, 1.0),
                                                 choice("False", False, False, 0.0, "thinks \\(a \\neq b\\)")]),
        multi_item("nastymulti.s0.v0", 3, 2, stem=NASTY),
    ]
    out = export_bank(write_bank(tmp_path / "bank.json", items), out_dir=tmp_path, formats="gift")[0]
    _, questions = split(gift_pegjs(out))
    assert len(questions) == len(items)
    for question, entry in zip(questions, items):
        assert_question_matches(question, entry)
    assert "\\nu \\neq \\frac{a}{b} \\ge \\{1\\}" in questions[0]["stem"]["text"]
    assert questions[1]["choices"][0]["text"]["text"] == "&#37;50% of \\(\\{a\\}\\)"
    assert questions[0]["choices"][1]["text"]["number"] == 0.000025    # written 0.000025, not 2.5e-05
    assert "e-" not in out.read_text().split("{#", 1)[1].split("####", 1)[0]


def test_a_broken_file_is_reported_by_the_parser(tmp_path, gift_pegjs):
    broken = tmp_path / "broken.gift"
    broken.write_text("::q::What {=a ~b\n")
    with pytest.raises(AssertionError, match="gift-pegjs rejected"):
        gift_pegjs(broken)
