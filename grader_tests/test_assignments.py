"""Every assignment, graded by Otter's own `otter run` with the built autograder zip.

For each assignment found in assignments/: the reference solution earns full marks, the blank student
copy earns 0 autograded points, every mutant loses marks on each question it names, and every
alternative (correct, other style) solution earns full marks.

Conformance: each of these honest notebooks is also graded by xent-lab's own grader (sandbox and
trusted-side tests, `autograder grade`'s core), and its score per question must equal `otter run`'s.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder import project
from autograder.master import load_master
from autograder.mutants import apply_variant, load_variants
from autograder.otter_run import otter_scores
from autograder.grading.runner import Limits, Zygote, grade_notebook, load_autograder

from conftest import ASSIGNMENTS, ROOT

pytestmark = pytest.mark.slow


def _full_marks(name: str) -> dict[str, float]:
    master = load_master(project.master_path(ROOT, name), name)
    return {q.name: q.points for q in master.auto_questions}


def _variants(kind: str) -> list:
    params = []
    for name in ASSIGNMENTS:
        folder = project.mutants_dir(ROOT, name) if kind == "mutants" else project.alternatives_dir(ROOT, name)
        for variant in load_variants(folder, mutant=kind == "mutants"):
            params.append(pytest.param(name, variant, id=f"{name}-{variant.slug}"))
    return params


@pytest.fixture(scope="module")
def zygote():
    warm = Zygote()
    yield warm
    warm.close()


def _grade(built, name: str, notebook: Path, zygote: Zygote) -> dict[str, float]:
    """Otter's scores per question, after checking that xent-lab's grader gives the same."""
    otter = otter_scores(built[name].autograder, notebook, name=name)
    result = grade_notebook(Path(notebook), load_autograder(built[name].autograder, name), zygote,
                            Limits(timeout=120, cell_timeout=30))
    ours = {question: score.score for question, score in result.questions.items()}
    assert result.status == "ok", result.detail
    assert ours == pytest.approx(otter, abs=1e-9), f"xent-lab {ours} differs from otter run {otter}"
    return otter


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_reference_solution_earns_full_marks(built, name, zygote):
    assert _grade(built, name, built[name].solution, zygote) == _full_marks(name)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_blank_student_copy_earns_nothing(built, name, zygote):
    scores = _grade(built, name, built[name].student, zygote)
    assert set(scores) == set(_full_marks(name))
    assert sum(scores.values()) == 0


@pytest.mark.parametrize(("name", "variant"), _variants("mutants"))
def test_mutant_loses_marks_on_its_questions(built, name, variant, tmp_path, zygote):
    notebook = tmp_path / f"{name}.ipynb"
    nbformat.write(apply_variant(nbformat.read(built[name].solution, as_version=4), variant), notebook)
    scores = _grade(built, name, notebook, zygote)
    full = _full_marks(name)
    for question in variant.loses:
        assert question in full, f"{variant.path}: Loses names {question}, which is not an autograded question"
        assert scores[question] < full[question], f"{variant.path}: {question} kept full marks"


@pytest.mark.parametrize(("name", "variant"), _variants("alternatives"))
def test_alternative_solution_earns_full_marks(built, name, variant, tmp_path, zygote):
    notebook = tmp_path / f"{name}.ipynb"
    nbformat.write(apply_variant(nbformat.read(built[name].solution, as_version=4), variant), notebook)
    assert _grade(built, name, notebook, zygote) == _full_marks(name)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_assignment_has_mutants_for_its_autograded_questions(name):
    mutants = load_variants(project.mutants_dir(ROOT, name), mutant=True)
    covered = {q for m in mutants for q in m.loses}
    assert set(_full_marks(name)) <= covered, "every autograded question needs at least one mutant"
