"""Grading with a roster: whose each submission is, on which numbers it is graded, and the integrity checks.

`grade --roster R --key-file K` (batch.py) and `merge` (shards.py) share this: :class:`Owners` reads and
checks the roster and key once (variants.read_roster, read_key) and identifies submissions
(variants.identify); :func:`run_integrity` runs integrity.check_integrity over a finished run and writes
OUT/integrity.csv, for report.html to show.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from xentcore.errors import UsageError


@dataclass(frozen=True)
class Owners:
    """Grading with a roster: whose each submission is, and so on which parameters it is graded."""

    roster: object  # variants.Roster
    key: bytes
    fingerprint: str  # of the key and the roster: a result graded with others is not reused
    key_file: str = ""

    @classmethod
    def load(cls, roster: Path | None, key_file: Path | None, autograder_zip: Path, name: str) -> Owners | None:
        if roster is None and key_file is None:
            return None
        from autograder import variants

        if roster is None or key_file is None:
            raise UsageError("grading per-student variants needs both --roster ROSTER.csv and --key-file KEY (the "
                             "roster and key the notebooks were built with)")
        if variants.spec_from_zip(autograder_zip, name) is None:
            raise UsageError(f"{name} has no per-student variants (no variant.py in its build); grade it without "
                             "--roster and --key-file, or add assignments/{name}/variant.py and build again")
        key = variants.read_key(key_file)
        loaded = variants.read_roster(roster)
        digest = hashlib.sha256(key + b"\0" + Path(roster).read_bytes()).hexdigest()[:16]
        return cls(roster=loaded, key=key, fingerprint=digest, key_file=str(key_file))

    def identify(self, path: Path, metadata, name: str):
        from autograder import variants

        return variants.identify(path, metadata, self.roster, self.key, name)


def code_index(owners: Owners | None, autograder, *, dist: Path, name: str):
    """An integrity.CodeIndex that `grade` fills as records arrive (None without a roster)."""
    if owners is None or autograder.variant is None:
        return None
    from autograder import integrity, project
    from xentcore.errors import GradingError

    try:
        return integrity.CodeIndex(project.student_notebook(dist, name))
    except GradingError as exc:  # the starter notebook is unreadable: compare without leaving it out
        return integrity.CodeIndex(None, notes=[f"{exc}; code was compared without leaving the starter code out"])


def run_integrity(out: Path, rows, notebooks: dict[str, Path], owners: Owners | None, autograder, *, root: Path,
                  dist: Path, name: str, index=None):
    """The integrity findings of a finished run graded with a roster (None without one): answers right for
    another student's variant, and near-identical code. Written to OUT/integrity.csv; never raises for what
    a submission holds (a failure of the check itself becomes a note in the findings)."""
    if owners is None or autograder.variant is None:
        return None
    from autograder import integrity, project

    personal = sorted((Path(dist) / name / "solutions").glob("*.ipynb"))
    solution = personal[0] if personal else project.solution_path(root, name)
    roster_params = {s.id: autograder.variant.params_for(owners.key, s.id) for s in owners.roster.students}
    try:
        found = integrity.check_integrity(rows, notebooks, solution=solution,
                                          starter=project.student_notebook(dist, name), roster_params=roster_params,
                                          code_index=index)
    except Exception as exc:  # noqa: BLE001 - grading is done; the check's failure is a note, not a lost run
        found = integrity.Integrity()
        found.notes.append(f"the integrity checks failed ({type(exc).__name__}: {str(exc)[:300]})")
    integrity.write_csv(out, found)
    return found
