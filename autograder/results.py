"""The grading record: what `grade` found for one submission, as typed data and as JSON on disk.

This module owns the record. The trusted runner fills it, the batch driver writes it (OUT/results/<slug>.json),
and the report, packet, final gradebook and feedback read it back -- only through :func:`load_all`,
:func:`load` and :meth:`SubmissionRecord.to_json`. Its JSON layout carries a schema version; a file of
another version is not reused (it is graded again) and cannot be read for a report.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from enum import Enum
from pathlib import Path

from xentcore.errors import InputFileError, UsageError
from xentcore.files import atomic_write

SCHEMA_VERSION = 1
GRADER_VERSION = "xent-lab-1"


class Status(str, Enum):
    """Why a submission has the score it has (the gradebook's `status` column)."""

    OK = "ok"
    TIMEOUT = "timeout"  # a cell or the whole submission ran out of time; finished answers kept their points
    MEMORY = "memory"  # a cell ran out of memory; it was left out and the rest graded
    CRASHED = "crashed"  # a cell ended its process; it was left out and the rest graded
    INVALID_NOTEBOOK = "invalid-notebook"  # not readable as a notebook: never run
    WRONG_ASSIGNMENT = "wrong-assignment"  # another assignment's notebook: never run
    GRADER_ERROR = "grader-error"  # the grader failed on it: 0 points, graded again by the next run
    UNKNOWN_STUDENT = "unknown-student"  # graded with a roster, but whose it is was not found: never run

    def __str__(self) -> str:
        return self.value


# Statuses of submissions whose code never ran: no answers, no cases, no written answers to read.
UNGRADED = frozenset({Status.INVALID_NOTEBOOK, Status.WRONG_ASSIGNMENT, Status.GRADER_ERROR,
                      Status.UNKNOWN_STUDENT})
# Flags: things a grader should look at that do not change the score (the gradebook's `flags` column).
VARIANT_MISMATCH = "variant-mismatch"  # carries another student's variant tag; graded on its owner's numbers
TAG_INVALID = "variant-tag-invalid"  # its variant tag fails its HMAC check (edited, or another key)


@dataclass
class CaseResult:
    """One test case's outcome (the one type for it, in grading and in self-check)."""

    question: str
    index: int
    hidden: bool
    points: float
    passed: bool
    description: str = ""
    message: str = ""

    @property
    def key(self) -> str:
        return f"{self.question}.{self.index + 1}"


@dataclass
class CellResult:
    """How one code cell of the submission ended: ok | error | timeout | crashed | memory | skipped."""

    index: int
    status: str
    seconds: float = 0.0
    error: str = ""


@dataclass
class QuestionScore:
    score: float
    max_score: float


@dataclass
class SubmissionRecord:
    """Everything `grade` knows about one submission. Identity fields are empty until the batch sets them."""

    status: Status
    detail: str = ""
    questions: dict[str, QuestionScore] = field(default_factory=dict)
    cases: list[CaseResult] = field(default_factory=list)
    cells: list[CellResult] = field(default_factory=list)
    seconds: float = 0.0
    isolation: str = ""
    manual_answers: dict[str, str] | None = None
    submission: str = ""
    file: str = ""
    sha256: str = ""
    assignment: str = ""
    autograder_sha256: str = ""
    limits: dict = field(default_factory=dict)
    student: str = ""  # graded with a roster: the owner's id
    params: dict | None = None  # a variant assignment: the parameters it was graded on
    flags: list[str] = field(default_factory=list)
    identity: dict = field(default_factory=dict)  # with a roster: how the owner was found, the notebook's tag
    # A variant assignment: the submission's small contract values as codec trees (name -> tree), for the
    # integrity check (integrity.py). Instructor-side only: never written into a student's feedback.
    values: dict[str, object] = field(default_factory=dict)
    grader: str = GRADER_VERSION
    version: int = SCHEMA_VERSION

    @property
    def score(self) -> float:
        return sum(q.score for q in self.questions.values())

    @property
    def max_score(self) -> float:
        return sum(q.max_score for q in self.questions.values())

    @property
    def graded(self) -> bool:
        """Whether its code ran (so it has cases, cells and written answers)."""
        return self.status not in UNGRADED

    def with_identity(self, **identity) -> SubmissionRecord:
        return replace(self, **identity)

    def to_json(self) -> dict:
        data = asdict(self)
        data["status"] = self.status.value
        data["score"] = self.score
        data["max_score"] = self.max_score
        data["seconds"] = round(self.seconds, 3)
        for optional in ("manual_answers", "params"):
            if data[optional] is None:
                del data[optional]
        for optional in ("student", "flags", "identity", "values"):
            if not data[optional]:
                del data[optional]
        return data

    @classmethod
    def from_json(cls, data: dict) -> SubmissionRecord:
        """The record in *data*; ValueError (with the reason) when it is not one of this schema version."""
        if not isinstance(data, dict) or data.get("version") != SCHEMA_VERSION:
            raise ValueError(f"not a version-{SCHEMA_VERSION} grading record")
        try:
            return cls(
                status=Status(data["status"]), detail=str(data.get("detail", "")),
                questions={str(q): QuestionScore(float(s["score"]), float(s["max_score"]))
                           for q, s in data["questions"].items()},
                cases=[CaseResult(**case) for case in data.get("cases", [])],
                cells=[CellResult(**cell) for cell in data.get("cells", [])],
                seconds=float(data.get("seconds", 0.0)), isolation=str(data.get("isolation", "")),
                manual_answers=data.get("manual_answers"), submission=str(data["submission"]),
                file=str(data.get("file", "")), sha256=str(data.get("sha256", "")),
                assignment=str(data.get("assignment", "")),
                autograder_sha256=str(data.get("autograder_sha256", "")), limits=dict(data.get("limits", {})),
                student=str(data.get("student", "")),
                params=dict(data["params"]) if isinstance(data.get("params"), dict) else None,
                flags=[str(flag) for flag in data.get("flags", [])],
                identity={str(k): str(v) for k, v in dict(data.get("identity", {})).items()},
                values={str(name): tree for name, tree in data["values"].items()}
                if isinstance(data.get("values"), dict) else {},
                grader=str(data.get("grader", GRADER_VERSION)), version=SCHEMA_VERSION)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"malformed grading record ({type(exc).__name__}: {exc})") from None


