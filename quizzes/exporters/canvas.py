"""Canvas QTI 1.2 package (Canvas Classic Quizzes): a zip with imsmanifest.xml and one assessment.

The assessment holds one question group (a ``<section>`` with ``selection_number`` 1) per template,
its variants as the group's items, so each student gets one variant per template. The layout and
every item's XML follow what text2qti writes (a tool whose output Canvas is known to import);
grader_tests/test_quiz_export_canvas.py compares the two element by element.

Numerical answers are ranges (``vargte``/``varlte``) with their ends rounded *inward* to 4
decimals. Canvas Classic Quizzes keep only 4 decimals of a number (0.00004 becomes 0, and student
entries are cut the same way), so:

- every number we write is one Canvas keeps as it is, including the ends of ranges around tiny answers;
- the range never accepts anything outside answer ± tolerance, and it accepts every 4-decimal entry
  inside it, which is all a student can enter;
- a tolerance below 0.0001 cannot be represented and is refused with an error naming the item.

Canvas numerical questions cannot answer a particular wrong value with its own feedback, so the
anticipated slips of a num item are listed in its "incorrect" feedback; choice items get
per-option feedback naming the misconception. Math is left as ``\\( … \\)`` TeX (Canvas renders it
with MathJax).
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from xentcore.errors import ExportError
from quizzes.exporters.common import (Bank, Group, choice_feedback, digest, lms_html, num_slips_markdown,
                                      plain_decimal)
from quizzes.model import Item

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CANVAS_NS = "http://canvas.instructure.com/xsd/cccv1p0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
QUESTION_TYPES = {"num": "numerical_question", "single": "multiple_choice_question",
                  "multi": "multiple_answers_question", "truefalse": "true_false_question"}
CANVAS_STEP = Decimal("0.0001")   # Canvas Classic Quizzes keep 4 decimals
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def canvas_range(answer: float, tolerance: float) -> tuple[Decimal, Decimal]:
    """The 4-decimal range Canvas should accept: answer ± tolerance with both ends rounded inward."""
    exact, margin = Decimal(repr(float(answer))), Decimal(repr(float(tolerance)))
    if margin < CANVAS_STEP:
        raise ValueError(f"the tolerance {tolerance} is below Canvas's resolution of 0.0001 (Canvas keeps 4 decimals "
                         "of what students enter)")
    low = (exact - margin).quantize(CANVAS_STEP, rounding=ROUND_CEILING)
    high = (exact + margin).quantize(CANVAS_STEP, rounding=ROUND_FLOOR)
    return low, high     # margin >= 0.0001 leaves at least two 4-decimal numbers between them


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = text
    return element


def _material(parent: ET.Element, html_text: str) -> None:
    _sub(_sub(parent, "material"), "mattext", html_text, texttype="text/html")


def _metadata(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    meta = _sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _sub(meta, "qtimetadatafield")
        _sub(field, "fieldlabel", label)
        _sub(field, "fieldentry", entry)


def _feedback_condition(parent: ET.Element, target: str, condition: str | None = None) -> None:
    respcondition = _sub(parent, "respcondition", **{"continue": "Yes"})
    conditionvar = _sub(respcondition, "conditionvar")
    if condition is None:
        _sub(conditionvar, "other")
    else:
        _sub(conditionvar, "varequal", condition, respident="response1")
    _sub(respcondition, "displayfeedback", feedbacktype="Response", linkrefid=target)


def _itemfeedback(parent: ET.Element, ident: str, markdown: str) -> None:
    _material(_sub(_sub(parent, "itemfeedback", ident=ident), "flow_mat"), lms_html(markdown))


def item_ident(item: Item) -> str:
    return f"xent_question_{digest(item.uid)}"


def _item(section: ET.Element, item: Item) -> None:
    ident = item_ident(item)
    element = _sub(section, "item", ident=ident, title=item.title)
    choice_ids = [f"{ident}_choice{i}" for i in range(len(item.choices))]
    answer_ids = f"{ident}_numerical" if item.type == "num" else ",".join(choice_ids)
    _metadata(_sub(element, "itemmetadata"), [
        ("question_type", QUESTION_TYPES[item.type]),
        ("points_possible", plain_decimal(float(item.points))),
        ("original_answer_ids", answer_ids),
        ("assessment_question_identifierref", f"{ident}_ref"),
    ])
    presentation = _sub(element, "presentation")
    _material(presentation, lms_html(item.stem))
    if item.type == "num":
        response = _sub(presentation, "response_str", ident="response1", rcardinality="Single")
        _sub(_sub(response, "render_fib", fibtype="Decimal"), "response_label", ident="answer1")
    else:
        cardinality = "Multiple" if item.type == "multi" else "Single"
        response = _sub(presentation, "response_lid", ident="response1", rcardinality=cardinality)
        render_choice = _sub(response, "render_choice")
        for choice_id, choice in zip(choice_ids, item.choices):
            _material(_sub(render_choice, "response_label", ident=choice_id), lms_html(choice.text))

    processing = _sub(element, "resprocessing")
    _sub(_sub(processing, "outcomes"), "decvar", maxvalue="100", minvalue="0", varname="SCORE",
         vartype="Decimal")
    _feedback_condition(processing, "general_fb")
    if item.type != "num":
        for choice_id in choice_ids:
            _feedback_condition(processing, f"{choice_id}_fb", choice_id)
    scoring = _sub(processing, "respcondition", **{"continue": "No"})
    conditionvar = _sub(scoring, "conditionvar")
    if item.type == "num":
        try:
            low, high = canvas_range(item.answer, item.tolerance)
        except ValueError as exc:
            raise ExportError(f"item {item.uid!r}: {exc}; use --format without canvas, or a tolerance of at least "
                              "0.0001 in the template") from exc
        _sub(conditionvar, "vargte", plain_decimal(low), respident="response1")
        _sub(conditionvar, "varlte", plain_decimal(high), respident="response1")
    elif item.type == "multi":
        every = _sub(conditionvar, "and")
        for choice_id, choice in zip(choice_ids, item.choices):
            if choice.correct:
                _sub(every, "varequal", choice_id, respident="response1")
            else:
                _sub(_sub(every, "not"), "varequal", choice_id, respident="response1")
    else:
        right = next(i for i, choice in enumerate(item.choices) if choice.correct)
        _sub(conditionvar, "varequal", choice_ids[right], respident="response1")
    _sub(scoring, "setvar", "100", action="Set", varname="SCORE")
    if item.type == "num":
        _feedback_condition(processing, "general_incorrect_fb")

    _itemfeedback(element, "general_fb", item.explanation)
    if item.type == "num":
        _itemfeedback(element, "general_incorrect_fb", num_slips_markdown(item))
    else:
        for choice_id, choice in zip(choice_ids, item.choices):
            _itemfeedback(element, f"{choice_id}_fb", choice_feedback(choice))


def _group(root_section: ET.Element, group: Group) -> None:
    section = _sub(root_section, "section", ident=f"xent_group_{digest(group.template)}", title=group.title)
    selection = _sub(_sub(section, "selection_ordering"), "selection")
    _sub(selection, "selection_number", "1")
    _sub(_sub(selection, "selection_extension"), "points_per_item", plain_decimal(float(group.points)))
    for item in group.items:
        _item(section, item)


def _xml(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n").encode()


def assessment_xml(bank: Bank, ident: str) -> bytes:
    root = ET.Element("questestinterop", {
        "xmlns": QTI_NS, "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"})
    assessment = _sub(root, "assessment", ident=ident, title=bank.title)
    _metadata(assessment, [("cc_maxattempts", "1")])
    root_section = _sub(assessment, "section", ident="root_section")
    for group in bank.groups:
        _group(root_section, group)
    return _xml(root)


def assessment_meta_xml(bank: Bank, ident: str) -> bytes:
    """Canvas's quiz settings (the cccv1p0 schema); without it Canvas imports questions but no quiz."""
    root = ET.Element("quiz", {
        "identifier": ident, "xmlns": CANVAS_NS, "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{CANVAS_NS} https://canvas.instructure.com/xsd/cccv1p0.xsd"})
    points = plain_decimal(float(bank.points))
    description = lms_html(f"One question per template, each drawn at random from its variants "
                           f"({len(bank.groups)} templates, {len(bank.items)} variants in all).")
    for tag, text in [("title", bank.title), ("description", description), ("shuffle_answers", "false"),
                      ("scoring_policy", "keep_highest"), ("hide_results", ""), ("quiz_type", "assignment"),
                      ("points_possible", points), ("show_correct_answers", "true"),
                      ("anonymous_submissions", "false"), ("could_be_locked", "false"), ("allowed_attempts", "1"),
                      ("one_question_at_a_time", "false"), ("cant_go_back", "false"), ("available", "false"),
                      ("one_time_results", "false"), ("show_correct_answers_last_attempt", "false"),
                      ("only_visible_to_overrides", "false"), ("module_locked", "false")]:
        _sub(root, tag, text)
    assignment = _sub(root, "assignment", identifier=f"{ident}_assignment")
    for tag, text in [("title", bank.title), ("workflow_state", "unpublished"),
                      ("quiz_identifierref", ident), ("points_possible", points), ("grading_type", "points"),
                      ("submission_types", "online_quiz")]:
        _sub(assignment, tag, text)
    _sub(root, "assignment_group_identifierref", f"{ident}_assignment_group")
    return _xml(root)


