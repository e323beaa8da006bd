"""The audit finds solutions, hidden tests and hidden-only values in a student copy."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from autograder import project
from autograder.audit import audit_student_copy
from autograder.variants import load_spec
from xentcore.errors import AuditError
from autograder.master import load_master
from autograder.testfiles import cases_from_zip

from conftest import ASSIGNMENTS, ROOT


def _audit(master, copy, cases):
    """The audit as the build runs it: a variant assignment's student copy quotes the canonical parameters in its
    hidden-test notes ({{ heads }} rendered), so the audit is given them."""
    spec = load_spec(ROOT / "assignments" / master.name, master.name)
    audit_student_copy(master, copy, cases, spec.canonical if spec else None)


def _inputs(built, name, tmp_path):
    copy = tmp_path / f"{name}.ipynb"
    shutil.copyfile(built[name].student, copy)
    return load_master(project.master_path(ROOT, name), name), copy, cases_from_zip(built[name].autograder)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_built_student_copies_pass_the_audit(built, name, tmp_path):
    master, copy, cases = _inputs(built, name, tmp_path)
    _audit(master, copy, cases)
    text = copy.read_text()
    for case in cases:
        if case.hidden:
            assert case.code.strip() not in text


def _append_markdown(path, text):
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(text))
    nbformat.write(nb, path)


def test_solution_line_is_a_leak(built, tmp_path):
    master, copy, cases = _inputs(built, "coin_mle", tmp_path)
    _append_markdown(copy, "    raise ValueError(\"the MLE needs at least one flip\")")
    with pytest.raises(AuditError, match="q3: solution line"):
        _audit(master, copy, cases)


def test_hidden_test_source_is_a_leak(built, tmp_path):
    master, copy, cases = _inputs(built, "coin_mle", tmp_path)
    hidden = next(c for c in cases if c.hidden and c.question == "q7")
    _append_markdown(copy, hidden.code)
    with pytest.raises(AuditError, match="q7: hidden test"):
        _audit(master, copy, cases)


def test_value_used_only_by_a_hidden_test_is_a_leak(built, tmp_path):
    master, copy, cases = _inputs(built, "coin_mle", tmp_path)
    _append_markdown(copy, "Hint: the grader uses a grid of 1999 points.")
    with pytest.raises(AuditError, match="value 1999.0 used only by hidden test"):
        _audit(master, copy, cases)


def test_hidden_case_in_metadata_is_a_leak(built, tmp_path):
    master, copy, cases = _inputs(built, "coin_mle", tmp_path)
    nb = json.loads(copy.read_text())
    nb["metadata"]["otter"]["tests"]["q1"]["suites"][0]["cases"][0]["hidden"] = True
    copy.write_text(json.dumps(nb))
    with pytest.raises(AuditError, match="metadata holds a hidden test of q1"):
        _audit(master, copy, cases)


def test_model_answer_is_a_leak(built, tmp_path):
    master, copy, cases = _inputs(built, "coin_mle", tmp_path)
    line = next(l for l in master.question("q6").model_answer.splitlines() if len(l) > 40)
    _append_markdown(copy, line)
    with pytest.raises(AuditError, match="q6: model-answer line"):
        _audit(master, copy, cases)


def test_hidden_line_shared_with_a_public_test_is_not_a_leak(built, tmp_path):
    """A hidden test may repeat a public test's line: the student sees that line legitimately, in the form
    Otter rendered it (its quotes differ from the master's), so the audit must not call it a leak."""
    import dataclasses

    master, copy, cases = _inputs(built, "coin_mle", tmp_path)
    public = next(c for c in cases if not c.hidden and len(c.code.strip()) >= 12)
    repeated = dataclasses.replace(public, index=99, hidden=True,
                                   code=public.code.replace("'", '"'))  # same line, the other quotes
    _audit(master, copy, [*cases, repeated])
    leaked = dataclasses.replace(repeated, code=public.code + "\nassert theta_mle(7, 3) == 0.7123\n")
    _append_markdown(copy, "assert theta_mle(7, 3) == 0.7123")
    with pytest.raises(AuditError, match="hidden test 100 source"):
        _audit(master, copy, [*cases, leaked])


def _setup_cell(nb):
    from autograder.selfcheck import is_setup_cell

    return next(c for c in nb.cells if c.cell_type == "code" and is_setup_cell(c.source))


def test_hidden_case_embedded_in_the_setup_cell_is_a_leak(built, tmp_path):
    """The setup cell carries tests as a Python literal: a hidden case smuggled into it is found even though
    no line of it appears on its own, and even when it is marked public."""
    master, copy, cases = _inputs(built, "coin_mle", tmp_path)
    nb = nbformat.read(copy, as_version=4)
    cell = _setup_cell(nb)
    hidden = next(c for c in cases if c.hidden and c.question == "q3")
    doctest = "".join(f">>> {line}\n" for line in hidden.code.splitlines())
    cell.source = cell.source.replace("'cases': [", "'cases': [{'code': %r, 'hidden': False, 'points': 1}, " % doctest, 1)
    nbformat.write(nb, copy)
    with pytest.raises(AuditError, match="setup cell embeds a test that is not one of its public tests"):
        _audit(master, copy, cases)


def test_hidden_test_code_in_the_hidden_notes_is_a_leak(built, tmp_path):
    master, copy, cases = _inputs(built, "coin_mle", tmp_path)
    nb = nbformat.read(copy, as_version=4)
    cell = _setup_cell(nb)
    cell.source = cell.source.replace("'theta_mle is the fraction of heads on random counts'",
                                      "'theta_mle is the fraction of heads: rng = np.random.default_rng(303)'")
    nbformat.write(nb, copy)
    with pytest.raises(AuditError, match="hidden-test notes hold text that is not a hidden test's description"):
        _audit(master, copy, cases)


def test_missing_setup_cell_fails_the_audit(built, tmp_path):
    master, copy, cases = _inputs(built, "coin_mle", tmp_path)
    nb = nbformat.read(copy, as_version=4)
    nb.cells.remove(_setup_cell(nb))
    nbformat.write(nb, copy)
    with pytest.raises(AuditError, match="the setup cell is missing or unreadable"):
        _audit(master, copy, cases)
