"""Per-student variants: roster and key files, personal notebooks, and grading each submission on its owner's
numbers (issue 21). The assignment is coin_mle, whose parameters are the student's coin flips."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import variantdraw, variants
from autograder.build import build_assignments
from autograder.grading.batch import grade_batch
from autograder.grading.runner import Limits
from autograder.variants import VariantError, read_key, read_roster, write_new_key
from grading import with_answers
from xentcore.errors import UsageError

from conftest import ROOT

NAME = "coin_mle"
ROSTER = [("1001", "Ada", "ada@uni.example", "S-1"), ("1002", "Bo", "bo@uni.example", "S-2"),
          ("1003", "Cy", "cy@uni.example", "S-3"), ("1004", "Di", "di@uni.example", "S-4")]


def _write_roster(path: Path, rows=ROSTER) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name", "email", "SIS User ID"])
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def personal(tmp_path_factory):
    """coin_mle built once with a four-student roster and a fresh key."""
    base = tmp_path_factory.mktemp("personal")
    roster, key = _write_roster(base / "roster.csv"), base / "course.key"
    write_new_key(key)
    build_assignments([NAME], dist=base / "dist", root=ROOT, solutions=base / "solutions", roster=roster,
                      key_file=key, log=lambda message: None)
    spec = variants.load_spec(ROOT / "assignments" / NAME, NAME)
    params = {row[0]: spec.params_for(read_key(key), row[0]) for row in ROSTER}
    return {"base": base, "dist": base / "dist", "roster": roster, "key": key, "spec": spec, "params": params}


def _grade(personal, inputs, out: Path, **options):
    return grade_batch(NAME, inputs, out=out, root=ROOT, dist=personal["dist"], workers=2,
                       limits=Limits(timeout=60, cell_timeout=20), progress=lambda done, total: None,
                       roster=options.pop("roster", personal["roster"]), key_file=options.pop("key", personal["key"]),
                       **options)


def _gradebook(path: Path) -> dict[str, dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def _notebook(personal, kind: str, student: str) -> nbformat.NotebookNode:
    path = personal["dist"] / NAME / ("solutions" if kind == "solution" else "students")
    path = path / f"{student}.ipynb" if kind == "solution" else path / student / f"{NAME}.ipynb"
    return nbformat.read(path, as_version=4)


def _mle(params: dict) -> float:
    return params["heads"] / (params["heads"] + params["tails"])


# ---------------------------------------------------------------- roster and key files

def test_roster_reads_our_columns_and_matches_ids_sis_ids_and_emails(tmp_path):
    roster = read_roster(_write_roster(tmp_path / "r.csv"))
    assert [s.id for s in roster.students] == ["1001", "1002", "1003", "1004"]
    assert roster.find("1002").name == "Bo"
    assert roster.find("S-3").id == "1003" and roster.find("DI@uni.example").id == "1004"
    assert roster.find("9999") is None


def test_roster_reads_a_canvas_gradebook_export(tmp_path):
    path = tmp_path / "canvas.csv"
    path.write_text("\ufeffStudent,ID,SIS User ID,SIS Login ID,Section,Quiz 1 (77)\n"
                    "    Points Possible,,,,,10\n"
                    '"Lovelace, Ada",5501,S-1,ada@uni.example,Sec A,9\n'
                    '"Student, Test",5599,,,Sec A,\n'
                    '"Babbage, Charles",5502,S-2,cb@uni.example,Sec A,7\n', encoding="utf-8")
    roster = read_roster(path)
    assert [(s.id, s.name, s.sis_id, s.email) for s in roster.students] == [
        ("5501", "Lovelace, Ada", "S-1", "ada@uni.example"), ("5502", "Babbage, Charles", "S-2", "cb@uni.example")]


@pytest.mark.parametrize("text, words", [
    ("name,email\nAda,a@x\n", ["no id column", "'name', 'email'", "add a column named `id`"]),
    ("id,name\n7,Ada\n8,Bo\n7,Cy\n", ["line 4", "id 7 is also on line 2", "unique id"]),
    ("id,name\n../etc,Ada\n", ["line 2", "'../etc'", "letters, digits"]),
    ("id,name\n,Ada\n", ["line 2", "empty"]),
    ("id,name\n", ["lists no students"]),
])
def test_bad_rosters_are_refused_with_the_line_and_the_fix(tmp_path, text, words):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(VariantError) as caught:
        read_roster(path)
    for word in words:
        assert word in str(caught.value)


def test_key_files_missing_empty_or_short_are_refused_and_keygen_never_overwrites(tmp_path):
    with pytest.raises(VariantError, match="autograder keygen"):
        read_key(tmp_path / "missing.key")
    (tmp_path / "empty.key").write_text("\n")
    with pytest.raises(VariantError, match="empty"):
        read_key(tmp_path / "empty.key")
    (tmp_path / "short.key").write_text("abc\n")
    with pytest.raises(VariantError, match="at least 16"):
        read_key(tmp_path / "short.key")
    key = tmp_path / "course.key"
    write_new_key(key)
    first = key.read_bytes()
    assert len(read_key(key)) == 64 and os.stat(key).st_mode & 0o777 == 0o600
    with pytest.raises(VariantError, match="already exists"):
        write_new_key(key)
    assert key.read_bytes() == first


def test_parameters_depend_on_key_assignment_and_student_only(personal):
    spec, key = personal["spec"], read_key(personal["key"])
    again = variants.load_spec(ROOT / "assignments" / NAME, NAME)
    assert again.params_for(key, "1001") == spec.params_for(key, "1001") == personal["params"]["1001"]
    drawn = [spec.params_for(key, str(n)) for n in range(40)]
    assert len({p["flips"] for p in drawn}) > 30  # students get different numbers
    other_key = [spec.params_for(b"another key of the course, 32 b", str(n)) for n in range(40)]
    assert sum(a != b for a, b in zip(drawn, other_key)) > 30
    assert variantdraw.seed(key, NAME, "1001") != variantdraw.seed(key, "loss_calculations", "1001")


# ---------------------------------------------------------------- personal notebooks

def test_build_writes_one_notebook_and_one_solution_per_student_with_their_numbers(personal):
    folder = personal["dist"] / NAME
    assert sorted(p.name for p in (folder / "students").iterdir()) == [row[0] for row in ROSTER]
    with open(folder / "variants.csv", newline="", encoding="utf-8") as handle:
        table = {row["id"]: row for row in csv.DictReader(handle)}
    key = read_key(personal["key"])
    for student, *_ in ROSTER:
        params = personal["params"][student]
        assert json.loads(table[student]["parameters"]) == params
        nb = _notebook(personal, "student", student)
        tag = nb.metadata["xent"]["variant"]
        assert tag["student"] == student and variantdraw.tag_is_valid(key, NAME, student, tag["tag"])
        text = "\n".join(cell.source for cell in nb.cells)
        assert f"**{params['flips']}**: {params['heads']} heads and {params['tails']} tails" in text
        assert "{{" not in "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        cell = next(c for c in nb.cells if variantdraw.is_parameters_cell(c.source))
        assert f"flips = {params['flips']!r}" in cell.source
        # what hidden tests check is described with the student's own flips, never with their code
        setup = nb.cells[0].source
        assert f"theta_hat is the MLE for your flips, {params['flips']}" in setup
        assert "PARAMS[" not in setup.split("hidden", 1)[-1] or "theta_hat), h / (h + t)" not in setup
        solution = _notebook(personal, "solution", student)
        assert f"flips = {params['flips']!r}" in next(c.source for c in solution.cells
                                                      if variantdraw.is_parameters_cell(c.source))


def test_the_roster_builds_zip_carries_what_gradescope_needs_to_draw_each_students_numbers(personal):
    import zipfile

    with zipfile.ZipFile(personal["dist"] / NAME / "autograder" / "autograder.zip") as archive:
        names = set(archive.namelist())
        secrets = json.loads(archive.read("xent_gradescope.json"))
        runner = archive.read("run_otter.py").decode()
    assert {"xent_gradescope.py", "xent_variant.py", "xent_variantdraw.py"} <= names
    assert "xent_gradescope" in runner
    assert set(secrets["ids"]) == {row[0] for row in ROSTER}


def test_personal_build_needs_both_files_and_says_which(tmp_path, personal):
    with pytest.raises(UsageError, match="--key-file"):
        build_assignments([NAME], dist=tmp_path / "d", root=ROOT, solutions=tmp_path / "s",
                          roster=personal["roster"], log=lambda message: None)
    assert not (tmp_path / "d").exists()


# ---------------------------------------------------------------- grading on the owner's numbers

@pytest.fixture(scope="module")
def graded(personal, tmp_path_factory):
    """A class graded with the roster: honest work, a hand-copied answer, a notebook of another student,
    an edited parameters cell, a deleted parameters cell and a stranger's notebook."""
    base = tmp_path_factory.mktemp("graded")
    inputs = base / "inputs"
    inputs.mkdir()
    params = personal["params"]

    def save(nb, name):
        nbformat.write(nb, inputs / name)

    save(_notebook(personal, "solution", "1001"), f"lovelace_1001_9001_{NAME}.ipynb")  # a Canvas download name
    copied = with_answers(_notebook(personal, "solution", "1002"), {"q4": f"theta_hat = {_mle(params['1001'])!r}"})
    save(copied, "1002.ipynb")  # Bo typed in Ada's value
    save(_notebook(personal, "solution", "1004"), f"cy_1003_9003_{NAME}.ipynb")  # Cy hands in Di's notebook
    edited = _notebook(personal, "solution", "1004")
    for cell in edited.cells:
        if variantdraw.is_parameters_cell(cell.source):
            cell.source = variantdraw.parameters_source(params["1001"])
    (inputs / "1004").mkdir()
    nbformat.write(edited, inputs / "1004" / "di_work.ipynb")  # Di's own folder, numbers edited to Ada's
    deleted = _notebook(personal, "solution", "1001")
    deleted.cells = [c for c in deleted.cells if not variantdraw.is_parameters_cell(c.source)]
    (inputs / "1001").mkdir()
    nbformat.write(deleted, inputs / "1001" / "ada_again.ipynb")  # Ada deleted her parameters cell
    stranger = _notebook(personal, "solution", "1001")
    del stranger.metadata["xent"]
    save(stranger, "someone_else.ipynb")
    summary = _grade(personal, [inputs], base / "out")
    return {"summary": summary, "book": _gradebook(summary.gradebook), "out": base / "out", "inputs": inputs}


