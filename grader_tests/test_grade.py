"""`autograder grade`: the gradebook, results and feedback files, resuming, and exit codes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import cli
from autograder.grading import batch as grade_module
from autograder.grading import runner as runner_module
from autograder.mutants import apply_variant, load_variants
from autograder.grading.runner import load_autograder
from xentcore.safetext import csv_records

from conftest import ROOT
from grading import dist_of, grade, solution, write  # noqa: F401 - fixture

NAME = "coin_mle"
LIMITS = {"timeout": 30, "cell_timeout": 5}
pytestmark = pytest.mark.slow


def _significant_lines(code: str) -> set[str]:
    """Lines of a hidden test that would give it away (not blank, not bare syntax or imports)."""
    lines = set()
    for line in code.splitlines():
        line = line.strip()
        if len(line) > 12 and not line.startswith(("import ", "from ", "#", "def ", "return")):
            lines.add(line)
    return lines


@pytest.fixture(scope="module")
def batch(built, grade, tmp_path_factory):
    """Submissions with clashing and odd names, graded once: (summary, out, inputs, autograder)."""
    folder = tmp_path_factory.mktemp("batch")
    sol = solution(built, NAME)
    mutant = next(v for v in load_variants(ROOT / "assignments" / NAME / "mutants", mutant=True)
                  if v.slug == "swap_heads_tails")
    inputs = [
        write(sol, folder / "in" / "a" / "alice.ipynb"),
        write(sol, folder / "in" / "b" / "alice.ipynb"),  # the same name in another folder
        write(apply_variant(sol, mutant), folder / "in" / "a" / "bob smith (1).ipynb"),
        write(nbformat.read(built[NAME].student, as_version=4), folder / "in" / "a" / "-rf ünï.ipynb"),
        write(sol, folder / "loose" / "submission.txt"),  # named directly: any file name is accepted
    ]
    (folder / "in" / "a" / ".ipynb_checkpoints").mkdir()
    write(sol, folder / "in" / "a" / ".ipynb_checkpoints" / "alice-checkpoint.ipynb")  # never graded
    out = folder / "out"
    summary = grade(NAME, [folder / "in", inputs[-1]], out, workers=2, **LIMITS)
    return summary, out, inputs, load_autograder(built[NAME].autograder, NAME)


def test_one_row_per_input_with_the_documented_columns(batch):
    summary, out, inputs, autograder = batch
    text = (out / "gradebook.csv").read_text(encoding="utf-8")
    assert "\n'-rf ünï," in text, "a name starting with '-' is kept as text for spreadsheets"
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = csv_records(handle)
    header = list(rows[0])
    assert header == ["submission", "status", "score", "max_score", *autograder.questions, "feedback_file"]
    assert len(rows) == len(inputs) == summary.graded
    names = [row["submission"] for row in rows]
    assert len(set(names)) == len(names)
    assert {"alice", "bob smith (1)", "-rf ünï", "submission.txt"} <= set(names)
    by_name = {row["submission"]: row for row in rows}
    full = float(by_name["alice"]["max_score"])
    assert float(by_name["alice"]["score"]) == full == autograder.max_score
    assert 0 < float(by_name["bob smith (1)"]["score"]) < full
    assert float(by_name["-rf ünï"]["score"]) == 0
    for row in rows:
        assert row["status"] == "ok"
        assert float(row["score"]) == pytest.approx(sum(float(row[q]) for q in autograder.questions))
        for question in autograder.questions:
            assert 0 <= float(row[question]) <= autograder.max_points(question)


def test_every_row_has_its_own_results_and_feedback(batch):
    summary, out, inputs, autograder = batch
    results = sorted((out / "results").glob("*.json"))
    feedback = sorted((out / "feedback").glob("*.md"))
    assert len(results) == len(feedback) == len(inputs)
    for path in results:
        record = json.loads(path.read_text())
        assert record["assignment"] == NAME and record["autograder_sha256"] == autograder.sha256
        assert {c["question"] for c in record["cases"]} == set(autograder.questions)
        assert record["seconds"] > 0 and record["cells"]
        for question, score in record["questions"].items():
            earned = sum(c["points"] for c in record["cases"] if c["question"] == question and c["passed"])
            assert score["score"] == pytest.approx(min(earned, autograder.max_points(question)))
            assert score["max_score"] == autograder.max_points(question)


def test_the_gradebook_names_each_rows_feedback_file(batch):
    """A grader finds the feedback of a gradebook row from its feedback_file column, and back."""
    _, out, inputs, _ = batch
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = csv_records(handle)
    files = [row["feedback_file"] for row in rows]
    assert len(set(files)) == len(files) == len(inputs)
    assert sorted(files) == sorted(f"feedback/{p.name}" for p in (out / "feedback").glob("*.md"))
    for row in rows:
        text = (out / row["feedback_file"]).read_text(encoding="utf-8")
        assert text.startswith(f"# Feedback: {row['submission'].removeprefix(chr(39))}\n")


def test_feedback_names_hidden_tests_but_never_shows_their_source(batch):
    summary, out, inputs, autograder = batch
    hidden = [case for case in autograder.cases if case.hidden]
    assert hidden
    secret_lines = set().union(*(_significant_lines(case.code) for case in hidden))
    public_lines = set().union(*(_significant_lines(case.code) for case in autograder.cases if not case.hidden))
    secret_lines -= public_lines
    assert secret_lines
    for path in list((out / "feedback").glob("*.md")) + list((out / "results").glob("*.json")):
        text = path.read_text()
        leaked = [line for line in secret_lines if line in text]
        assert not leaked, f"{path.name} shows hidden test source: {leaked[:3]}"
    bob = (out / "feedback" / "bob_smith_1.md").read_text()
    params = autograder.variant.canonical if autograder.variant else None  # descriptions quote the numbers
    described = [case.described(params) for case in hidden if case.description]
    assert described and all(d in bob for d in described)
    assert "fail" in bob.lower() and "pass" in bob.lower()


def test_rerun_reuses_every_result_and_writes_the_same_files(batch, grade, tmp_path):
    summary, out, inputs, autograder = batch
    before = {p.relative_to(out): p.read_bytes() for p in (out / "results").glob("*.json")}
    book = (out / "gradebook.csv").read_bytes()
    again = grade(NAME, [inputs[0].parents[1], inputs[-1]], out, workers=2, **LIMITS)
    assert (again.graded, again.reused) == (0, len(inputs))
    assert (out / "gradebook.csv").read_bytes() == book
    assert {p.relative_to(out): p.read_bytes() for p in (out / "results").glob("*.json")} == before


def test_interrupted_batch_resumes_and_ends_as_one_uninterrupted_run(built, grade, tmp_path):
    sol = solution(built, NAME)
    inputs = [write(sol, tmp_path / "in" / f"s{i}.ipynb") for i in range(3)]
    whole = grade(NAME, [tmp_path / "in"], tmp_path / "whole", **LIMITS)
    partial_out = tmp_path / "partial"
    grade(NAME, inputs[:1], partial_out, **LIMITS)  # as if the batch stopped after one submission
    resumed = grade(NAME, [tmp_path / "in"], partial_out, **LIMITS)
    assert (resumed.graded, resumed.reused) == (2, 1)
    strip = lambda rows: [{k: v for k, v in r.items() if k not in ("seconds", "cells", "cases")} for r in rows]  # noqa: E731
    assert strip(resumed.rows) == strip(whole.rows)
    # changed content is graded again, not reused
    nb = nbformat.read(inputs[1], as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("theta_hat = 0.0"))
    write(nb, inputs[1])
    changed = grade(NAME, [tmp_path / "in"], partial_out, **LIMITS)
    assert (changed.graded, changed.reused) == (1, 2)
    row = next(r for r in changed.rows if r["submission"] == "s1")
    assert row["score"] < row["max_score"]


FORKED_BATCH = """
import sys
from pathlib import Path
from autograder.grading import batch as grade
from autograder.grading.runner import Limits
assert grade.can_fork(), "a fresh process runs one thread: its workers must be forked"
grade.grade_batch(sys.argv[1], [Path(sys.argv[2])], out=Path(sys.argv[3]), root=Path(sys.argv[4]),
                  dist=Path(sys.argv[5]), workers=2, limits=Limits(timeout=30, cell_timeout=5),
                  progress=lambda done, total: None)
