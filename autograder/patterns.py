"""Misconception patterns: which test cases each mutant (a plausible wrong answer) fails.

Each mutant is graded like a submission, once, by `autograder build`, and what it fails is kept beside the
zip (dist/<name>/autograder/mutant_patterns.json, keyed by the hashes of the zip, the solution and the
mutant files). A report uses that file when the key matches, else measures the patterns itself; OUT keeps
a copy either way. A student's failing question is labelled with every mutant whose failed cases on that
question are exactly the student's.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import nbformat

from autograder import project
from autograder.grading.runner import Autograder, Limits, Zygote, grade_notebook
from autograder.mutants import Variant, apply_variant, load_variants
from autograder.processes import one_cpu
from autograder.results import CaseResult, SubmissionRecord
from xentcore.files import atomic_write


def failed_keys(cases: list[CaseResult], question: str) -> list[str]:
    """The keys (``q2.3``) of *question*'s failed cases, sorted."""
    return sorted(case.key for case in cases if case.question == question and not case.passed)


def patterns_key(autograder: Autograder, solution: bytes, mutants: list[Variant]) -> str:
    """What the patterns depend on: the autograder zip, the reference solution and every mutant file."""
    digest = hashlib.sha256(autograder.sha256.encode() + solution)
    for mutant in mutants:
        digest.update(mutant.path.read_bytes())
    return digest.hexdigest()


def measure_mutant_patterns(autograder: Autograder, solution: nbformat.NotebookNode,
                            mutants: list[Variant]) -> list[dict]:
    """Grade each mutant (the solution with the mutant's answers) in a sandbox; what it fails, per question."""
    patterns = []
    with one_cpu():
        zygote = Zygote()
        try:
            with tempfile.TemporaryDirectory(prefix="xent-mutants-") as tmp:
                for mutant in mutants:
                    notebook = Path(tmp) / f"{mutant.slug}.ipynb"
                    nbformat.write(apply_variant(solution, mutant), notebook)
                    result = grade_notebook(notebook, autograder, zygote, Limits(timeout=60, cell_timeout=20))
                    failed = {q: failed_keys(result.cases, q) for q in autograder.questions
                              if failed_keys(result.cases, q)}
                    patterns.append({"slug": mutant.slug, "description": mutant.description, "failed": failed})
        finally:
            zygote.close()
    return patterns


def write_patterns(path: Path, key: str, patterns: list[dict]) -> None:
    atomic_write(Path(path), json.dumps({"key": key, "patterns": patterns}, indent=1) + "\n")


def _cached_patterns(path: Path, key: str) -> list[dict] | None:
    try:
        cached = json.loads(Path(path).read_text())
        if cached.get("key") == key and isinstance(cached["patterns"], list):
            return cached["patterns"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    return None


def mutant_patterns(root: Path, name: str, autograder: Autograder, out: Path, *,
                    built: Path | None = None) -> list[dict]:
    """For each mutant: its description and the test cases it fails, per question.

    Taken from OUT's copy, else from *built* (the file `autograder build` wrote beside the zip), else
    measured now; only a file whose key matches the current zip, solution and mutants is used.
    """
    mutants = load_variants(project.mutants_dir(root, name), mutant=True)
    solution_file = project.solution_path(root, name)
    if not mutants or not solution_file.is_file():
        return []
    key = patterns_key(autograder, solution_file.read_bytes(), mutants)
    cache = Path(out) / project.PATTERNS_FILE
    patterns = _cached_patterns(cache, key)
    if patterns is not None:
        return patterns
    patterns = _cached_patterns(built, key) if built is not None else None
    if patterns is None:
        patterns = measure_mutant_patterns(autograder, nbformat.read(solution_file, as_version=4), mutants)
    write_patterns(cache, key, patterns)
    return patterns


def diagnose(record: SubmissionRecord, patterns: list[dict]) -> dict[str, list[str]]:
    """The likely misconceptions behind each failing question of one record: every mutant whose failed cases
    on that question are exactly the record's (an empty list when none matches)."""
    labels = {}
    for question, score in record.questions.items():
        if score.score >= score.max_score:
            continue
        failed = failed_keys(record.cases, question)
        labels[question] = list(dict.fromkeys(p["description"] for p in patterns if p["failed"].get(question) == failed))
    return labels
