"""Instructor report: OUT/report.html, self-contained, with plots and likely misconceptions.

A failing question is labelled with a misconception when its pattern of failed
test cases is exactly the pattern one of the assignment's mutants produces on
that question (patterns.py measures and matches them).
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
from collections import Counter, defaultdict
from pathlib import Path

from xentcore.files import atomic_write
from xentcore.mathhtml import page
from autograder.grading.runner import Autograder
from autograder.patterns import diagnose
from autograder.processes import can_fork
from autograder.results import QuestionScore, Status, SubmissionRecord


def _margins(figure, *, bottom: float = 0.55) -> None:
    """Fixed margins in inches (room for tick labels, axis labels and the title): as good as tight_layout
    for these simple plots, and it saves measuring every text, which was 40 % of the report's time."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(left=0.8 / width, right=1 - 0.2 / width, top=1 - 0.4 / height, bottom=bottom / height)


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode()


def _score_plot(rows: list[SubmissionRecord], graded: list[SubmissionRecord], autograder: Autograder, figure_class):
    from matplotlib.ticker import MaxNLocator

    fig = figure_class(figsize=(7, 3.2))
    ax = fig.add_subplot()
    ax.hist([r.score for r in rows], bins=min(20, max(5, int(autograder.max_score) + 1)),
            range=(0, autograder.max_score), color="#3b82f6", edgecolor="white")
    ax.set_xlabel("autograded score")
    ax.set_ylabel("submissions")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Score distribution ({len(rows)} submissions, max {autograder.max_score:g})")
    _margins(fig)
    return fig


def _question_plot(rows: list[SubmissionRecord], graded: list[SubmissionRecord], autograder: Autograder, figure_class):
    questions = autograder.questions
    fig = figure_class(figsize=(7, 3.2))
    ax = fig.add_subplot()
    means = [100 * sum(r.questions[q].score for r in graded) / max(1, len(graded))
             / max(autograder.max_points(q), 1e-9) for q in questions]
    ax.bar(questions, means, color="#059669")
    ax.set_ylim(0, 100)
    ax.set_ylabel("mean score (% of max)")
    ax.set_title("Mean score per question (gradable submissions)")
    _margins(fig, bottom=0.35)
    return fig


