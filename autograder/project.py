"""Where things live: the project root, its assignments and their files."""

from __future__ import annotations

import re
from pathlib import Path

from xentcore.errors import AutograderZipError, UnknownAssignmentError

ASSIGNMENT_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
PATTERNS_FILE = "mutant_patterns.json"  # what each mutant fails: beside the zip (build) and in OUT (report)


def assignments_dir(root: Path) -> Path:
    return Path(root) / "assignments"


def available_assignments(root: Path) -> list[str]:
    """Names of every assignment folder that holds its master notebook, sorted."""
    base = assignments_dir(root)
    if not base.is_dir():
        return []
    return sorted(
        entry.name for entry in base.iterdir()
        if entry.is_dir() and (entry / f"{entry.name}.ipynb").is_file()
    )


def resolve_assignments(root: Path, names: list[str] | None) -> list[str]:
    """The names asked for (all when none), each checked to exist."""
    available = available_assignments(root)
    if not names:
        if not available:
            raise UnknownAssignmentError(
                f"{assignments_dir(root)}: no assignments found; each needs "
                "assignments/<name>/<name>.ipynb (run from the project folder or pass --root)"
            )
        return available
    for name in names:
        if name not in available:
            listed = ", ".join(available) or "none"
            raise UnknownAssignmentError(
                f"no assignment named {name!r} in {assignments_dir(root)}; available: {listed}"
            )
    return list(dict.fromkeys(names))


def master_path(root: Path, name: str) -> Path:
    return assignments_dir(root) / name / f"{name}.ipynb"


def solution_path(root: Path, name: str) -> Path:
    return Path(root) / "solutions" / f"{name}.ipynb"


def mutants_dir(root: Path, name: str) -> Path:
    return assignments_dir(root) / name / "mutants"


def alternatives_dir(root: Path, name: str) -> Path:
    return assignments_dir(root) / name / "alternatives"


def student_notebook(dist: Path, name: str) -> Path:
    return Path(dist) / name / "student" / f"{name}.ipynb"


def autograder_zip(dist: Path, name: str) -> Path:
    return Path(dist) / name / "autograder" / "autograder.zip"


def mutant_patterns_file(dist: Path, name: str) -> Path:
    """What each mutant fails, measured by `autograder build` beside the zip (read by the grading report)."""
    return Path(dist) / name / "autograder" / PATTERNS_FILE


def resolve_dist(root: Path, dist: Path) -> Path:
    """*dist* as given when absolute, else inside the project *root*."""
    return Path(dist) if Path(dist).is_absolute() else Path(root) / dist


DEMO_DIST = Path("demo-out") / "dist"  # where `make demo` builds


def find_build(root: Path, dist: Path, name: str) -> Path:
    """The dist folder holding *name*'s autograder zip: *dist* (relative to *root*), or, when *dist* is the
    default ``dist`` and holds none, the build `make demo` made. Otherwise AutograderZipError naming the
    exact command that makes it."""
    candidates = [resolve_dist(root, dist)]
    if Path(dist) == Path("dist"):
        candidates.append(Path(root) / DEMO_DIST)
    for candidate in candidates:
        if autograder_zip(candidate, name).is_file():
            return candidate
    flag = "" if Path(dist) == Path("dist") else f" --dist {dist}"
    raise AutograderZipError(f"{autograder_zip(candidates[0], name)}: no autograder zip for {name}; build it with "
                             f"`autograder build {name}{flag}` (or pass --dist with the folder you built into)")


def sandbox_sources(dist: Path, name: str) -> list[Path]:
    """The built files that show what a sandbox of this assignment will import: the zip and student copy."""
    return [autograder_zip(dist, name), student_notebook(dist, name)]
