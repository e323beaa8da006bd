"""quizzes.exporters: the CLI, deterministic bytes, clear errors, plain numbers, GIFT escaping, Moodle grades."""

from __future__ import annotations

import json
import re
import zipfile
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.cli import main as cli_main
from xentcore.errors import ExportError, InputFileError, UsageError
from quizzes.exporters import FORMATS, export_bank, parse_formats
from quizzes.exporters.common import (MAX_CORRECT, MOODLE_PERCENTAGES, lms_html, lms_inline_html, moodle_percentages,
                                      plain_decimal, split_hundred, wrong_penalty)
from quizzes.exporters.gift import SPECIAL, escape

from quiz_fixtures import choice, item, multi_item, num_item, write_bank

FILES = {name: file_name for name, (file_name, _) in FORMATS.items()}
PLAIN = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?")


# ---------------------------------------------------------------- command line and files

def test_export_writes_the_lms_files_of_an_assessment_bank_and_says_where(small_bank, tmp_path, capsys):
    assert cli_main(["quiz", "export", str(small_bank), "-o", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out.splitlines()
    expected = [tmp_path / "out" / name for name in ("moodle.xml", "quiz.gift", "canvas_qti.zip")]
    assert printed == [f"wrote {path}" for path in expected]
    assert all(path.stat().st_size > 10_000 for path in expected)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in expected)


def test_format_option_picks_files_and_accepts_the_bank_folder(small_bank, tmp_path, capsys):
    assert cli_main(["quiz", "export", str(small_bank.parent), "-o", str(tmp_path), "--format", " gift, moodle"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moodle.xml", "quiz.gift"]
    assert capsys.readouterr().out.splitlines() == [f"wrote {tmp_path / 'quiz.gift'}",
                                                    f"wrote {tmp_path / 'moodle.xml'}"]


def test_quiz_build_export_writes_bank_and_exports(tmp_path, capsys):
    assert cli_main(["quiz", "build", "--variants", "1", "--seed", "4", "-o", str(tmp_path),
                     "--export", "canvas,html"]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'canvas_qti.zip'}" in out and f"wrote {tmp_path / 'practice.html'}" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bank.json", "canvas_qti.zip", "practice.html",
                                                          "practice_bank.json"]


def test_quiz_build_with_a_bad_export_format_writes_nothing(tmp_path, capsys):
    assert cli_main(["quiz", "build", "--variants", "1", "-o", str(tmp_path / "q"), "--export", "moodle,pdf"]) == 1
    assert capsys.readouterr().err.startswith("usage: --export 'pdf': unknown export format")
    assert not (tmp_path / "q").exists()


def test_same_bank_gives_the_same_bytes(small_bank, published, exports, tmp_path):
    again = export_bank(small_bank, out_dir=tmp_path) + \
        export_bank(published / "practice_bank.json", out_dir=tmp_path)
    assert (published / "bank.json").read_bytes() == small_bank.read_bytes()
    for path in again:
        assert path.read_bytes() == exports[next(k for k, v in FILES.items() if v == path.name)].read_bytes(), path.name
    with zipfile.ZipFile(exports["canvas"]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_another_seed_gives_other_questions(bank_items, tmp_path):
    from quizzes.bank import build_bank

    other = build_bank(out_dir=tmp_path / "b", seed=12, variants=2).path
    gift_text = export_bank(other, out_dir=tmp_path, formats=["gift"])[0].read_text()
    assert bank_items[0].uid not in gift_text and ".s12.v1" in gift_text


def test_unknown_format_is_a_usage_error_naming_it(small_bank, tmp_path, capsys):
    assert cli_main(["quiz", "export", str(small_bank), "-o", str(tmp_path), "--format", "moodle,giftt"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("usage: --format 'giftt': unknown export format (did you mean 'gift'?)")
    assert "moodle, gift, canvas, html" in err
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(UsageError, match="no export format given"):
        parse_formats(" , ")
    assert parse_formats("all") == list(FORMATS) and parse_formats(["qti", "canvas", "xml"]) == ["canvas", "moodle"]


@pytest.mark.parametrize("content, message", [
    (None, "no such quiz bank"),
    ("{not json", "not a readable JSON quiz bank"),
    ('{"format": "something else"}', "not an xent-lab quiz bank"),
    ('{"format": "xent-lab quiz bank", "schema_version": 99, "items": []}', "schema version 99"),
    ('{"format": "xent-lab quiz bank", "schema_version": 1, "items": []}', "schema version 1"),
    ('{"format": "xent-lab quiz bank", "schema_version": 2, "items": []}', '"purpose" is None'),
    ('{"format": "xent-lab quiz bank", "schema_version": 2, "purpose": "practice", "items": [{"uid": "x"}]}',
     "an item lacks a field"),
])
def test_unreadable_bank_is_an_input_error_naming_the_file(tmp_path, capsys, content, message):
    bank = tmp_path / "bank.json"
    if content is not None:
        bank.write_text(content)
    assert cli_main(["quiz", "export", str(bank), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"input: {bank}: ") and message in err
    assert not (tmp_path / "out").exists()


def test_item_breaking_the_model_is_an_export_error_naming_file_and_item(tmp_path, capsys):
    good = num_item("probe.s0.v0", 2.5, 0.01)
    bad = item("probe.s0.v1", "single", "Pick", [choice("a", 1, True, 1.0), choice("b", 2, True, 1.0)])
    bank = write_bank(tmp_path / "bank.json", [good, bad])
    assert cli_main(["quiz", "export", str(bank), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"export: {bank}: item 'probe.s0.v1': a single item needs exactly one correct choice")
    data = json.loads(bank.read_text())
    data["items"][0]["tolerance"] = None
    bank.write_text(json.dumps(data))
    with pytest.raises(ExportError, match="item 'probe.s0.v0': tolerance None is not a positive number"):
        export_bank(bank, out_dir=tmp_path / "out")
    with pytest.raises(ExportError, match="holds no items"):
        export_bank(write_bank(tmp_path / "empty.json", []), out_dir=tmp_path / "out")


def test_a_failing_format_writes_nothing(tmp_path):
    """Canvas cannot express a tolerance below 0.0001: the error names the item and no file appears."""
    bank = write_bank(tmp_path / "bank.json", [num_item("tiny.s0.v0", 0.5, 0.00001)])
    with pytest.raises(ExportError, match=r"item 'tiny.s0.v0': the tolerance 1e-05 is below Canvas's resolution"):
        export_bank(bank, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert [p.name for p in export_bank(bank, out_dir=tmp_path / "out", formats="moodle,gift")] == \
        ["moodle.xml", "quiz.gift"]


def test_output_folder_that_is_a_file_is_refused(small_bank, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="exists and is not a folder"):
        export_bank(small_bank, out_dir=blocker, formats="gift")


def test_missing_bank_raises_input_error(tmp_path):
    with pytest.raises(InputFileError, match="no such quiz bank"):
        export_bank(tmp_path / "none.json", out_dir=tmp_path)


def test_demo_step_builds_the_bank_and_prints_the_exports(tmp_path, capsys):
    from autograder.demo import quiz_demo
    from quizzes import coverage
    from quizzes.engine import discover_templates

    paths = quiz_demo(tmp_path, variants=1)
    out = capsys.readouterr().out
    n_templates = len(discover_templates())
    examinable = sum(1 for section in coverage.SECTIONS.values() if section.skip is None)
    assert f"{n_templates} items from {n_templates} templates" in out
    covered = examinable - len(coverage.bank_uncovered(tmp_path / "quiz" / "bank.json"))   # counted from the items
    assert f"coverage {covered}/{examinable} examinable sections" in out
    assert [p.name for p in paths] == list(FILES.values())
    assert all(p.parent == tmp_path / "quiz" and p.is_file() and f"  {p}" in out.splitlines() for p in paths)


# ---------------------------------------------------------------- numbers

@given(st.floats(allow_nan=False, allow_infinity=False))
def test_plain_decimal_round_trips_without_exponent(x):
    text = plain_decimal(x)
    assert PLAIN.fullmatch(text), text
    assert float(text) == x


@given(st.integers(min_value=-10**30, max_value=10**30))
def test_plain_decimal_writes_integers_as_integers(n):
    assert plain_decimal(n) == str(n)
    text = plain_decimal(float(n))
    assert "." not in text and "e" not in text and float(text) == float(n)


@pytest.mark.parametrize("x, text", [(1e-05, "0.00001"), (-2.5e-07, "-0.00000025"), (1e+16, "10000000000000000"),
                                     (-0.0, "0"), (2.0, "2"), (0.1, "0.1"), (-1.04990063019, "-1.04990063019"),
                                     (Decimal("0.0100"), "0.01"), (Decimal("-0.0000"), "0")])
def test_plain_decimal_examples(x, text):
    assert plain_decimal(x) == text


def test_plain_decimal_refuses_what_is_not_a_number():
    for bad in (float("inf"), float("nan")):
        with pytest.raises(ValueError):
            plain_decimal(bad)
    with pytest.raises(TypeError):
        plain_decimal(True)


# ---------------------------------------------------------------- GIFT escaping

def moodle_unescape(text: str) -> str:
    """What Moodle's GIFT reader makes of escaped text (qformat_gift::escapedchar_pre, then _post)."""
    placeholders = {"\\:": "\0058", "\\#": "\0035", "\\=": "\0061", "\\{": "\0123", "\\}": "\0125",
                    "\\~": "\0126", "\\n": "\0010"}
    text = text.replace("\\\\", "\0092")
    for escaped, slot in placeholders.items():
        text = text.replace(escaped, slot)
    text = text.replace("\0092", "\\")
    for escaped, slot in placeholders.items():
        text = text.replace(slot, "\n" if escaped == "\\n" else escaped[1])
    return text


def assert_fully_escaped(escaped: str) -> None:
    i = 0
    while i < len(escaped):
        if escaped[i] == "\\":
            assert i + 1 < len(escaped) and escaped[i + 1] in SPECIAL + "\\n", escaped
            i += 2
        else:
            assert escaped[i] not in SPECIAL + "\n\r", escaped
            i += 1


# Control characters other than line breaks are left out: Moodle's reader itself uses "\0058"-style
# placeholders (octal \005 then a digit), so a \x05 before a digit cannot survive a real Moodle import
# either; bank text is Markdown and never holds control characters.
@given(st.text(alphabet=st.sampled_from(list("\\~=#{}:n \n\rab%[]")) |
               st.characters(blacklist_categories=("Cc", "Cs")), max_size=60))
def test_gift_escape_round_trips_through_moodles_reader(text):
    escaped = escape(text)
    assert_fully_escaped(escaped)
    assert moodle_unescape(escaped) == text.replace("\r\n", "\n").replace("\r", "\n")


def test_gift_escape_keeps_latex_commands_that_start_with_n():
    escaped = escape(r"\(\nu \neq \frac{a}{b}\): x = 1 # ~")
    assert escaped == r"\\(\\nu \\neq \\frac\{a\}\{b\}\\)\: x \= 1 \# \~"
    assert moodle_unescape(escaped) == r"\(\nu \neq \frac{a}{b}\): x = 1 # ~"
    assert escape("two\nlines") == r"two\nlines"


# ---------------------------------------------------------------- LMS text

def test_lms_html_keeps_tex_for_mathjax_and_escapes_html():
    out = lms_html("Let \\(a_1 < b_2\\) and *x*:\n\n\\[\\frac{1}{2} \\ne p\\]\n\n<script>x</script>")
    assert "\\(a_1 &lt; b_2\\)" in out            # not emphasis, < escaped, backslashes kept
    assert "<em>x</em>" in out and "<p>\\[\\frac{1}{2} \\ne p\\]</p>" in out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert lms_inline_html("`ddof=1` and \\(x\\)") == "<code>ddof=1</code> and \\(x\\)"


# ---------------------------------------------------------------- Moodle grades

ALLOWED = sorted(Fraction(p) for p in MOODLE_PERCENTAGES if not p.startswith("-") and p != "0")


@pytest.mark.parametrize("k", range(1, MAX_CORRECT + 1))
def test_positive_grades_are_moodle_values_summing_to_100(k):
    grades = split_hundred(k)
    assert len(grades) == k and all(g in MOODLE_PERCENTAGES and float(g) > 0 for g in grades)
    total = sum(float(g) for g in grades)
    assert round(total / 100, 2) == 1 and abs(total - 100) < 1e-4    # Moodle's own check, and tighter
    if k <= 10 or k == 20:
        assert set(grades) == {grades[0]} and abs(float(grades[0]) - 100 / k) < 1e-4, "every right option gets 100/k"
    else:
        assert set(grades) == {"10", "5"}, "no equal split exists; 10 % and 5 % is the most even one"


def test_more_right_options_than_moodle_can_split_is_an_error():
    with pytest.raises(ValueError, match="cannot split 100 % over 21 correct options"):
        split_hundred(MAX_CORRECT + 1)
    crowded = multi_item("crowded.s0.v0", MAX_CORRECT + 1, 2)
    with pytest.raises(ExportError, match="item 'crowded.s0.v0'.*give the template fewer correct options"):
        moodle_percentages(crowded)


@pytest.mark.parametrize("n_wrong", range(1, 31))
def test_wrong_options_cost_at_least_their_fair_share(n_wrong):
    penalty = wrong_penalty(n_wrong)
    assert penalty in MOODLE_PERCENTAGES and penalty.startswith("-")
    assert n_wrong * -float(penalty) >= 100 - 1e-3       # ticking every option earns nothing
    fair = Fraction(100, n_wrong)
    assert Fraction(penalty[1:]) == min(v for v in ALLOWED if v >= fair - Fraction(1, 10**5))


def test_bank_multi_items_get_exactly_their_weights(bank_items):
    multis = [entry for entry in bank_items if entry.type == "multi"]
    assert multis
    for entry in multis:
        grades = moodle_percentages(entry)
        for c, grade in zip(entry.choices, grades):
            assert abs(float(grade) - 100 * c.weight) < 1e-4, (entry.uid, grade, c.weight)


# ---------------------------------------------------------------- practice page vs graded quiz

def test_practice_bank_shares_no_question_with_the_assessment_bank(published):
    from quizzes.bank import load_bank
    from quizzes.engine import question_key

    assessment_header, assessment = load_bank(published / "bank.json")
    practice_header, practice = load_bank(published / "practice_bank.json")
    assert (assessment_header["purpose"], practice_header["purpose"]) == ("assessment", "practice")
    assert assessment_header["seed"] == practice_header["seed"]          # same --seed, separate streams
    assert {e.template for e in practice} == {e.template for e in assessment}
    assert not {question_key(e) for e in practice} & {question_key(e) for e in assessment}
    assert not {e.uid for e in practice} & {e.uid for e in assessment}
    page = (published / "practice.html").read_text(encoding="utf-8")
    assert all(e.uid not in page for e in assessment) and all(e.uid in page for e in practice)


def test_default_build_draws_the_practice_page_from_another_stream_than_the_lms_files(tmp_path):
    """The defect: practice.html came from the same seed as moodle.xml, so it carried the graded answers."""
    assert cli_main(["quiz", "build", "--variants", "2", "-o", str(tmp_path), "--export", "all"]) == 0
    moodle = (tmp_path / "moodle.xml").read_text(encoding="utf-8")
    page = (tmp_path / "practice.html").read_text(encoding="utf-8")
    stems = re.findall(r'"uid":"([^"]+)"', page)
    assert stems and all(".p0." in uid for uid in stems)
    assert all(uid not in moodle for uid in stems)


def test_practice_page_from_an_assessment_bank_is_refused_unless_forced(small_bank, tmp_path, capsys):
    assert cli_main(["quiz", "export", str(small_bank), "-o", str(tmp_path / "out"), "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"export: {small_bank}: an assessment bank") and "practice.html" in err and "--force" in err
    assert not (tmp_path / "out").exists()
    assert cli_main(["quiz", "export", str(small_bank), "-o", str(tmp_path / "out"), "--format", "html",
                     "--force"]) == 0
    assert (tmp_path / "out" / "practice.html").exists()


def test_lms_files_from_a_practice_bank_are_refused_unless_forced(published, tmp_path):
    practice = published / "practice_bank.json"
    for fmt in ("moodle", "gift", "canvas"):
        with pytest.raises(ExportError, match="a practice bank .* would grade them"):
            export_bank(practice, out_dir=tmp_path / "out", formats=fmt)
    assert not (tmp_path / "out").exists()
    assert [p.name for p in export_bank(practice, out_dir=tmp_path / "out")] == ["practice.html"]
    assert [p.name for p in export_bank(practice, out_dir=tmp_path / "out", formats="gift", force=True)] == \
        ["quiz.gift"]


def test_practice_build_with_avoid_redraws_the_assessment_questions(small_bank, tmp_path):
    from quizzes.bank import build_bank, load_bank
    from quizzes.engine import question_key

    assessed = {question_key(e) for e in load_bank(small_bank)[1]}
    header, _ = load_bank(small_bank)
    summary = build_bank(out_dir=tmp_path, seed=header["seed"], variants=header["variants_per_template"],
                         purpose="practice", avoid=small_bank)
    assert summary.path.name == "practice_bank.json"
    assert not {question_key(e) for e in load_bank(summary.path)[1]} & assessed