def manifest_xml(bank: Bank, ident: str, files: list[str]) -> bytes:
    """imsmanifest.xml listing every file of the package (``files``: assessment, then meta)."""
    assessment_file, meta_file = files
    root = ET.Element("manifest", {
        "identifier": f"{ident}_manifest", "xmlns": CP_NS,
        "xmlns:imsmd": "http://www.imsglobal.org/xsd/imsmd_v1p2", "xmlns:xsi": XSI_NS,
        "xsi:schemaLocation": f"{CP_NS} http://www.imsglobal.org/xsd/imscp_v1p1.xsd "
                              "http://www.imsglobal.org/xsd/imsmd_v1p2 http://www.imsglobal.org/xsd/imsmd_v1p2p2.xsd"})
    metadata = _sub(root, "metadata")
    _sub(metadata, "schema", "IMS Content")
    _sub(metadata, "schemaversion", "1.1.3")
    title = _sub(_sub(_sub(metadata, "imsmd:lom"), "imsmd:general"), "imsmd:title")
    _sub(title, "imsmd:string", bank.title)
    _sub(root, "organizations")
    resources = _sub(root, "resources")
    assessment = _sub(resources, "resource", identifier=ident, type="imsqti_xmlv1p2")
    _sub(assessment, "file", href=assessment_file)
    _sub(assessment, "dependency", identifierref=f"{ident}_dependency")
    meta = _sub(resources, "resource", identifier=f"{ident}_dependency",
                type="associatedcontent/imscc_xmlv1p1/learning-application-resource", href=meta_file)
    _sub(meta, "file", href=meta_file)
    return _xml(root)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.create_system = 3
    info.external_attr = ((0o40755 if name.endswith("/") else 0o100644) << 16) | (0x10 if name.endswith("/") else 0)
    info.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
    return info


def render(bank: Bank) -> bytes:
    """The bytes of canvas_qti.zip for ``bank``: the same bank always gives the same bytes."""
    ident = f"xent_assessment_{bank.key}"
    assessment_file = f"{ident}/{ident}.xml"
    meta_file = f"{ident}/assessment_meta.xml"
    members = [
        ("imsmanifest.xml", manifest_xml(bank, ident, [assessment_file, meta_file])),
        ("non_cc_assessments/", b""),    # Canvas's own exports carry this folder; text2qti does too
        (meta_file, assessment_meta_xml(bank, ident)),
        (assessment_file, assessment_xml(bank, ident)),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(_entry(name), data)
    return buffer.getvalue()
