"""Student self-check: `autograder check` and grader.check inside the notebook."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from autograder.check import check_notebook
from autograder.cli import main
from autograder.errors import NotebookReadError, UsageError

from conftest import ROOT


def test_reference_solution_passes_every_public_test(built, capsys):
    assert main(["check", str(built["coin_mle"].solution)]) == 0
    out = capsys.readouterr().out
    assert "ok   q1:" in out and "FAIL" not in out
    assert "hidden" in out.lower()


def test_blank_copy_fails_with_the_property_named(built, capsys):
    assert main(["check", str(built["coin_mle"].student), "-q", "q3"]) == 1
    out = capsys.readouterr().out
    assert "FAIL q3: 0/1" in out and "theta_mle returns a number between 0 and 1" in out
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