def zero_scores(maxima: dict[str, float]) -> dict[str, QuestionScore]:
    """Every question at 0 of its maximum (an ungraded submission's scores)."""
    return {question: QuestionScore(0.0, maximum) for question, maximum in maxima.items()}


def results_dir(out: Path) -> Path:
    return Path(out) / "results"


def write(path: Path, record: SubmissionRecord) -> None:
    atomic_write(Path(path), json.dumps(record.to_json(), indent=1, sort_keys=True) + "\n")


def load(path: Path) -> SubmissionRecord | None:
    """The record stored at *path*, or None when there is none or it is of another schema version."""
    try:
        return SubmissionRecord.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def load_all(out: Path, assignment: str | None = None) -> list[SubmissionRecord]:
    """Every record of the `grade` run in OUT (of *assignment* when given), sorted by submission name.

    Raises UsageError when OUT has no results, InputFileError naming a file that is not a record."""
    folder = results_dir(out)
    if not folder.is_dir():
        raise UsageError(f"{out}: no results/ folder; run `autograder grade NAME INPUT... -o {out}` first")
    records = []
    for path in sorted(folder.glob("*.json")):
        try:
            record = SubmissionRecord.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise InputFileError(f"{path}: not a grading record of this xent-lab ({exc}); grade again with "
                                 "`autograder grade`, which rewrites it") from None
        if assignment is None or record.assignment == assignment:
            records.append(record)
    if not records:
        raise UsageError(f"{folder}: no graded submissions" + (f" of {assignment}" if assignment else "")
                         + "; run `autograder grade` first")
    return sorted(records, key=lambda r: r.submission)


def isolation_warnings(modes) -> list[str]:
    """The warning a batch prints when some sandboxes ran without Linux namespaces (*modes*: isolations)."""
    if sorted(set(modes) - {"namespaces", ""}):
        return ["sandboxes ran without Linux namespaces (the kernel refused them): submissions were "
                "limited by rlimits and their own session only; a hostile submission could read other "
                "files of this user. Grade on a machine that allows unprivileged user namespaces."]
    return []


def status_counts(records) -> str:
    """'2 ok, 1 timeout': how many records have each status, statuses sorted."""
    counts: dict[str, int] = {}
    for record in records:
        counts[record.status.value] = counts.get(record.status.value, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def variant_warnings(records, key_file=None) -> list[str]:
    """What a batch graded with a roster warns about: variant tags that fail their check (every one of them:
    the key is not the build's), submissions of unknown students, notebooks carrying another's variant."""
    tags = [r.identity.get("tag") for r in records if r.identity]
    invalid = tags.count("invalid")
    notes = []
    if invalid and invalid == sum(tag in ("valid", "invalid") for tag in tags):
        notes.append(f"every variant tag ({invalid}) fails its check with the key{f' in {key_file}' if key_file else ''}: "
                     "the key is most likely not the one the notebooks were built with (a new key, or another "
                     "course's). Grade again with the build's key file; until then submissions are matched to "
                     "students by file name only.")
    elif invalid:
        notes.append(f"{invalid} submission(s) carry a variant tag that fails its check (edited by hand, or built "
                     f"with another key): flagged {TAG_INVALID}")
    unknown = [r.submission for r in records if r.status is Status.UNKNOWN_STUDENT]
    if unknown:
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        notes.append(f"{len(unknown)} submission(s) are not on the roster or not matched to a student, so they got "
                     f"status {Status.UNKNOWN_STUDENT.value} and 0 points: {shown}. Name each file after the "
                     "student's roster id (or a Canvas download name) and grade again.")
    mismatched = sum(VARIANT_MISMATCH in r.flags for r in records)
    if mismatched:
        notes.append(f"{mismatched} submission(s) carry another student's variant: graded on their owner's "
                     f"numbers and flagged {VARIANT_MISMATCH} (see the report)")
    return notes
