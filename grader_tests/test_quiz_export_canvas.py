"""canvas_qti.zip: well-formed, manifest complete, one group per template, and item by item what text2qti writes."""

from __future__ import annotations

import html
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizzes.exporters import canvas
from quizzes.exporters.canvas import canvas_range
from quizzes.exporters.common import make_bank

from quiz_fixtures import choice, item, num_item

PLAIN4 = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]{0,3}[1-9])?")
STEP = Decimal("0.0001")
QUIZ_ID = re.compile(r"[A-Za-z0-9_-]*assessment_[0-9a-f]+")
KNOWN_IDENTS = {"response1", "answer1", "general_fb", "general_incorrect_fb", "correct_fb", "root_section"}


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def assessment_of(files: dict[str, bytes]) -> ET.Element:
    name = next(n for n in files if n.endswith(".xml") and "/" in n and not n.endswith("assessment_meta.xml"))
    return ET.fromstring(files[name])


# ---------------------------------------------------------------- our package on its own

def test_zip_is_well_formed_and_the_manifest_lists_every_file(exports):
    files = unzip(exports["canvas"].read_bytes())
    for name, data in files.items():
        if name.endswith(".xml"):
            ET.fromstring(data)           # raises on malformed XML
    manifest = ET.fromstring(files["imsmanifest.xml"])
    hrefs = [f.get("href") for f in manifest.iter() if local(f.tag) == "file"]
    real_files = sorted(n for n in files if not n.endswith("/"))
    assert sorted(hrefs + ["imsmanifest.xml"]) == real_files
    resources = [r for r in manifest.iter() if local(r.tag) == "resource"]
    assert [r.get("type") for r in resources] == ["imsqti_xmlv1p2",
                                                  "associatedcontent/imscc_xmlv1p1/learning-application-resource"]
    ident = resources[0].get("identifier")
    assert resources[0].find("{*}dependency").get("identifierref") == resources[1].get("identifier")
    assert assessment_of(files).find("{*}assessment").get("ident") == ident
    meta = ET.fromstring(files[f"{ident}/assessment_meta.xml"])
    assert meta.get("identifier") == ident


def test_one_question_group_per_template_drawing_one_variant(exports, bank_items):
    assessment = assessment_of(unzip(exports["canvas"].read_bytes())).find("{*}assessment")
    root = assessment.find("{*}section")
    groups = root.findall("{*}section")
    by_template: dict[str, list] = {}
    for entry in bank_items:
        by_template.setdefault(entry.template, []).append(entry)
    assert len(groups) == len(by_template) and not root.findall("{*}item")
    idents = []
    for group, (template, variants) in zip(groups, by_template.items()):
        assert group.get("title") == variants[0].title
        assert group.findtext("{*}selection_ordering/{*}selection/{*}selection_number") == "1"
        points = group.findtext("{*}selection_ordering/{*}selection/{*}selection_extension/{*}points_per_item")
        assert float(points) == variants[0].points
        items = group.findall("{*}item")
        assert len(items) == len(variants)
        idents += [i.get("ident") for i in items]
        for element, entry in zip(items, variants):
            fields = {f.findtext("{*}fieldlabel"): f.findtext("{*}fieldentry")
                      for f in element.iter("{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}qtimetadatafield")}
            assert fields["question_type"] == canvas.QUESTION_TYPES[entry.type]
            assert float(fields["points_possible"]) == entry.points
            assert "\\(" in element.find("{*}presentation/{*}material/{*}mattext").text or "\\(" not in entry.stem
    assert len(set(idents)) == len(idents)


def test_numerical_ranges_are_safe_for_canvas(exports, bank_items):
    assessment = assessment_of(unzip(exports["canvas"].read_bytes()))
    items = {i.get("ident"): i for i in assessment.iter("{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}item")}
    checked = 0
    for entry in bank_items:
        if entry.type != "num":
            continue
        element = items[canvas.item_ident(entry)]
        low = element.findtext(".//{*}vargte")
        high = element.findtext(".//{*}varlte")
        assert PLAIN4.fullmatch(low) and PLAIN4.fullmatch(high), (low, high)     # <= 4 decimals, no exponent
        exact, margin = Decimal(repr(entry.answer)), Decimal(repr(entry.tolerance))
        assert exact - margin <= Decimal(low) <= Decimal(high) <= exact + margin
        assert Decimal(low) - STEP < exact - margin and Decimal(high) + STEP > exact + margin
        slips = element.find("{*}itemfeedback[@ident='general_incorrect_fb']").findtext(".//{*}mattext")
        assert all(c.misconception in html.unescape(slips) for c in entry.distractors)
        checked += 1
    assert checked > 50


