"""Student self-check: run a notebook's public tests, offline, and say what passed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from autograder.cells import code_cells
from xentcore.errors import NotebookReadError, UsageError
from autograder.localrun import run_locally
from autograder.results import CaseResult
from autograder.notebooks import read_notebook
from autograder.testfiles import TestCase, cases_from_notebook_metadata, question_order


@dataclass
class CheckReport:
    notebook: Path
    cases: list[CaseResult]
    cell_errors: list[dict] = field(default_factory=list)
    descriptions: dict[tuple[str, int], str] = field(default_factory=dict)

    @property
    def all_passed(self) -> bool:
        return all(case.passed for case in self.cases)

    def describe(self) -> str:
        lines = [f"Public tests for {self.notebook.name} (hidden tests are run only when your work is graded)"]
        for error in self.cell_errors:
            lines.append(f"  note: code cell {error['cell'] + 1} raised {error['error']}")
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


def check_notebook(notebook: Path, *, question: str | None = None, timeout: float = 120.0) -> CheckReport:
    """Run the public tests stored in a student notebook against its code."""
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
    result = run_locally([source for _, source in code_cells(nb)], cases,
                         workdir=notebook.parent.resolve(), timeout=timeout)
    return CheckReport(notebook=notebook, cases=result.cases, cell_errors=result.cell_errors,
                       descriptions={(c.question, c.index): c.description for c in cases})
