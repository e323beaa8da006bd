"""moodle.xml: well-formed, in Moodle's XML import structure, and the same quiz as quiz.gift read by gift-pegjs."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from quizzes.exporters.common import MOODLE_PERCENTAGES, choice_feedback, lms_html, lms_inline_html, question_name

PLAIN = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")
HEAD = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber"]
BODY = {
    "numerical": ["answer", "unitgradingtype", "unitpenalty", "showunits", "unitsleft", "tags"],
    "multichoice": ["single", "shuffleanswers", "answernumbering", "showstandardinstruction", "correctfeedback",
                    "partiallycorrectfeedback", "incorrectfeedback", "shownumcorrect", "answer", "tags"],
    "truefalse": ["answer", "tags"],
}
TYPES = {"num": "numerical", "single": "multichoice", "multi": "multichoice", "truefalse": "truefalse"}


def questions(path) -> list[ET.Element]:
    root = ET.parse(path).getroot()
    assert root.tag == "quiz"
    return list(root.iter("question"))


def text_of(element: ET.Element, *path: str) -> str:
    for tag in path:
        element = element.find(tag)
        assert element is not None, f"missing <{tag}>"
    return element.text or ""


def collapse(tags: list[str]) -> list[str]:
    """Tag names with runs of repeated tags collapsed (several <answer> in a row count once)."""
    return [tag for i, tag in enumerate(tags) if i == 0 or tags[i - 1] != tag]


def test_moodle_xml_has_the_import_structure(exports, bank_items):
    parsed = questions(exports["moodle"])
    categories = [q for q in parsed if q.get("type") == "category"]
    real = [q for q in parsed if q.get("type") != "category"]
    assert len(real) == len(bank_items)
    assert len(categories) == len({e.template for e in bank_items})
    for category in categories:
        assert list(category)[0].tag == "category"
        assert re.fullmatch(r"\$course\$/top/xent-lab/[a-z_]+/[a-z0-9_]+", text_of(category, "category", "text"))
    ids = [text_of(q, "idnumber") for q in real]
    assert ids == [e.uid for e in bank_items] and len(set(ids)) == len(ids)
    for question, entry in zip(real, bank_items):
        kind = question.get("type")
        assert kind == TYPES[entry.type]
        assert collapse([child.tag for child in question]) == HEAD + BODY[kind], entry.uid
        for field in ("questiontext", "generalfeedback"):
            assert question.find(field).get("format") == "html"
        assert float(text_of(question, "defaultgrade")) == entry.points
        answers = question.findall("answer")
        fractions = [a.get("fraction") for a in answers]
        assert set(fractions) <= MOODLE_PERCENTAGES, (entry.uid, fractions)
        for answer in answers:
            assert answer.find("feedback").get("format") == "html" and text_of(answer, "feedback", "text")
        if kind == "numerical":
            assert fractions == ["100"] + ["0"] * (len(answers) - 1)
            for answer, original in zip(answers, entry.choices):
                value = text_of(answer, "text")
                assert PLAIN.fullmatch(value) and float(value) == original.value
                assert float(text_of(answer, "tolerance")) == entry.tolerance
        elif kind == "truefalse":
            pairs = {text_of(a, "text"): a.get("fraction") for a in answers}
            assert pairs == {"true": "100" if entry.answer else "0", "false": "0" if entry.answer else "100"}
        elif entry.type == "single":
            assert text_of(question, "single") == "true"
            assert fractions.count("100") == 1 and fractions.count("0") == len(fractions) - 1
            assert fractions.index("100") == entry.answer
        else:
            assert text_of(question, "single") == "false"
            positive = [float(f) for f in fractions if float(f) > 0]
            assert round(sum(positive) / 100, 2) == 1, "Moodle refuses positive grades not adding up to 100 %"
            assert [i for i, f in enumerate(fractions) if float(f) > 0] == entry.answer
            assert all(float(f) < 0 for i, f in enumerate(fractions) if i not in entry.answer)
        tags = [t.text for t in question.find("tags").iter("text")]
        assert tags[:2] == [entry.topic, entry.template] and set(entry.covers) <= set(tags)


def test_moodle_and_gift_hold_the_same_quiz(exports, gift_pegjs):
    """Cross-check: every Moodle XML question against the GIFT question gift-pegjs reads, field by field."""
    moodle = questions(exports["moodle"])
    gift = gift_pegjs(exports["gift"])
    assert len(moodle) == len(gift)
    for ours, theirs in zip(moodle, gift):
        kind = ours.get("type")
        if kind == "category":
            assert theirs["type"] == "Category"
            assert theirs["title"] == text_of(ours, "category", "text")
            continue
        assert theirs["type"] == {"numerical": "Numerical", "multichoice": "MC", "truefalse": "TF"}[kind]
        assert theirs["title"] == text_of(ours, "name", "text")
        assert theirs["stem"]["text"] == text_of(ours, "questiontext", "text")
        assert theirs["globalFeedback"]["text"] == text_of(ours, "generalfeedback", "text")
        answers = ours.findall("answer")
        if kind == "truefalse":
            by_text = {text_of(a, "text"): a for a in answers}
            right = "true" if by_text["true"].get("fraction") == "100" else "false"
            wrong = "false" if right == "true" else "true"
            assert theirs["isTrue"] is (right == "true")
            assert theirs["trueFeedback"]["text"] == text_of(by_text[wrong], "feedback", "text")
            assert theirs["falseFeedback"]["text"] == text_of(by_text[right], "feedback", "text")
            continue
        assert len(theirs["choices"]) == len(answers)
        for answer, option in zip(answers, theirs["choices"]):
            weight = option["weight"] if option["weight"] is not None else (100 if option["isCorrect"] else 0)
            assert float(answer.get("fraction")) == float(weight)
            assert option["feedback"]["text"] == text_of(answer, "feedback", "text")
            if kind == "numerical":
                assert option["text"]["number"] == float(text_of(answer, "text"))
                assert option["text"]["range"] == float(text_of(answer, "tolerance"))
            else:
                assert option["text"]["text"] == text_of(answer, "text")


def test_moodle_text_is_the_bank_text_as_html(exports, bank_items):
    real = [q for q in questions(exports["moodle"]) if q.get("type") != "category"]
    for question, entry in zip(real, bank_items):
        assert text_of(question, "name", "text") == question_name(entry)
        assert text_of(question, "questiontext", "text") == lms_html(entry.stem)
        assert text_of(question, "generalfeedback", "text") == lms_html(entry.explanation)
        answers = question.findall("answer")
        if entry.type in ("single", "multi"):
            assert [text_of(a, "text") for a in answers] == [lms_inline_html(c.text) for c in entry.choices]
        if entry.type != "truefalse":
            assert [text_of(a, "feedback", "text") for a in answers] == \
                [lms_html(choice_feedback(c)) for c in entry.choices]
        assert "$" not in text_of(question, "questiontext", "text").replace("$course$", "")
