"""manual_scores.csv to and from the review database (`review --export-csv` / `--import-csv`).

The file has the packet's layout (one row per submission, question and rubric item). Export writes each
graded answer's item points (a point adjustment goes into the comment, with its reason); import validates the
whole file like `autograder gradebook --manual` and loads it in one transaction, or changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from autograder import project, results
from autograder.lms import packet_aliases, read_manual_scores
from autograder.master import load_master
from autograder.packet import SCORE_COLUMNS
from autograder.review.store import DB_FILE, Store
from xentcore.errors import InputFileError
from xentcore.files import atomic_write
from xentcore.safetext import csv_text


def _open(name: str, out: Path, root: Path):
    project.resolve_assignments(root, [name])
    master = load_master(project.master_path(root, name), name)
    records = results.load_all(Path(out), name)
    return master, records, Store.open(Path(out) / DB_FILE, assignment=name, master=master, records=records)


def export_csv(name: str, out: Path, *, root: Path = Path("."), path: Path | None = None) -> Path:
    """Write the database's grades as manual_scores.csv (OUT/manual_scores.csv unless *path*)."""
    master, records, store = _open(name, out, root)
    try:
        table = [SCORE_COLUMNS]
        groups = {}
        for question in store.questions():
            for group_id in store.order(question):
                group = store.group(group_id)
                for submission in group.submissions:
                    groups[(submission, question)] = group
        for record in records:
            for question in store.questions():
                group = groups.get((record.submission, question))
                rubric = store.rubric(question)
                for number, item in enumerate(rubric, start=1):
                    points, comment = "", ""
                    if group is not None and group.graded:
                        points = f"{item.points if item.id in group.items else 0:g}"
                        if number == 1:
                            comment = group.comment + (f" [adjustment {group.adjust:+g}: {group.reason}]"
                                                       if group.adjust else "")
                    table.append([record.submission, question, number, item.text, f"{item.points:g}", points, comment])
    finally:
        store.close()
    target = Path(path) if path else Path(out) / "manual_scores.csv"
    atomic_write(target, csv_text(table))
    return target


def import_csv(name: str, out: Path, csv_path: Path, *, root: Path = Path("."), grader: str = "csv-import") -> int:
    """Load a filled manual_scores.csv into the database in one transaction; returns how many answers.
    Items are matched by number to the database's rubric, which must still be the master's."""
    master, records, store = _open(name, out, root)
    try:
        for question in master.manual_questions:
            current = [(i.text, i.points) for i in store.rubric(question.name)]
            if current != [(i.text, i.points) for i in question.rubric]:
                raise InputFileError(f"{csv_path}: the rubric of {question.name} was edited in the review app, so "
                                     "the file's item numbers no longer match; grade in the app, or export a "
                                     "fresh file with `autograder review --export-csv` and fill that")
        by_name = {r.submission: r for r in records}
        scores = read_manual_scores(Path(csv_path), master, by_name, packet_aliases(Path(out)))
        grades = {}
        for (submission, question), items in scores.items():
            rubric = store.rubric(question)
            applied = [rubric[n - 1].id for n, p in items.items() if p > 0]
            full = sum(rubric[n - 1].points for n, p in items.items() if p > 0)
            grades[(submission, question)] = (applied, sum(items.values()) - full, "")
        return store.import_grades(grades, grader=grader)
    finally:
        store.close()