def test_each_submission_is_graded_on_its_owners_numbers(graded, personal):
    book = graded["book"]
    assert book[f"lovelace_1001_9001_{NAME}"]["student"] == "1001"
    assert book[f"lovelace_1001_9001_{NAME}"]["score"] == "46"
    bo = book["1002"]
    assert bo["student"] == "1002" and bo["status"] == "ok"
    assert float(bo["q4"]) == 1.0  # the public test passes (a number in (0, 1)); the hidden one does not
    record = json.loads((graded["out"] / "results" / "1002.json").read_text())
    assert record["params"] == personal["params"]["1002"]
    failed = [c for c in record["cases"] if not c["passed"]]
    # q4 and the plot's mark of theta_hat (q5) fail; everything computed from the numbers passes
    assert ("q4", True) in {(c["question"], c["hidden"]) for c in failed}
    assert {c["question"] for c in failed} == {"q4", "q5"}
    assert personal["params"]["1002"]["flips"] in failed[0]["description"]


def test_another_students_notebook_is_flagged_and_graded_on_the_owners_numbers(graded, personal):
    row = graded["book"][f"cy_1003_9003_{NAME}"]
    assert row["student"] == "1003" and row["flags"] == "variant-mismatch"
    record = json.loads((graded["out"] / "results" / f"cy_1003_9003_{NAME}.json").read_text())
    assert record["params"] == personal["params"]["1003"] and record["identity"]["claimed"] == "1004"
    feedback = (graded["out"] / "feedback" / f"cy_1003_9003_{NAME}.md").read_text()
    assert "variant of another student" in feedback and personal["params"]["1003"]["flips"] in feedback
    assert any("variant-mismatch" in w for w in graded["summary"].warnings)


