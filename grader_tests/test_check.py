"""Student self-check: `autograder check` and grader.check inside the notebook."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from autograder.check import check_notebook
from autograder.master import load_master
from autograder.cli import main
from autograder.testfiles import question_order
from xentcore.errors import NotebookReadError, UsageError

from conftest import ROOT

# coin_mle's autograded questions: each has public tests, so `check` reports every one of them.
AUTOGRADED = [q.name for q in load_master(ROOT / "assignments" / "coin_mle" / "coin_mle.ipynb").auto_questions]


def test_reference_solution_passes_every_public_test(built, capsys):
    assert main(["check", str(built["coin_mle"].solution)]) == 0
    out = capsys.readouterr().out
    assert "ok   q1:" in out and "FAIL" not in out
    assert "hidden" in out.lower()


def test_blank_copy_fails_with_the_property_named(built, capsys):
    assert main(["check", str(built["coin_mle"].student), "-q", "q3"]) == 1
    out = capsys.readouterr().out
    assert "FAIL q3: 0/3" in out and "theta_mle returns a number between 0 and 1" in out
    assert "q1" not in out.split("\n", 1)[1]


def test_check_runs_only_public_tests(built):
    report = check_notebook(built["coin_mle"].solution)
    assert report.cases and not any(case.hidden for case in report.cases)


def test_unknown_question_lists_the_available_ones(built):
    with pytest.raises(UsageError, match="questions with public tests: q1, q2"):
        check_notebook(built["coin_mle"].student, question="q42")


@pytest.mark.parametrize(("content", "words"), [
    (b"", "the file is empty"),
    (b"\x00\xff binary", "not valid JSON"),
    (b'{"hello": 1}', "JSON without notebook cells"),
])
def test_unreadable_notebooks_are_named(tmp_path, content, words):
    path = tmp_path / "work.ipynb"
    path.write_bytes(content)
    with pytest.raises(NotebookReadError, match=words):
        check_notebook(path)


def test_notebook_without_public_tests(tmp_path):
    path = tmp_path / "plain.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), path)
    with pytest.raises(NotebookReadError, match="no public tests in the notebook metadata"):
        check_notebook(path)


@pytest.mark.slow
def test_grader_check_works_inside_the_notebook(built, tmp_path):
    from nbclient import NotebookClient

    work = tmp_path / "coin_mle.ipynb"
    shutil.copyfile(built["coin_mle"].solution, work)
    nb = nbformat.read(work, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [json.dumps(cell.outputs) for cell in nb.cells if 'grader.check("q1")' in cell.source]
    assert outputs and "q1: all 2 public tests passed. When your work is graded, hidden tests also check" in outputs[0]
    blank = tmp_path / "blank" / "coin_mle.ipynb"
    blank.parent.mkdir()
    shutil.copyfile(built["coin_mle"].student, blank)
    nb = nbformat.read(blank, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(blank.parent)}}).execute()
    outputs = [json.dumps(cell.outputs) for cell in nb.cells if 'grader.check("q1")' in cell.source]
    assert outputs and "q1: 0 of 2 public tests passed" in outputs[0]


def _snapshot(folder) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _hostile(path, victim) -> None:
    """The reference solution plus a cell that overwrites a file outside the notebook's folder."""
    nb = nbformat.read(ROOT / "samples" / "coin_mle" / "alice.ipynb", as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell(
        f"for target in [{str(victim)!r}, '../victim.txt']:\n"
        "    try:\n        open(target, 'w').write('forged')\n    except OSError:\n        pass"))
    nbformat.write(nb, path)


@pytest.mark.slow
def test_check_runs_hostile_samples_in_the_sandbox(tmp_path):
    """`autograder check` changes no file outside its temp folder and reports every question, even when a
    cell loops forever (dave) or ends its process (heidi); --no-sandbox really would have written."""
    victim = tmp_path / "victim.txt"
    victim.write_text("original")
    work = tmp_path / "work"
    work.mkdir()
    for sample in ("dave", "heidi", "alice"):
        shutil.copyfile(ROOT / "samples" / "coin_mle" / f"{sample}.ipynb", work / f"{sample}.ipynb")
    _hostile(work / "hostile.ipynb", victim)
    watched = [tmp_path, ROOT / "solutions", ROOT / "samples", ROOT / "assignments"]
    before = [_snapshot(folder) for folder in watched]
    reports = {path.stem: check_notebook(path, timeout=30, cell_timeout=2) for path in sorted(work.glob("*.ipynb"))}
    assert [_snapshot(folder) for folder in watched] == before
    for name, report in reports.items():
        assert question_order(report.cases) == AUTOGRADED, name
        assert not any("no sandbox namespaces" in note for note in report.notes)
    assert "timeout: stopped after the 2 s cell time limit" in reports["dave"].describe()
    assert "crashed: the cell ended the notebook's process" in reports["heidi"].describe()
    assert reports["heidi"].all_passed  # the crashing cell is left out and the answers after it still count
    assert reports["hostile"].all_passed and reports["alice"].all_passed
    check_notebook(work / "hostile.ipynb", sandbox=False)
    assert victim.read_text() == "forged"


def test_no_sandbox_warns(built, capsys):
    assert main(["check", "--no-sandbox", str(built["coin_mle"].solution), "-q", "q1"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: --no-sandbox runs the notebook with your own permissions")


def test_deleted_setup_cell_is_named(built, tmp_path):
    nb = nbformat.read(built["coin_mle"].solution, as_version=4)
    del nb.cells[0]
    path = tmp_path / "coin_mle.ipynb"
    nbformat.write(nb, path)
    report = check_notebook(path)
    assert report.all_passed
    assert "the notebook's setup cell (its first code cell) was deleted or edited" in report.describe()
