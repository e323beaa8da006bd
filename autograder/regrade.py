"""Who changed in a regrade, by how much, on which test, and why: regrade.csv and regrade.html.

`grade` loads every record OUT already holds before it replaces any (``batch``); this module compares
those with the new records, submission by submission, on :class:`SubmissionRecord` objects only. A
submission is listed when its score or its status moved; why is read from the records' identities: the
notebook's sha256 (submission changed), the autograder zip's sha256 (autograder changed), the limits, or
no earlier record at all (new submission). Manual scores (manual_scores.csv) are never read or written here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from autograder.results import SubmissionRecord
from xentcore.files import atomic_write
from xentcore.mathhtml import page
from xentcore.safetext import csv_text
from xentcore.tables import Markup, sortable_table, sorting_assets

CSV_FILE = "regrade.csv"
HTML_FILE = "regrade.html"
DRY_RUN_PREFIX = "regrade-dry-run"
PREVIOUS_GRADEBOOK = "gradebook.previous.csv"
COLUMNS = ["submission", "status_before", "status_after", "score_before", "score_after", "change", "max_score",
           "why", "questions_changed", "cases_flipped"]

NEW = "new submission"
SUBMISSION_CHANGED = "submission changed"
AUTOGRADER_CHANGED = "autograder changed"
LIMITS_CHANGED = "limits changed"
REGRADED = "graded again"  # same notebook, zip and limits (an earlier grader-error, or a record of another name)


@dataclass(frozen=True)
class Flip:
    """One test case that passed before and fails now, or the other way round."""

    key: str
    hidden: bool
    description: str
    before: bool | None  # None: the case did not exist (or did not run) before
    after: bool | None
    points_before: float | None = None
    points_after: float | None = None

    def describe(self) -> str:
        word = {True: "passed", False: "failed", None: "absent"}
        text = f"{self.key}: {word[self.before]} → {word[self.after]}"
        if self.points_before is not None and self.points_after is not None and self.points_before != self.points_after:
            text += f" (worth {self.points_before:g} → {self.points_after:g} points)"
        return text


@dataclass(frozen=True)
class Change:
    """One submission whose score or status moved."""

    submission: str
    before: SubmissionRecord | None
    after: SubmissionRecord
    why: tuple[str, ...]
    questions: tuple[tuple[str, float, float], ...] = ()  # (question, before, after)
    flips: tuple[Flip, ...] = field(default=())

    @property
    def score_before(self) -> float | None:
        return None if self.before is None else self.before.score

    @property
    def delta(self) -> float:
        return self.after.score - (self.before.score if self.before is not None else 0.0)


def reasons(before: SubmissionRecord | None, after: SubmissionRecord) -> tuple[str, ...]:
    """Why *after* replaced *before*, from the two records' identities."""
    if before is None:
        return (NEW,)
    why = []
    if before.sha256 != after.sha256:
        why.append(SUBMISSION_CHANGED)
    if before.autograder_sha256 != after.autograder_sha256:
        why.append(AUTOGRADER_CHANGED)
    if before.limits != after.limits:
        why.append(LIMITS_CHANGED)
    return tuple(why) or (REGRADED,)


def _flips(before: SubmissionRecord | None, after: SubmissionRecord) -> tuple[Flip, ...]:
    old = {case.key: case for case in (before.cases if before is not None else [])}
    new = {case.key: case for case in after.cases}
    flips = []
    for key in sorted(old.keys() | new.keys(), key=_case_order):
        was, now = old.get(key), new.get(key)
        passed_before = None if was is None else was.passed
        passed_after = None if now is None else now.passed
        if passed_before != passed_after or (was is not None and now is not None and was.points != now.points
                                             and now.passed):
            case = now or was
            flips.append(Flip(key, case.hidden, case.description, passed_before, passed_after,
                              None if was is None else was.points, None if now is None else now.points))
    return tuple(flips)


def _case_order(key: str):
    question, _, number = key.rpartition(".")
    return (question, int(number) if number.isdigit() else 0)


def compare(before: dict[str, SubmissionRecord | None], after: list[SubmissionRecord]) -> list[Change]:
    """Every submission of *after* whose score or status differs from its record in *before* (keyed by
    submission name; a missing or None entry is a new submission), in gradebook order."""
    changes = []
    for record in after:
        old = before.get(record.submission)
        if old is not None and old.score == record.score and old.status == record.status:
            continue
        questions = tuple((q, old.questions[q].score if old is not None and q in old.questions else 0.0, s.score)
                          for q, s in record.questions.items()
                          if old is None or q not in old.questions or old.questions[q].score != s.score)
        changes.append(Change(record.submission, old, record, reasons(old, record), questions,
                              _flips(old, record)))
    return changes