def test_the_grader_runs_the_notebook_with_the_numbers_it_issued(graded, personal):
    # Di's folder holds her notebook with the numbers edited to Ada's: graded on Di's own, full marks
    row = graded["book"]["di_work"]
    assert row["student"] == "1004" and row["score"] == "46", row
    record = json.loads((graded["out"] / "results" / "di_work.json").read_text())
    assert record["params"] == personal["params"]["1004"] and record["identity"]["how"] == "folder name"
    # Ada deleted her parameters cell: the grader puts hers back
    row = graded["book"]["ada_again"]
    assert row["student"] == "1001" and row["score"] == "46", row


def test_a_submission_of_nobody_on_the_roster_gets_unknown_student_and_is_named(graded):
    row = graded["book"]["someone_else"]
    assert row["status"] == "unknown-student" and row["score"] == "0"
    assert any("someone_else" in w and "unknown-student" in w for w in graded["summary"].warnings)
    report = (graded["out"] / "report.html").read_text()
    assert "someone_else" in report and "unknown-student" in report


def test_a_changed_key_is_named_as_the_likely_cause(graded, personal, tmp_path):
    other = tmp_path / "other.key"
    write_new_key(other)
    summary = _grade(personal, [graded["inputs"]], tmp_path / "out", key=other)
    assert any("every variant tag" in w and "not the one the notebooks were built with" in w
               for w in summary.warnings)
    book = _gradebook(summary.gradebook)
    # files named after roster ids are still graded (on the numbers this key gives); the rest are unknown
    assert book["1002"]["status"] == "ok" and book["someone_else"]["status"] == "unknown-student"


