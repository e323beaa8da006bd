"""Grading packet for written answers: one HTML page per manual question, and manual_scores.csv.

Each page shows every student's answer (Markdown + LaTeX rendered to HTML and
MathML: offline, no script) beside the model answer and rubric. Graders fill
OUT/manual_scores.csv, one row per submission, question and rubric item; an
existing file keeps every filled-in value when the packet is made again.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from autograder.variantdraw import numbers_line, unfilled
from autograder import project, results
from xentcore.errors import UsageError
from xentcore.files import atomic_write
from autograder.master import RUBRIC_HEADING, Master, Question, load_master
from autograder.results import SubmissionRecord
from xentcore.mathhtml import page, render
from xentcore.safetext import csv_records, csv_text

SCORE_COLUMNS = ["submission", "question", "item", "rubric_item", "max_points", "points", "comment"]
KEY_FILE = "packet_key.csv"


@dataclass(frozen=True)
class Packet:
    pages: list[Path]
    scores: Path
    key: Path | None

    def describe(self) -> str:
        lines = [f"packet page: {p}" for p in self.pages]
        lines.append(f"manual scores to fill: {self.scores}")
        if self.key:
            lines.append(f"anonymisation key (keep away from graders): {self.key}")
        return "\n".join(lines)


def make_packet(name: str, out: Path, *, root: Path = Path("."), anonymise: bool = False) -> Packet:
    """Write OUT/packet/<question>.html for every manual question and OUT/manual_scores.csv."""
    project.resolve_assignments(root, [name])
    master = load_master(project.master_path(root, name), name)
    if not master.manual_questions:
        raise UsageError(f"assignment {name} has no manual (written) questions; nothing to grade by hand")
    out = Path(out)
    rows = results.load_all(out, name)
    aliases = {r.submission: (f"student-{i + 1:03d}" if anonymise else r.submission) for i, r in enumerate(rows)}
    pages = []
    for question in master.manual_questions:
        pages.append(_write_page(out, master, question, rows, aliases))
    scores = _write_scores(out, master, rows, aliases)
    key = None
    if anonymise:
        key = out / KEY_FILE
        atomic_write(key, csv_text([["alias", "submission"], *sorted((alias, sub) for sub, alias in aliases.items())]))
    elif (out / KEY_FILE).exists():
        (out / KEY_FILE).unlink()
    return Packet(pages=pages, scores=scores, key=key)


def without_rubric(markdown: str) -> str:
    lines = markdown.splitlines()
    cut = next((i for i, line in enumerate(lines) if RUBRIC_HEADING.match(line)), len(lines))
    return "\n".join(lines[:cut])


def _write_page(out: Path, master: Master, question: Question, rows: list[SubmissionRecord], aliases: dict[str, str]) -> Path:
    esc = html.escape
    rubric = "".join(f"<li><strong>[{item.points:g}]</strong> {render(item.text).strip()[3:-4]}"
                     + (f'<br><span class="accept"><em>Accept as equivalent:</em> '
                        f"{render(item.accept).strip()[3:-4]}</span>" if item.accept else "")
                     + "</li>"
                     for item in question.rubric)
    model = f'<div class="model"><h2>Model answer and rubric</h2>' \
            f'{render(unfilled(without_rubric(question.model_answer)))}' \
            f"<h3>Rubric ({question.points:g} points)</h3><ol>{rubric}</ol></div>"
    answers = []
    for row in rows:
        text = (row.manual_answers or {}).get(question.name, "")
        body = render(text) if text.strip() else "<p><em>No answer written.</em></p>"
        numbers = f'<p class="numbers">Numbers: <code>{esc(numbers_line(row.params))}</code></p>' if row.params else ""
        answers.append(f'<section class="answer" id="{esc(aliases[row.submission])}">'
                       f"<h3>{esc(aliases[row.submission])}</h3>{numbers}{body}</section>")
    style = ("<style>.grid{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5rem}"
             ".side{position:sticky;top:1rem;align-self:start;max-height:95vh;overflow:auto}"
             ".answer{margin-bottom:1rem}</style>")
    body = (f"{style}<h1>{esc(master.name)} — {esc(question.name)} (written answer)</h1>"
            f"<div>{render(unfilled(question.prompt))}</div>"
            f'<div class="grid"><div>{"".join(answers)}</div>'
            # scrollable on its own: focusable so a keyboard user can scroll it (axe: scrollable-region-focusable)
            f'<div class="side" tabindex="0" role="region" aria-label="Model answer and rubric">{model}</div></div>')
    path = out / "packet" / f"{question.name}.html"
    atomic_write(path, page(f"{master.name} {question.name} grading packet", body))
    return path


def _write_scores(out: Path, master: Master, rows: list[SubmissionRecord], aliases: dict[str, str]) -> Path:
    path = out / "manual_scores.csv"
    kept: dict[tuple[str, str, str], tuple[str, str]] = {}
    if path.is_file():
        with path.open(newline="", encoding="utf-8") as handle:
            for record in csv_records(handle):
                key = (record.get("submission", ""), record.get("question", ""), record.get("item", ""))
                kept[key] = (record.get("points", "") or "", record.get("comment", "") or "")
    table = [SCORE_COLUMNS]
    for row in rows:
        alias = aliases[row.submission]
        for question in master.manual_questions:
            for number, item in enumerate(question.rubric, start=1):
                points, comment = kept.get((alias, question.name, str(number)), ("", ""))
                table.append([alias, question.name, number, item.text, f"{item.points:g}", points, comment])
    atomic_write(path, csv_text(table))
    return path