def _case_plot(rows: list[SubmissionRecord], graded: list[SubmissionRecord], autograder: Autograder, figure_class):
    cases = autograder.cases
    passed = Counter((c.question, c.index) for r in graded for c in r.cases if c.passed)
    fig = figure_class(figsize=(max(7, 0.28 * len(cases)), 3.6))
    ax = fig.add_subplot()
    labels = [f"{case.key}{'*' if case.hidden else ''}" for case in cases]
    ax.bar(range(len(cases)), [100 * passed[(case.question, case.index)] / max(1, len(graded)) for case in cases],
           color=["#d97706" if case.hidden else "#2563eb" for case in cases])
    ax.set_xticks(range(len(cases)), labels, rotation=90, fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_ylabel("pass rate (%)")
    ax.set_title("Pass rate per test case (* hidden)")
    _margins(fig, bottom=0.2 + 0.075 * max(map(len, labels), default=1))
    return fig


def _time_plot(rows: list[SubmissionRecord], graded: list[SubmissionRecord], autograder: Autograder, figure_class):
    fig = figure_class(figsize=(7, 3.2))
    ax = fig.add_subplot()
    ax.bar(range(len(rows)), [r.seconds for r in rows], color="#8c2f39")
    ax.set_xlabel("submission (gradebook order)")
    ax.set_ylabel("seconds")
    ax.set_title("Grading time per submission")
    _margins(fig)
    return fig


PLOTS = (("Score distribution", _score_plot), ("Mean score per question", _question_plot),
         ("Pass rate per test case", _case_plot), ("Time per submission", _time_plot))


def _render(makers, rows: list[SubmissionRecord], autograder: Autograder, figure_class) -> list[str]:
    """Each plot maker's figure as base64 PNG."""
    graded = [r for r in rows if r.graded]
    return [_png(make(rows, graded, autograder, figure_class)) for make in makers]


def _plots(rows: list[SubmissionRecord], autograder: Autograder) -> list[tuple[str, str]]:
    """The report's plots as (title, base64 PNG).

    Drawing is most of a small class's report time, and by now the grading workers are gone: with a
    second CPU, a forked child draws half the plots while this process draws the rest. Anything going
    wrong in the child only means this process draws those plots too.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # before the fork: imported once, not in both processes

    makers = [make for _, make in PLOTS]
    mine, theirs = makers[::2], makers[1::2]
    try:
        spare_cpu = len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        spare_cpu = False
    if not (spare_cpu and can_fork()):
        return [(title, png) for (title, _), png in zip(PLOTS, _render(makers, rows, autograder, Figure))]
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - measured by its output: the parent checks what arrives
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(json.dumps(_render(theirs, rows, autograder, Figure)).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    drawn = _render(mine, rows, autograder, Figure)
    with os.fdopen(read_end, "rb") as pipe:
        received = pipe.read()
    os.waitpid(child, 0)
    try:
        others = json.loads(received)
        if not (isinstance(others, list) and len(others) == len(theirs) and all(isinstance(p, str) for p in others)):
            raise ValueError("incomplete")
    except ValueError:
        others = _render(theirs, rows, autograder, Figure)
    pngs = [None] * len(makers)
    pngs[::2], pngs[1::2] = drawn, others
    return [(title, png) for (title, _), png in zip(PLOTS, pngs)]


def write_report(out: Path, rows: list[SubmissionRecord], autograder: Autograder, *, patterns: list[dict],
                 warnings: list[str]) -> Path:
    out = Path(out)
    esc = html.escape
    parts = [f"<h1>Grading report: {esc(autograder.name)}</h1>",
             f"<p>{len(rows)} submissions; maximum autograded score {autograder.max_score:g}. "
             "Plots and tables below are made from <code>gradebook.csv</code> and <code>results/</code>.</p>"]
    for warning in warnings:
        parts.append(f'<p class="warning"><strong>Warning:</strong> {esc(warning)}</p>')

    statuses = Counter(r.status.value for r in rows)
    parts.append("<h2>Statuses</h2><table><tr><th>status</th><th>submissions</th></tr>")
    parts += [f"<tr><td>{esc(s)}</td><td>{n}</td></tr>" for s, n in sorted(statuses.items())]
    parts.append("</table>")
    problems = [r for r in rows if r.status is not Status.OK]
    if problems:
        parts.append("<table><tr><th>submission</th><th>status</th><th>detail</th></tr>")
        parts += [f"<tr><td>{esc(r.submission)}</td><td>{esc(r.status.value)}</td>"
                  f"<td>{esc(r.detail)}</td></tr>" for r in problems]
        parts.append("</table>")

    parts.append("<h2>Plots</h2>")
    for title, png in _plots(rows, autograder):
        parts.append(f'<h3>{esc(title)}</h3><img class="plot" alt="{esc(title)}" src="data:image/png;base64,{png}">')

    diagnoses = {r.submission: diagnose(r, patterns) for r in rows if r.graded}
    parts.append("<h2>Likely misconceptions</h2>")
    if not patterns:
        parts.append("<p>No mutants with measured patterns for this assignment.</p>")
    counts: dict[str, Counter] = defaultdict(Counter)
    for labels in diagnoses.values():
        for question, label in labels.items():
            counts[question][" / ".join(label) or "unrecognised failure pattern"] += 1
    parts.append("<table><tr><th>question</th><th>likely misconception</th><th>students</th></tr>")
    for question in autograder.questions:
        for label, n in counts[question].most_common():
            parts.append(f"<tr><td>{esc(question)}</td><td>{esc(label)}</td><td>{n}</td></tr>")
    parts.append("</table>")

    header = "".join(f"<th>{esc(q)}</th>" for q in autograder.questions)
    parts.append(f"<h2>Submissions</h2><table><tr><th>submission</th><th>status</th><th>score</th>{header}</tr>")
    for row in rows:
        cells = []
        labels = diagnoses.get(row.submission, {})
        for question in autograder.questions:
            score = row.questions.get(question, QuestionScore(0.0, autograder.max_points(question)))
            note = f"<br><small>{esc(' / '.join(labels[question]))}</small>" if labels.get(question) else ""
            cells.append(f"<td>{score.score:g}/{score.max_score:g}{note}</td>")
        parts.append(f"<tr><td>{esc(row.submission)}</td><td>{esc(row.status.value)}</td>"
                     f"<td>{row.score:g}</td>{''.join(cells)}</tr>")
    parts.append("</table>")
    path = out / "report.html"
    atomic_write(path, page(f"Grading report: {autograder.name}", "\n".join(parts)))
    return path