@dataclass(frozen=True)
class RegradeReport:
    changes: list[Change]
    csv: Path
    html: Path
    dry_run: bool = False

    def summary(self) -> str:
        return _summary_text(self.changes)

    def describe(self) -> str:
        label = "regrade (dry run: nothing replaced)" if self.dry_run else "regrade"
        return f"{label}: {self.summary()}\n{label} report: {self.html}\n{label} table:  {self.csv}"


def _number(value: float | None) -> str:
    return "" if value is None else f"{float(value):g}"


def _summary_text(changes: list[Change]) -> str:
    compared = [c for c in changes if c.before is not None]
    up = sum(1 for c in compared if c.delta > 0)
    down = sum(1 for c in compared if c.delta < 0)
    new = len(changes) - len(compared)
    text = f"{len(changes)} changed ({up} up, {down} down, {new} new)"
    if compared:
        largest = max(compared, key=lambda c: (abs(c.delta), c.submission))
        if largest.delta:
            text += f"; largest change {largest.delta:+g} ({largest.submission})"
    return text


def _row(change: Change) -> list[str]:
    before = change.before
    return [change.submission, "" if before is None else before.status.value, change.after.status.value,
            _number(change.score_before), _number(change.after.score),
            "" if before is None else f"{change.delta:+g}", _number(change.after.max_score),
            "; ".join(change.why),
            "; ".join(f"{q}: {a:g} → {b:g}" for q, a, b in change.questions),
            "; ".join(flip.describe() for flip in change.flips)]


def write_regrade(out: Path, changes: list[Change], *, assignment: str, dry_run: bool = False) -> RegradeReport:
    """OUT/regrade.csv and OUT/regrade.html (regrade-dry-run.* for a dry run)."""
    out = Path(out)
    stem = DRY_RUN_PREFIX if dry_run else "regrade"
    csv_path, html_path = out / f"{stem}.csv", out / f"{stem}.html"
    atomic_write(csv_path, csv_text([COLUMNS, *(_row(c) for c in changes)]))
    atomic_write(html_path, _page(changes, assignment=assignment, dry_run=dry_run))
    return RegradeReport(changes, csv_path, html_path, dry_run)


def _page(changes: list[Change], *, assignment: str, dry_run: bool) -> str:
    esc = html.escape
    title = f"Regrade report: {assignment}" + (" (dry run)" if dry_run else "")
    parts = [f"<main><h1>{esc(title)}</h1>"]
    if dry_run:
        parts.append("<p><strong>Dry run:</strong> nothing in this folder was replaced; this is what the same "
                     "command without <code>--dry-run-regrade</code> would change.</p>")
    parts.append(f'<p class="summary"><strong>{esc(_summary_text(changes))}</strong>. '
                 "Compared with the results this folder held before the run "
                 f"(the previous gradebook is <code>{PREVIOUS_GRADEBOOK}</code>). Manual scores are never changed "
                 'by a regrade. <a href="report.html">Back to the grading report</a>.</p>')
    if not changes:
        parts.append("<p>No submission's score or status changed.</p>")
    else:
        rows = []
        for change in changes:
            row = _row(change)
            flips = "".join(f"<li>{esc(f.describe())}{' (hidden)' if f.hidden else ''}"
                            f"{' — ' + esc(f.description) if f.description else ''}</li>" for f in change.flips)
            rows.append([row[0], row[1], row[2],
                         Markup(esc(row[3]) or "—", change.score_before if change.before is not None else -1),
                         change.after.score, Markup(esc(row[5]) or "new", change.delta), row[7], row[8],
                         Markup(f"<ul>{flips}</ul>" if flips else "", len(change.flips))])
        parts.append(sortable_table("Submissions whose score or status changed (press a column's name to sort)",
                                    ["submission", "status before", "status after", "score before",
                                     "score after", "change", "why", "questions", "test cases flipped"], rows))
    parts.append("</main>")
    return page(title, "\n".join(parts) + "\n" + sorting_assets())


def feedback_note(before: SubmissionRecord | None, after: SubmissionRecord) -> str:
    """The line a student's feedback gains when a regrade moved their score ('' when it did not)."""
    if before is None or before.score == after.score:
        return ""
    why = ", ".join(reasons(before, after))
    return (f"**Changed since your last feedback:** your autograded score went from {before.score:g} to "
            f"{after.score:g} ({after.score - before.score:+g}; {why}).")