@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False) | st.floats(min_value=-1e-3, max_value=1e-3),
       st.floats(min_value=1e-4, max_value=50))
def test_canvas_range_keeps_exactly_the_enterable_answers(answer, tolerance):
    low, high = canvas_range(answer, tolerance)
    exact, margin = Decimal(repr(answer)), Decimal(repr(tolerance))
    assert low == low.quantize(STEP) and high == high.quantize(STEP)        # numbers Canvas keeps as they are
    assert exact - margin <= low <= high <= exact + margin                  # never wider than the tolerance
    assert low - STEP < exact - margin and high + STEP > exact + margin     # every 4-decimal entry inside is in
    assert low == 0 or abs(low) >= STEP                                     # nothing Canvas would turn into 0


def test_canvas_range_refuses_tolerances_below_its_resolution():
    assert canvas_range(0.00003, 0.01) == (Decimal("-0.0099"), Decimal("0.01"))
    with pytest.raises(ValueError, match="below Canvas's resolution"):
        canvas_range(0.5, 0.00009)


# ---------------------------------------------------------------- against text2qti

FIXED = [
    num_item("numeric.s0.v0", 2.5, 0.01, stem="What is five halves?", explanation="Divide five by two."),
    item("single.s0.v0", "single", "Which option is right?",
         [choice("wrong one", "a", False, 0.0, "slip A"), choice("right one", "b", True, 1.0),
          choice("wrong two", "c", False, 0.0, "slip B")], explanation="Because."),
    item("multi.s0.v0", "multi", "Select every right option.",
         [choice("yes one", "a", True, 0.5), choice("no one", "b", False, -0.5, "slip C"),
          choice("yes two", "c", True, 0.5), choice("no two", "d", False, -0.5, "slip D")], explanation="Both."),
    item("truth.s0.v0", "truefalse", "Is this statement false?",
         [choice("True", True, False, 0.0, "slip E"), choice("False", False, True, 1.0)], explanation="It is."),
]

TEXT2QTI_SOURCE = """\
Quiz title: Fixed set

GROUP
pick: 1
points per question: 1

Title: Probe
1.  What is five halves?
... Divide five by two.
-   Not quite. Check the worked solution.
=   [2.49, 2.51]
END_GROUP

GROUP
pick: 1
points per question: 1

Title: Probe
2.  Which option is right?
... Because.
a)  wrong one
... Not quite. Likely slip: slip A.
*b) right one
... Correct.
c)  wrong two
... Not quite. Likely slip: slip B.
END_GROUP

GROUP
pick: 1
points per question: 1

Title: Probe
3.  Select every right option.
... Both.
[*] yes one
... Correct.
[ ] no one
... Not quite. Likely slip: slip C.
[*] yes two
... Correct.
[ ] no two
... Not quite. Likely slip: slip D.
END_GROUP

GROUP
pick: 1
points per question: 1

Title: Probe
4.  Is this statement false?
... It is.
a)  True
... Not quite. Likely slip: slip E.
*b) False
... Correct.
END_GROUP
"""


class Labels:
    """Identifiers renamed in order of first appearance, so two files with different ids compare equal."""

    def __init__(self):
        self.names: dict[str, str] = {}

    def __call__(self, ident: str) -> str:
        if ident in KNOWN_IDENTS:
            return ident
        if ident.endswith("_fb"):
            return self(ident[:-3]) + "_fb"
        return self.names.setdefault(ident, f"id{len(self.names)}")


def canonical(element: ET.Element, labels: Labels, label: str | None = None):
    """(tag, attributes, text, children) with identifiers relabelled, numbers as numbers, free text normalised."""
    tag = local(element.tag)
    attrs = {}
    for key, value in sorted(element.attrib.items()):
        key = local(key)
        if key in ("ident", "linkrefid", "identifierref", "respident", "identifier"):
            value = labels(value)
        elif key in ("title", "schemaLocation"):
            value = "*"
        elif key == "href":
            value = QUIZ_ID.sub("QUIZ", value)
        attrs[key] = value
    text = " ".join((element.text or "").split()) or None
    if tag == "varequal":
        text = labels(text)
    elif tag in ("vargte", "varlte", "setvar", "selection_number", "points_per_item") or \
            (tag == "fieldentry" and label == "points_possible"):
        text = float(text)
    elif tag == "fieldentry" and label in ("original_answer_ids", "assessment_question_identifierref"):
        text = tuple(labels(part) for part in text.split(","))
    children, field = [], None
    for child in element:
        if local(child.tag) == "fieldlabel":
            field = child.text
        children.append(canonical(child, labels, field))
    return tag, attrs, text, children


