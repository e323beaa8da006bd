"""Student self-check: run a notebook's public tests, offline, and say what passed.

By default the notebook runs exactly as `autograder grade` runs a submission: its cells in a sandbox
(runner.grade_notebook: no network, no writes outside its temporary folder, a time limit per cell, a cell
that hangs or kills its process left out), and the public test cases on the trusted side against plain
data. ``sandbox=False`` runs cells and tests in one ordinary child process with the user's permissions,
for debugging only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import warnings

from autograder.cells import code_cells, is_tooling_cell
from autograder.localrun import run_locally
from autograder.notebooks import read_notebook
from autograder.results import CaseResult
from xentcore.errors import NotebookReadError, UsageError
from autograder.otterformat import otter_metadata
from autograder.testfiles import TestCase, cases_from_notebook_metadata, free_names, question_order


@dataclass
class CheckReport:
    notebook: Path
    cases: list[CaseResult]
    cell_errors: list[dict] = field(default_factory=list)
    descriptions: dict[tuple[str, int], str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def all_passed(self) -> bool:
        return all(case.passed for case in self.cases)

    def describe(self) -> str:
        lines = [f"Public tests for {self.notebook.name} (hidden tests are run only when your work is graded)"]
        lines += [f"  note: {note}" for note in self.notes]
        for error in self.cell_errors:
            where = error.get("where") or f"code cell {error['cell'] + 1} raised"
            lines.append(f"  note: {where} {error['error']}")
        for question in question_order(self.cases):  # type: ignore[arg-type]
            cases = [c for c in self.cases if c.question == question]
            passed = sum(c.passed for c in cases)
            mark = "ok  " if passed == len(cases) else "FAIL"
            lines.append(f"  {mark} {question}: {passed}/{len(cases)} public tests passed")
            for case in cases:
                if not case.passed:
                    what = self.descriptions.get((case.question, case.index), "")
                    lines.append(f"         - {what}: {case.message}" if what else f"         - {case.message}")
        total = sum(c.passed for c in self.cases)
        lines.append(f"{total}/{len(self.cases)} public tests passed")
        return "\n".join(lines)


def check_notebook(notebook: Path, *, question: str | None = None, timeout: float = 120.0,
                   cell_timeout: float = 30.0, sandbox: bool = True) -> CheckReport:
    """Run the public tests stored in a student notebook against its code (in the sandbox by default)."""
    notebook = Path(notebook)
    nb = read_notebook(notebook)
    cases: list[TestCase] = cases_from_notebook_metadata(nb.metadata, str(notebook))
    if not cases:
        raise NotebookReadError(f"{notebook}: no public tests in the notebook metadata; open the student copy "
                                "you were given (dist/<name>/student/<name>.ipynb), not the master or a copy "
                                "saved by another tool")
    if question is not None:
        available = question_order(cases)
        if question not in available:
            raise UsageError(f"{notebook}: no public tests for question {question!r}; "
                             f"questions with public tests: {', '.join(available)}")
        cases = [c for c in cases if c.question == question]
    notes = []
    first = next((c.source for c in nb.cells if c.cell_type == "code"), "")
    if not is_tooling_cell(first):
        notes.append("the notebook's setup cell (its first code cell) was deleted or edited, so grader.check "
                     "cannot run inside the notebook; download a fresh copy and paste your answers into it")
    descriptions = {(c.question, c.index): c.description for c in cases}
    if not sandbox:
        result = run_locally([source for _, source in code_cells(nb)], cases,
                             workdir=notebook.parent.resolve(), timeout=timeout)
        return CheckReport(notebook=notebook, cases=result.cases, cell_errors=result.cell_errors,
                           descriptions=descriptions, notes=notes)
    return _check_in_sandbox(notebook, nb, cases, timeout=timeout, cell_timeout=cell_timeout,
                             descriptions=descriptions, notes=notes)


def _check_in_sandbox(notebook: Path, nb, cases: list[TestCase], *, timeout: float, cell_timeout: float,
                      descriptions: dict, notes: list[str]) -> CheckReport:
    """The public cases, graded the way `autograder grade` grades: runner.grade_notebook with an autograder
    that holds only these cases."""
    from autograder.grading.runner import Autograder, Limits, Zygote, grade_notebook
    from autograder.grading.sandbox import ZygoteProcess, preloads_for

    name = str(otter_metadata(nb).get("assignment_name") or notebook.stem)
    # The student copy carries no master: each question's contract is read off its public tests (the free
    # names they read that are neither builtins, imports nor their own variables), as the grader would bind.
    contract = {q: frozenset().union(*(free_names(c.code) for c in cases if c.question == q))
                for q in question_order(cases)}
    public = Autograder(name=name, zip_path=notebook, sha256="", cases=tuple(cases), contract=contract)
    process = ZygoteProcess(1, preloads_for(notebook))
    try:
        zygote = Zygote(process, 0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a student's warnings belong to their tests, not to this command
            result = grade_notebook(notebook, public, zygote, Limits(timeout=timeout, cell_timeout=cell_timeout))
        zygote.close()
    finally:
        process.close()
    if result.isolation == "limited":
        notes.append("this machine allows no sandbox namespaces, so the notebook ran with limits only")
    cell_errors = [{"cell": record.index, "where": f"cell {record.index + 1} of the notebook",
                    "error": f"{'raised' if record.status == 'error' else record.status + ':'} {record.error}"}
                   for record in result.cells if record.status != "ok"]
    return CheckReport(notebook=notebook, cases=result.cases, cell_errors=cell_errors, descriptions=descriptions,
                       notes=notes)
