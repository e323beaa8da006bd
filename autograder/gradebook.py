"""Grading results on disk: per-submission JSON, student feedback, and the gradebook CSV.

Only the trusted side writes here, after the submission's sandbox is gone.
Nothing written holds hidden test source or a hidden expected value: hidden
tests appear by their description and pass/fail only in the feedback.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from autograder import results
from autograder.results import Status, SubmissionRecord
from autograder.variantdraw import numbers_line
from xentcore.files import atomic_write
from xentcore.safetext import clean, csv_text



@dataclass(frozen=True)
class Submission:
    name: str  # unique display name: the file name without .ipynb (suffixed when two inputs share it)
    path: Path
    slug: str  # file-system-safe, unique
    sha256: str
    outside: bool = False  # a link out of the submissions folder: a row, never read


def safe_slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "submission"
    return slug[:120]


def result_path(out: Path, submission: Submission) -> Path:
    return results.results_dir(out) / f"{submission.slug}.json"


def feedback_path(out: Path, submission: Submission) -> Path:
    return Path(out) / "feedback" / f"{submission.slug}.md"


def feedback_files(submissions: list[Submission]) -> list[str]:
    """Each submission's feedback file relative to OUT (the gradebook's `feedback_file` column)."""
    return [feedback_path(Path(), submission).as_posix() for submission in submissions]


def load_previous(out: Path, submission: Submission, autograder_sha: str, limits: dict) -> SubmissionRecord | None:
    """A stored record for the same content, autograder and limits (never a grader-error), or None."""
    record = results.load(result_path(out, submission))
    same = (record is not None and record.sha256 == submission.sha256 and record.autograder_sha256 == autograder_sha
            and record.limits == limits and record.submission == submission.name
            and record.status is not Status.GRADER_ERROR)
    return record if same else None


def write_result(out: Path, submission: Submission, record: SubmissionRecord, *, note: str = "") -> None:
    """The submission's record (results/<slug>.json) and the student's feedback (feedback/<slug>.md);
    *note* is a line for the top of the feedback (a regrade's "changed since your last feedback")."""
    results.write(result_path(out, submission), record)
    atomic_write(feedback_path(out, submission), feedback_markdown(record, note=note))


def feedback_markdown(record: SubmissionRecord, *, note: str = "") -> str:
    lines = [f"# Feedback: {record.submission}", "",
             f"Assignment **{record.assignment}** — autograded score "
             f"**{record.score:g} / {record.max_score:g}**.", ""]
    if note:
        lines += [note, ""]
    status = record.status
    if status is not Status.OK:
        lines += [f"**Status: {status.value}.** {record.detail}".rstrip(), ""]
        if status is Status.INVALID_NOTEBOOK:
            lines += ["The file could not be read as a Jupyter notebook. Save the notebook from Jupyter "
                      "(File → Save) and submit the .ipynb file again.", ""]
        elif status is Status.WRONG_ASSIGNMENT:
            lines += ["This notebook belongs to another assignment. Submit the notebook of this assignment.", ""]
        elif status is Status.UNKNOWN_STUDENT:
            lines += ["Every student of this assignment has their own numbers, and this submission could not be "
                      "matched to a student of the course, so it was not graded. Ask your instructor.", ""]
        elif status in (Status.TIMEOUT, Status.MEMORY, Status.CRASHED) and record.score >= record.max_score > 0:
            lines += ["Every question earned full marks; a later cell was stopped afterwards, which cost no "
                      "points.", ""]
        elif status in (Status.TIMEOUT, Status.MEMORY, Status.CRASHED):
            lines += ["Some of your code was stopped (see the cells below); answers in other cells were still "
                      "graded.", ""]
    if record.params:
        numbers = numbers_line(record.params)
        whose = "your own numbers" if record.student else "the assignment's numbers"
        lines += [f"Graded on {whose}: {numbers}.", ""]
    if results.VARIANT_MISMATCH in record.flags:
        lines += [f"This notebook carries the variant of another student ({record.identity.get('claimed', '')}); it "
                  "was graded on your own numbers, above, and flagged for your instructor.", ""]
    errors = [c for c in record.cells if c.status != "ok"]
    if errors:
        lines += ["## Cells that did not finish normally", ""]
        for cell in errors:
            lines.append(f"- notebook cell {cell.index + 1}: {cell.status} — {cell.error}")
        lines.append("")
    for question, score in record.questions.items():
        lines += [f"## {question}: {score.score:g} / {score.max_score:g}", ""]
        for case in (c for c in record.cases if c.question == question):
            mark = "passed" if case.passed else "failed"
            if case.hidden:
                lines.append(f"- hidden test — {case.description}: **{mark}**")
            else:
                message = "" if case.passed or not case.message else f" ({case.message})"
                lines.append(f"- public test — {case.description}: **{mark}**{message}")
        lines.append("")
    lines.append("Hidden tests are described by the property they check; their code and expected values are "
                 "not shown.")
    return "\n".join(lines) + "\n"


def write_gradebook(out: Path, rows: list[SubmissionRecord], questions: list[str], *,
                    feedback: list[str] | None = None, name: str = "gradebook.csv") -> Path:
    """OUT/gradebook.csv; *feedback* (one per row) fills its last column, `feedback_file`: the student's
    feedback file relative to OUT, so a grader finds one from the other."""
    files = feedback if feedback is not None else [""] * len(rows)
    # Graded with a roster: each row's student and flags (variant-mismatch, ...) as well.
    owners = any(row.student or row.flags or row.status is Status.UNKNOWN_STUDENT for row in rows)
    table = [["submission", *(["student"] if owners else []), "status", *(["flags"] if owners else []), "score",
              "max_score", *questions, "feedback_file"]]
    for row, file in zip(rows, files):
        table.append([row.submission, *([row.student] if owners else []), row.status.value,
                      *([" ".join(row.flags)] if owners else []), _number(row.score), _number(row.max_score),
                      *(_number(row.questions[q].score if q in row.questions else 0.0) for q in questions), file])
    path = Path(out) / name
    atomic_write(path, csv_text(table))  # a submission named "=1+1.ipynb" stays text in a spreadsheet
    return path


def write_plain_report(out: Path, rows: list[SubmissionRecord], autograder, error: Exception) -> Path:
    """A bare report.html (the gradebook as a table) for when the full report could not be made."""
    esc = html.escape
    body = "".join(f"<tr><td>{esc(r.submission)}</td><td>{esc(r.status.value)}</td>"
                   f"<td>{_number(r.score)} / {_number(r.max_score)}</td></tr>" for r in rows)
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Grading report: '
            f"{esc(autograder.name)}</title></head><body><main><h1>Grading report: {esc(autograder.name)}</h1>"
            f"<p>The full report could not be made ({esc(type(error).__name__)}: {esc(clean(str(error))[:300])}); "
            "the scores are below and in gradebook.csv.</p><table><caption>Scores</caption><tr><th scope=\"col\">"
            "Submission</th><th scope=\"col\">Status</th><th scope=\"col\">Score</th></tr>"
            f"{body}</table></main></body></html>\n")
    path = Path(out) / "report.html"
    atomic_write(path, page)
    return path


def _number(value: float) -> str:
    return f"{float(value):g}"