def text2qti_zip() -> bytes:
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz

    return QTI(Quiz(TEXT2QTI_SOURCE, config=Config(), source_name="fixed.txt")).zip_bytes()


def ours_zip() -> bytes:
    return canvas.render(make_bank(Path("fixed.json"), {"seed": 0}, FIXED))


def test_fixed_questions_match_text2qti_element_by_element():
    theirs, ours = unzip(text2qti_zip()), unzip(ours_zip())
    assert sorted(QUIZ_ID.sub("QUIZ", n) for n in ours) == sorted(QUIZ_ID.sub("QUIZ", n) for n in theirs)
    their_items = list(assessment_of(theirs).iter("{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}item"))
    our_items = list(assessment_of(ours).iter("{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}item"))
    assert len(our_items) == len(their_items) == 4
    for mine, reference, entry in zip(our_items, their_items, FIXED):
        assert canonical(mine, Labels()) == canonical(reference, Labels()), entry.type
    # the whole assessment too: root section, one group per question with selection_number 1, the items in it
    assert canonical(assessment_of(ours), Labels()) == canonical(assessment_of(theirs), Labels())


def test_manifest_and_quiz_settings_use_text2qti_structure():
    theirs, ours = unzip(text2qti_zip()), unzip(ours_zip())

    def resources(files):
        manifest = ET.fromstring(files["imsmanifest.xml"])
        return canonical(manifest.find("{*}resources"), Labels()), local(manifest.tag), sorted(manifest.attrib)

    assert resources(ours) == resources(theirs)

    def paths(element: ET.Element, prefix: str = "") -> set[str]:
        here = f"{prefix}/{local(element.tag)}"
        return {here}.union(*(paths(child, here) for child in element))

    meta = [n for n in theirs if n.endswith("assessment_meta.xml")][0]
    our_meta = [n for n in ours if n.endswith("assessment_meta.xml")][0]
    assert paths(ET.fromstring(ours[our_meta])) <= paths(ET.fromstring(theirs[meta])), \
        "every quiz setting we write is one text2qti writes, in the same place"


def test_text2qti_structure_check_can_fail():
    """The comparison is not vacuous: an item with a different answer or cardinality differs."""
    mine = list(assessment_of(unzip(ours_zip())).iter("{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}item"))
    theirs = list(assessment_of(unzip(text2qti_zip())).iter("{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}item"))
    mine[0].find(".//{*}vargte").text = "2.48"
    mine[2].find(".//{*}response_lid").set("rcardinality", "Single")
    assert canonical(mine[0], Labels()) != canonical(theirs[0], Labels())
    assert canonical(mine[2], Labels()) != canonical(theirs[2], Labels())


def test_num_incorrect_feedback_lists_slips_without_values_that_give_the_answer_away(exports, bank_items):
    """Canvas shows it while attempts remain: a listed slip value such as minus the answer would leak it."""
    root = assessment_of(unzip(exports["canvas"].read_bytes()))
    items = {canvas.item_ident(entry): entry for entry in bank_items if entry.type == "num"}
    checked = 0
    for element in root.iter():
        if local(element.tag) != "item" or element.get("ident") not in items:
            continue
        entry = items[element.get("ident")]
        feedback = next(f for f in element.iter() if local(f.tag) == "itemfeedback"
                        and f.get("ident") == "general_incorrect_fb")
        text = html.unescape("".join(feedback.itertext()))
        numbers = [float(n) for n in re.findall(r"-?\d+\.\d{2,}", text)]   # computed values, not "1 - theta"
        for slip in entry.distractors:
            assert slip.text not in text, (entry.uid, slip.text)
            assert slip.misconception in text
        assert all(abs(abs(n) - abs(entry.answer)) > entry.tolerance for n in numbers), (entry.uid, text)
        checked += 1
    assert checked == len(items) > 50