def test_grading_with_a_roster_needs_the_key_and_a_variant_assignment(personal, tmp_path, built):
    with pytest.raises(UsageError, match="--key-file"):
        grade_batch(NAME, [personal["dist"] / NAME / "students"], out=tmp_path / "o", root=ROOT,
                    dist=personal["dist"], roster=personal["roster"])
    plain = [name for name in built if not (ROOT / "assignments" / name / "variant.py").is_file()]
    if plain:
        dist = Path(built[plain[0]].autograder).parents[2]
        with pytest.raises(UsageError, match="no per-student variants"):
            grade_batch(plain[0], [Path(built[plain[0]].student)], out=tmp_path / "p", root=ROOT, dist=dist,
                        roster=personal["roster"], key_file=personal["key"])
    assert not (tmp_path / "o").exists()


def test_without_a_roster_a_variant_assignment_grades_on_the_canonical_numbers(personal, tmp_path):
    spec = personal["spec"]
    inputs = tmp_path / "in"
    inputs.mkdir()
    nb = _notebook(personal, "solution", "1001")
    nbformat.write(nb, inputs / "ada.ipynb")
    summary = grade_batch(NAME, [inputs], out=tmp_path / "out", root=ROOT, dist=personal["dist"], workers=1,
                          progress=lambda done, total: None)
    record = summary.records[0]
    assert record.params == spec.canonical and record.student == ""
    assert "student" not in _gradebook(summary.gradebook)["ada"]
    shutil.rmtree(tmp_path / "out")


def test_a_slurm_array_grades_every_shard_with_the_roster_and_key(personal, tmp_path):
    from autograder.grading.slurm import submit_to_slurm

    run = submit_to_slurm(NAME, [tmp_path], out=tmp_path / "out", shards=3, root=ROOT, dist=personal["dist"],
                          dry_run=True, roster=personal["roster"], key_file=personal["key"])
    grade_line = next(line for line in run.grade_text.splitlines() if line.endswith("&& exit 0"))
    assert f"--roster {personal['roster'].absolute()} --key-file {personal['key'].absolute()}" in grade_line
    with pytest.raises(UsageError, match="--key-file"):
        submit_to_slurm(NAME, [tmp_path], out=tmp_path / "out", shards=3, root=ROOT, dist=personal["dist"],
                        dry_run=True, roster=personal["roster"])


def test_the_written_answer_packet_shows_each_students_numbers_and_no_raw_placeholders(graded, personal):
    from autograder.packet import make_packet

    make_packet(NAME, graded["out"], root=ROOT)
    page = (graded["out"] / "packet" / "q6.html").read_text(encoding="utf-8")
    assert "{{" not in page and "⟨flips⟩" in page
    for student in ("1001", "1002"):
        assert f"flips = {personal['params'][student]['flips']!r}".replace("'", "&#x27;") in page


def test_a_hostile_variant_tag_is_kept_short_and_never_trusted(personal, tmp_path):
    roster, key = read_roster(personal["roster"]), read_key(personal["key"])
    metadata = {"xent": {"variant": {"assignment": NAME, "student": "1001" + "x" * 10_000, "tag": "0" * 20}}}
    identity = variants.identify(tmp_path / "upload.ipynb", metadata, roster, key, NAME)
    assert identity.student is None and identity.tag_valid is False
    assert len(identity.claimed) <= 100 and len(identity.detail) < 400
    forged = {"xent": {"variant": {"assignment": NAME, "student": "1002", "tag": "f" * 20}}}
    assert variants.identify(tmp_path / "1001.ipynb", forged, roster, key, NAME).mismatch is False