"""


def test_forked_spawned_and_serial_workers_grade_alike(built, grade, tmp_path, monkeypatch):
    sol = solution(built, NAME)
    mutants = load_variants(ROOT / "assignments" / NAME / "mutants", mutant=True)[:3]
    write(sol, tmp_path / "in" / "solution.ipynb")
    write(nbformat.read(built[NAME].student, as_version=4), tmp_path / "in" / "blank.ipynb")
    for mutant in mutants:
        write(apply_variant(sol, mutant), tmp_path / "in" / f"{mutant.slug}.ipynb")
    grade(NAME, [tmp_path / "in"], tmp_path / "serial", workers=1, **LIMITS)
    # Forked workers need a process with one thread; a test worker may run others (browser tests), so the
    # forked batch runs in a fresh process, as the `autograder` command does.
    done = subprocess.run([sys.executable, "-c", FORKED_BATCH, NAME, str(tmp_path / "in"), str(tmp_path / "forked"),
                           str(ROOT), str(dist_of(built, NAME))], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    monkeypatch.setattr(grade_module, "can_fork", lambda: False)  # as in a process that runs threads
    grade(NAME, [tmp_path / "in"], tmp_path / "spawned", workers=2, **LIMITS)

    def records(out):
        rows = [json.loads(p.read_text()) for p in sorted((out / "results").glob("*.json"))]
        return [{k: v for k, v in r.items() if k != "seconds"} | {"cells": [
            {k: v for k, v in c.items() if k != "seconds"} for c in r["cells"]]} for r in rows]

    serial = records(tmp_path / "serial")
    assert len(serial) == 5 and serial == records(tmp_path / "forked") == records(tmp_path / "spawned")
    assert {r["status"] for r in serial} == {"ok"}
    assert len({r["score"] for r in serial}) > 2  # the mutants lose different points


def test_a_fault_of_the_grader_becomes_a_row_and_is_retried_next_run(built, grade, tmp_path, monkeypatch):
    inputs = [write(solution(built, NAME), tmp_path / "in" / f"{n}.ipynb") for n in ("ok", "unlucky")]
    real = runner_module.grade_notebook

    def flaky(path, *args, **kwargs):
        if Path(path).stem == "unlucky":
            raise OSError("disk hiccup")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(runner_module, "grade_notebook", flaky)
    summary = grade(NAME, [tmp_path / "in"], tmp_path / "out", workers=1, **LIMITS)
    rows = {r["submission"]: r for r in summary.rows}
    assert rows["ok"]["status"] == "ok" and rows["ok"]["score"] == rows["ok"]["max_score"]
    assert rows["unlucky"]["status"] == "grader-error" and rows["unlucky"]["score"] == 0
    assert "disk hiccup" in rows["unlucky"]["detail"]
    assert (tmp_path / "out" / "feedback" / "unlucky.md").is_file()
    monkeypatch.setattr(runner_module, "grade_notebook", real)
    again = grade(NAME, [tmp_path / "in"], tmp_path / "out", workers=1, **LIMITS)
    assert (again.graded, again.reused) == (1, 1)
    assert all(r["status"] == "ok" and r["score"] == r["max_score"] for r in again.rows)


def test_cli_exits_zero_when_every_input_got_a_row(batch, built, capsys):
    summary, out, inputs, autograder = batch
    code = cli.main(["--root", str(ROOT), "grade", NAME, str(inputs[0].parents[1]), str(inputs[-1]),
                     "-o", str(out), "--dist", str(dist_of(built, NAME)), "--workers", "2",
                     "--timeout", str(LIMITS["timeout"]), "--cell-timeout", str(LIMITS["cell_timeout"])])
    printed = capsys.readouterr().out
    assert code == 0
    assert str(out / "gradebook.csv") in printed and "reused 5" in printed


@pytest.mark.parametrize("problem", ["unknown-assignment", "no-inputs", "missing-input", "missing-zip",
                                     "corrupt-zip", "bad-limits"])
def test_cli_fails_clearly_when_the_grader_cannot_work(problem, built, tmp_path, capsys):
    dist = dist_of(built, NAME)
    empty = tmp_path / "empty"
    empty.mkdir()
    submission = write(solution(built, NAME), tmp_path / "in" / "s.ipynb")
    args = {"name": NAME, "inputs": [str(submission)], "dist": str(dist), "extra": []}
    expected = {"unknown-assignment": "no_such_assignment", "no-inputs": "no submissions found",
                "missing-input": "no such file", "missing-zip": "autograder", "corrupt-zip": "autograder",
                "bad-limits": "--timeout"}[problem]
    if problem == "unknown-assignment":
        args["name"] = "no_such_assignment"
    elif problem == "no-inputs":
        args["inputs"] = [str(empty)]
    elif problem == "missing-input":
        args["inputs"] = [str(tmp_path / "nowhere.ipynb")]
    elif problem == "missing-zip":
        args["dist"] = str(empty)
    elif problem == "corrupt-zip":
        bad = tmp_path / "bad" / NAME / "autograder"
        bad.mkdir(parents=True)
        (bad / "autograder.zip").write_bytes(b"PK\x03\x04 not really a zip")
        args["dist"] = str(tmp_path / "bad")
    elif problem == "bad-limits":
        args["extra"] = ["--timeout", "0"]
    out = tmp_path / "out"
    code = cli.main(["--root", str(ROOT), "grade", args["name"], *args["inputs"], "-o", str(out),
                     "--dist", args["dist"], *args["extra"]])
    err = capsys.readouterr().err
    assert code != 0
    assert expected in err, err
    assert not (out / "gradebook.csv").exists()



def test_grade_finds_the_demo_build_or_names_the_command(tmp_path):
    """After `make demo` (which builds into demo-out/dist) a plain `autograder grade NAME ...` finds that
    build; with no build at all the error names the exact command that makes one."""
    from autograder import project
    from xentcore.errors import AutograderZipError

    with pytest.raises(AutograderZipError, match=rf"autograder build {NAME}`"):
        project.find_build(tmp_path, Path("dist"), NAME)
    with pytest.raises(AutograderZipError, match=rf"autograder build {NAME} --dist elsewhere`"):
        project.find_build(tmp_path, Path("elsewhere"), NAME)
    demo_zip = project.autograder_zip(tmp_path / "demo-out" / "dist", NAME)
    demo_zip.parent.mkdir(parents=True)
    demo_zip.write_bytes(b"zip")
    assert project.find_build(tmp_path, Path("dist"), NAME) == tmp_path / "demo-out" / "dist"
    with pytest.raises(AutograderZipError):  # a --dist the user named is never swapped for another
        project.find_build(tmp_path, Path("elsewhere"), NAME)
    own = project.autograder_zip(tmp_path / "dist", NAME)
    own.parent.mkdir(parents=True)
    own.write_bytes(b"zip")
    assert project.find_build(tmp_path, Path("dist"), NAME) == tmp_path / "dist"
