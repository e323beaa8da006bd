"""Student copies check themselves with nothing but the notebook file and the packages it imports.

Notebooks run in a fresh virtualenv (student_env.py) holding only otter-grader, ipykernel and the
notebooks' imports, renamed, in a folder with another notebook, and as on Google Colab.
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from autograder.master import load_master

from autograder.selfcheck import NO_SETUP, SUBMIT_MARKER, is_setup_cell

from conftest import ASSIGNMENTS, ROOT
from student_env import output_text, requirements, run_notebook, student_python

# A check cell as the build writes it: Otter's call, guarded for a notebook whose setup cell never ran.
CHECK_CELL = re.compile(r'^grader\.check\("(q\w+)"\)(?: if "grader" in globals\(\) else print\(.*\))?$')


@pytest.fixture(scope="session")
def fresh_python(built):
    return student_python(requirements([built[name].student for name in ASSIGNMENTS]))


def _checks(nb) -> dict[str, str]:
    return {CHECK_CELL.match(c.source.strip()).group(1): output_text(c) for c in nb.cells
            if c.cell_type == "code" and CHECK_CELL.match(c.source.strip())}


def _cell(nb, predicate) -> str:
    return output_text(next(c for c in nb.cells if c.cell_type == "code" and predicate(c.source)))


def _public_counts(built, name) -> dict[str, int]:
    tests = nbformat.read(built[name].student, as_version=4).metadata["otter"]["tests"]
    return {q: len(t["suites"][0]["cases"]) for q, t in tests.items()}


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_filled_notebook_checks_itself_renamed_beside_another(built, name, fresh_python, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    renamed = work / f"{name} (1).ipynb"
    shutil.copyfile(built[name].solution, renamed)
    other = next(n for n in ASSIGNMENTS if n != name)
    shutil.copyfile(built[other].student, work / f"{other}.ipynb")
    shutil.copyfile(built[name].student, work / f"{name}.ipynb")  # the blank original, saved last
    nb = run_notebook(nbformat.read(renamed, as_version=4), fresh_python, work, tmp_path)
    setup = _cell(nb, is_setup_cell)
    assert "Installing" not in setup and "ERROR" not in setup, setup
    checks = _checks(nb)
    assert set(checks) == set(_public_counts(built, name))
    for question, text in checks.items():
        count = _public_counts(built, name)[question]
        assert ("the public test passed" if count == 1 else f"all {count} public tests passed") in text, text
        assert "ERROR" not in text
    submit = _cell(nb, lambda s: s.startswith(SUBMIT_MARKER))
    assert f"The public tests of all {len(checks)} questions passed." in submit
    assert f"Upload this file as your submission: {renamed}" in submit, submit


@pytest.mark.slow
def test_a_deleted_setup_cell_is_named_in_one_sentence_inside_the_notebook(built, fresh_python, tmp_path):
    """Without the setup cell (deleted, or edited so that it fails), every check and the before-you-submit
    cell say what happened and what to do, in one sentence, instead of raising NameError: grader."""
    work = tmp_path / "work"
    work.mkdir()
    nb = nbformat.read(built["coin_mle"].solution, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and is_setup_cell(c.source))
    edited = nbformat.read(built["coin_mle"].solution, as_version=4)
    edited.cells[setup].source = "raise RuntimeError('oops')"  # an edit that breaks it
    del nb.cells[setup]
    for number, notebook in enumerate((nb, edited)):
        notebook = run_notebook(notebook, fresh_python, work, tmp_path / f"specs-{number}")
        checks = _checks(notebook)
        assert set(checks) == set(_public_counts(built, "coin_mle"))
        submit = _cell(notebook, lambda s: s.startswith(SUBMIT_MARKER))
        for text in [*checks.values(), submit]:
            assert text.strip() == NO_SETUP, text
        errors = [o for c in notebook.cells if c.cell_type == "code" and not is_setup_cell(c.source)
                  and c.source != "raise RuntimeError('oops')" for o in c.get("outputs", [])
                  if o.get("output_type") == "error"]
        assert not errors, errors


@pytest.mark.slow
def test_blank_questions_fail_with_a_clear_message(built, fresh_python, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    copy = work / "coin_mle-Copy1.ipynb"
    shutil.copyfile(built["coin_mle"].student, copy)
    nb = nbformat.read(copy, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell('grader.check("q42")'))
    nb = run_notebook(nb, fresh_python, work, tmp_path)
    checks = _checks(nb)
    assert checks["q3"] == ("q3: 0 of 3 public tests passed.\n"
                            "  - theta_mle returns a number between 0 and 1: TypeError: float() argument must be a "
                            "string or a real number, not 'NoneType'\n"
                            "  - theta_mle(3, 1) is the fraction of heads, 3 / (3 + 1): TypeError: float() argument "
                            "must be a string or a real number, not 'NoneType'\n"
                            "  - theta_mle(0, 0) raises ValueError: with no flips there is no estimate: "
                            "AssertionError: theta_mle(0, 0) must raise ValueError"), checks["q3"]
    for question, text in checks.items():
        if question == "q42":
            continue
        assert f"{question}: 0 of " in text and "ERROR" not in text and "Traceback" not in text, text
    submit = _cell(nb, lambda s: s.startswith(SUBMIT_MARKER))
    assert "fix those answers" in submit and "Upload this file as your submission" in submit
    unknown = _cell(nb, lambda s: s == 'grader.check("q42")')
    with_public = [q.name for q in load_master(ROOT / "assignments" / "coin_mle" / "coin_mle.ipynb").auto_questions]
    assert unknown.strip() == ("There are no public tests for 'q42' in this notebook: check one of "
                               f"{', '.join(with_public)}."), unknown


@pytest.mark.slow
@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_checks_run_as_on_colab(built, name, fresh_python, tmp_path):
    """Otter's Colab detection is true and no notebook file is on the kernel's disk."""
    work = tmp_path / "content"
    work.mkdir()
    nb = nbformat.read(built[name].solution, as_version=4)
    probe = ("from otter.check.utils import IPythonInterpreter\n"
             "import glob, google.colab\n"
             "print(IPythonInterpreter.COLAB.value.running(), grader.interpreter is IPythonInterpreter.COLAB, "
             "glob.glob('**/*.ipynb', recursive=True))")
    nb.cells.insert(1, nbformat.v4.new_code_cell(probe))
    nb = run_notebook(nb, fresh_python, work, tmp_path, colab=True)
    assert _cell(nb, lambda s: s == probe).strip() == "True True []"
    checks = _checks(nb)
    counts = _public_counts(built, name)
    assert set(checks) == set(counts)
    for question, text in checks.items():
        assert ("the public test passed" if counts[question] == 1 else "public tests passed") in text, text
    submit = _cell(nb, lambda s: s.startswith(SUBMIT_MARKER))
    assert "passed" in submit and "File > Download > Download .ipynb" in submit, submit


@pytest.mark.filterwarnings("ignore:Traits should be given as instances:DeprecationWarning")  # importing otter
def test_setup_installs_only_what_is_missing(built, tmp_path, monkeypatch, capsys):
    """With every package present the setup cell installs nothing; a missing one is %pip installed, once."""
    source = next(c.source for c in nbformat.read(built["coin_mle"].student, as_version=4).cells
                  if c.cell_type == "code" and is_setup_cell(c.source))
    calls = []

    class Shell:
        user_ns: dict = {}

        def run_line_magic(self, magic, line):
            calls.append((magic, line))

    monkeypatch.chdir(tmp_path)
    namespace = {"get_ipython": Shell}
    exec(compile(source.split("\ngrader = _xent_setup(")[0], "<setup>", "exec"), namespace)
    grader = namespace["_xent_setup"]("coin_mle", [("numpy", "numpy"), ("otter", "otter-grader==7.0.0")], {}, {})
    assert calls == [] and capsys.readouterr().out == "" and grader is not None
    namespace["_xent_setup"]("coin_mle", [("numpy", "numpy"), ("xent_no_such_module", "xent-no-such-package")],
                             {}, {})
    assert calls == [("pip", "install --quiet xent-no-such-package")]
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("Installing xent-no-such-package, which this notebook needs")


def test_an_import_the_setup_cell_cannot_install_fails_the_build():
    from xentcore.errors import BuildError
    from autograder.selfcheck import required_modules

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\nimport math\nfrom scipy import special"),
                nbformat.v4.new_code_cell("def f(x):\n    ...")]
    assert required_modules(nb, ["import matplotlib.figure"], "m.ipynb") == ["matplotlib", "numpy", "otter",
                                                                            "scipy"]
    nb.cells.append(nbformat.v4.new_code_cell("import torch"))
    with pytest.raises(BuildError, match="m.ipynb: the notebook imports torch, which the setup cell cannot install"):
        required_modules(nb, [], "m.ipynb")


def test_setup_cell_deleted_is_named_in_one_sentence(built):
    from xentcore.errors import NotebookReadError
    from autograder.selfcheck import embedded_tests

    nb = nbformat.read(built["coin_mle"].student, as_version=4)
    tests, hidden = embedded_tests(nb, "x.ipynb")
    master = load_master(ROOT / "assignments" / "coin_mle" / "coin_mle.ipynb")
    assert list(tests) == [q.name for q in master.auto_questions]
    assert not {q.name for q in master.manual_questions} & set(hidden), "written questions have no tests"
    del nb.cells[0]
    with pytest.raises(NotebookReadError, match=r"^x.ipynb: the setup cell \(the first code cell\) was deleted or "
                                                r"edited; download a fresh copy of the notebook and paste your "
                                                r"answers into it$"):
        embedded_tests(nb, "x.ipynb")
