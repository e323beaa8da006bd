"""`autograder gradebook`: merge autograded and hand-graded scores; export for an LMS.

The manual scores file is validated as a whole before anything is written: every
problem is reported with its row number, and no output file changes until the
input is valid.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from autograder import project, results
from xentcore.errors import InputFileError, UsageError
from xentcore.files import atomic_write
from autograder.master import load_master
from autograder.packet import KEY_FILE, SCORE_COLUMNS
from autograder.results import SubmissionRecord
from autograder.review.store import DB_FILE, Store
from xentcore.safetext import csv_records, csv_text, csv_value

LMS_FORMATS = ("canvas",)
CANVAS_FILE = re.compile(r"^[^_]+_(?:LATE_|late_)?(?P<user>\d+)_(?P<submission>\d+)_")


@dataclass(frozen=True)
class FinalGrades:
    path: Path
    lms: Path | None
    complete: int
    total: int

    def describe(self) -> str:
        lines = [f"final grades: {self.path} ({self.complete}/{self.total} submissions fully hand-graded)"]
        if self.lms:
            lines.append(f"LMS import file: {self.lms}")
        return "\n".join(lines)


def read_manual_scores(path: Path, master, rows_by_name: dict[str, SubmissionRecord], aliases: dict[str, str]) -> dict:
    """{(submission, question): {item: points}} from a filled manual_scores.csv, or InputFileError."""
    if not path.is_file():
        raise InputFileError(f"{path}: no such file; make it with `autograder packet`")
    manual = {q.name: q for q in master.manual_questions}
    problems, scores = [], {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in ("submission", "question", "item", "points") if c not in (reader.fieldnames or [])]
        if missing:
            raise InputFileError(f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(SCORE_COLUMNS)}")
        for number, record in enumerate(reader, start=2):
            record = {key: csv_value(value) if isinstance(value, str) else value for key, value in record.items()}
            where = f"{path}: row {number}"
            submission = aliases.get(record["submission"].strip(), record["submission"].strip())
            question = record["question"].strip()
            if submission not in rows_by_name:
                problems.append(f"{where}: unknown submission {record['submission']!r}")
                continue
            if question not in manual:
                problems.append(f"{where}: {question!r} is not a manual question of {master.name} "
                                f"(manual: {', '.join(manual)})")
                continue
            try:
                item = int(record["item"])
                rubric = manual[question].rubric[item - 1]
                if item < 1:
                    raise IndexError
            except (ValueError, IndexError):
                problems.append(f"{where}: item {record['item']!r} is not a rubric item of {question} "
                                f"(1 to {len(manual[question].rubric)})")
                continue
            text = (record.get("points") or "").strip()
            if not text:
                continue
            try:
                points = float(text)
            except ValueError:
                problems.append(f"{where}: points {text!r} is not a number")
                continue
            if not 0 <= points <= rubric.points:
                problems.append(f"{where}: {points:g} points is outside 0..{rubric.points:g}, the maximum of "
                                f"{question} item {item}")
                continue
            entry = scores.setdefault((submission, question), {})
            if item in entry:
                problems.append(f"{where}: {question} item {item} of {record['submission']!r} is scored twice")
            entry[item] = points
    if problems:
        shown = "\n  ".join(problems[:50])
        more = f"\n  and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise InputFileError(f"{path}: {len(problems)} problem(s); nothing was written:\n  {shown}{more}")
    return scores


def _reviewed(out: Path, name: str) -> tuple[dict[tuple[str, str], float], dict[str, float]]:
    """Scores graded in `autograder review` (OUT/review.sqlite3) and each question's maximum under the rubric
    as edited there; nothing when the review app was never started."""
    path = Path(out) / DB_FILE
    if not path.exists():
        return {}, {}
    store = Store.open(path, assignment=name, create=False)
    try:
        return store.manual_scores(), {q: sum(i.points for i in store.rubric(q)) for q in store.questions()}
    finally:
        store.close()


def packet_aliases(out: Path) -> dict[str, str]:
    key = Path(out) / KEY_FILE
    if not key.is_file():
        return {}
    with key.open(newline="", encoding="utf-8") as handle:
        return {r["alias"]: r["submission"] for r in csv_records(handle)}


def final_gradebook(name: str, out: Path, *, root: Path = Path("."), manual: Path | None = None,
                    lms: str | None = None, title: str | None = None) -> FinalGrades:
    project.resolve_assignments(root, [name])
    if lms is not None and lms not in LMS_FORMATS:
        raise UsageError(f"unknown LMS {lms!r}; supported: {', '.join(LMS_FORMATS)}")
    master = load_master(project.master_path(root, name), name)
    out = Path(out)
    rows = results.load_all(out, name)
    by_name = {r.submission: r for r in rows}
    scores = read_manual_scores(Path(manual), master, by_name, packet_aliases(out)) if manual else {}
    reviewed, reviewed_max = _reviewed(out, name)
    auto_questions = list(rows[0].questions) if rows else []
    manual_questions = [q for q in master.manual_questions]
    manual_max = sum(reviewed_max.get(q.name, q.points) for q in manual_questions)
    table = [["submission", "status", "auto_score", "auto_max", "manual_score", "manual_max", "total",
              "total_max", "manual_complete", *auto_questions, *(q.name for q in manual_questions)]]
    complete = 0
    totals = {}
    for row in rows:
        per_question = []
        manual_score, done = 0.0, True
        for question in manual_questions:
            items = scores.get((row.submission, question.name))
            if items is not None:  # a filled row of --manual wins over the review database
                points, filled = sum(items.values()), len(items) == len(question.rubric)
            else:
                points = reviewed.get((row.submission, question.name))
                filled = points is not None
            done &= filled
            manual_score += points or 0.0
            per_question.append(f"{points:g}" if points is not None else "")
        complete += done
        total = row.score + manual_score
        totals[row.submission] = total
        table.append([row.submission, row.status.value, f"{row.score:g}", f"{row.max_score:g}",
                      f"{manual_score:g}", f"{manual_max:g}", f"{total:g}", f"{row.max_score + manual_max:g}",
                      "yes" if done else "no",
                      *(f"{row.questions[q].score:g}" for q in auto_questions), *per_question])
    path = out / "final_grades.csv"
    lms_path = None
    if lms == "canvas":
        total_max = (rows[0].max_score if rows else 0) + manual_max
        lms_path = out / "canvas_grades.csv"
        canvas = _canvas_csv(rows, totals, total_max, title or name)
    atomic_write(path, csv_text(table))
    if lms_path:
        atomic_write(lms_path, canvas)
    return FinalGrades(path=path, lms=lms_path, complete=complete, total=len(rows))


def _canvas_csv(rows: list[SubmissionRecord], totals: dict[str, float], total_max: float, title: str) -> str:
    """Canvas gradebook import layout: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment.

    Canvas matches rows by ID (its user id) or SIS ids. Submissions downloaded from
    Canvas are named ``<name>_<user id>_<submission id>_<file>``: the user id is taken
    from there; otherwise the submission name is used as the SIS Login ID.
    """
    table = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", title],
             ["    Points Possible", "", "", "", "", f"{total_max:g}"]]
    for row in rows:
        match = CANVAS_FILE.match(row.file or row.submission)
        user_id = match.group("user") if match else ""
        table.append([row.submission, user_id, "", "" if match else row.submission, "",
                      f"{totals[row.submission]:g}"])
    return csv_text(table)
