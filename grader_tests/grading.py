"""Helpers for tests that grade notebooks with `autograder grade`.

Notebooks are made from a built reference solution (answer cells are tagged with their question); a
batch is graded into a fresh OUT folder. Every batch also writes the instructor report, whose mutant
patterns the session's build measured once (dist/<name>/autograder/mutant_patterns.json).
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
import pytest

from autograder.grading.batch import BatchSummary, grade_batch
from autograder.mutants import Variant, apply_variant
from autograder.grading.runner import Limits

from conftest import ROOT


def dist_of(built, name: str) -> Path:
    return Path(built[name].autograder).parents[2]


@pytest.fixture(scope="session")
def grade(built):
    """grade(name, inputs, out, *, workers=1, **limits) -> BatchSummary (limits as in runner.Limits)."""

    def run(name: str, inputs, out: Path, *, workers: int = 1, **limits) -> BatchSummary:
        return grade_batch(name, [Path(p) for p in inputs], out=Path(out), root=ROOT, dist=dist_of(built, name),
                           workers=workers, limits=Limits(**limits), progress=lambda done, total: None)

    return run


def solution(built, name: str) -> nbformat.NotebookNode:
    return nbformat.read(built[name].solution, as_version=4)


def with_answers(nb: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """*nb* with the answer cells of each question replaced (as a mutant file would)."""
    return apply_variant(nb, Variant(slug="test", path=Path("<test>"), description="", loses=(),
                                     answers=answers))


def answer_position(nb: nbformat.NotebookNode, question: str) -> int:
    """Index of the last answer cell of *question*."""
    return max(i for i, cell in enumerate(nb.cells) if (cell.metadata.get("xent") or {}).get("question") == question)


def with_cells(nb: nbformat.NotebookNode, after: str | None, sources: list[str]) -> nbformat.NotebookNode:
    """*nb* with new code cells right after the answer of question *after* (at the top when None)."""
    nb = copy.deepcopy(nb)
    position = 0 if after is None else answer_position(nb, after) + 1
    nb.cells[position:position] = [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def write(nb: nbformat.NotebookNode, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def scores(row: dict) -> dict[str, float]:
    return {question: score["score"] for question, score in row["questions"].items()}
