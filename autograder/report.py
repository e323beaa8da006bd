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
from xentcore.tables import Markup, sortable_table, sorting_assets
from autograder.grading.runner import Autograder
from autograder.integrity import SHOWN_SOURCES, Integrity
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


PLOTS = (("Score distribution", _score_plot), ("Mean score per question", _question_plot),
         ("Pass rate per test case", _case_plot))


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


def _bins(rows: list[SubmissionRecord], autograder: Autograder) -> list[tuple[float, float, int]]:
    """The score histogram's bins as (from, to, submissions): what the first plot draws, as numbers."""
    import numpy as np

    counts, edges = np.histogram([r.score for r in rows], bins=min(20, max(5, int(autograder.max_score) + 1)),
                                 range=(0, autograder.max_score))
    return [(float(edges[i]), float(edges[i + 1]), int(n)) for i, n in enumerate(counts)]


def _plot_data(title: str, rows: list[SubmissionRecord], autograder: Autograder) -> str:
    """The numbers a plot shows, as a table beside it (for screen readers, and to sort)."""
    graded = [r for r in rows if r.graded]
    if title == "Score distribution":
        return sortable_table(f"{title}: the numbers", ["autograded score", "submissions"],
                              [[Markup(f"{a:.3g} to {b:.3g}", a), float(n)] for a, b, n in _bins(rows, autograder)],
                              row_header=False)
    if title == "Mean score per question":
        data = [[q, 100 * sum(r.questions[q].score for r in graded if q in r.questions) / max(1, len(graded))
                 / max(autograder.max_points(q), 1e-9)] for q in autograder.questions]
        return sortable_table(f"{title}: the numbers", ["question", "mean score (% of max)"],
                              [[q, float(round(v, 1))] for q, v in data])
    passed = Counter((c.question, c.index) for r in graded for c in r.cases if c.passed)
    return sortable_table(f"{title}: the numbers", ["test case", "hidden", "pass rate (%)"],
                          [[case.key, "yes" if case.hidden else "no",
                            float(round(100 * passed[(case.question, case.index)] / max(1, len(graded)), 1))]
                           for case in autograder.cases])


def _time_table(rows: list[SubmissionRecord]) -> str:
    """Grading time per submission, slowest first, a bar per row (the bar is drawn, the number is text)."""
    longest = max((r.seconds for r in rows), default=0.0) or 1.0
    ordered = sorted(rows, key=lambda r: (-r.seconds, r.submission))
    body = [[r.submission, Markup(f'<span class="bar" style="width:{120 * r.seconds / longest:.0f}px" '
                                  f'aria-hidden="true"></span>{r.seconds:.2f}', r.seconds), r.status.value]
            for r in ordered]
    return sortable_table("Grading time per submission, slowest first (seconds)",
                          ["submission", "seconds", "status"], body)


def no_answer(record: SubmissionRecord, question: str) -> bool:
    """Whether *question* looks unanswered: it has test cases and every one of them failed."""
    cases = [c for c in record.cases if c.question == question]
    return bool(cases) and not any(c.passed for c in cases)


NO_ANSWER = "no answer (every test failed)"
UNRECOGNISED = "unrecognised failure pattern"


def _labels(record: SubmissionRecord, question: str, labels: dict[str, list[str]]) -> tuple[str, ...]:
    if question not in labels:
        return ()
    if labels[question]:
        return tuple(labels[question])
    return (NO_ANSWER,) if no_answer(record, question) else (UNRECOGNISED,)


def _label_list(labels: tuple[str, ...]) -> str:
    esc = html.escape
    if len(labels) == 1:
        return esc(labels[0])
    return '<ul class="labels">' + "".join(f"<li>{esc(label)}</li>" for label in labels) + "</ul>"


def crashed_after_full_marks(record: SubmissionRecord) -> bool:
    """A submission stopped by a later cell (crash, timeout, memory) whose every question earned full marks."""
    return (record.status in (Status.CRASHED, Status.TIMEOUT, Status.MEMORY) and record.max_score > 0
            and record.score >= record.max_score)


def problem_detail(record: SubmissionRecord) -> str:
    if crashed_after_full_marks(record):
        cells = ", ".join(str(c.index + 1) for c in record.cells if c.status not in ("ok", "skipped"))
        where = f" (notebook cell {cells})" if cells else ""
        return (f"Every question earned full marks; a later cell{where} then stopped ({record.status.value}), "
                f"which cost no points. {record.detail}").strip()
    return record.detail


def _identity_text(record: SubmissionRecord) -> str:
    """How a submission graded with a roster was matched to its student, and what its variant tag said."""
    if record.status is Status.UNKNOWN_STUDENT:
        return record.detail
    how = record.identity.get("how", "")
    claimed, tag = record.identity.get("claimed", ""), record.identity.get("tag", "")
    text = f"matched by its {how}" if how else "matched"
    if claimed and claimed != record.student:
        text += f"; the notebook carries student {claimed}'s variant tag ({tag})"
    elif tag == "invalid":
        text += "; its variant tag fails its check (edited, or another key)"
    return text + "; graded on the student's own numbers"


def _integrity_section(integrity: Integrity | None) -> list[str]:
    """The integrity findings (integrity.py) with their evidence; every student-made text escaped."""
    esc = html.escape
    parts = ['<h2 id="integrity">Integrity</h2>']
    if integrity is None:
        return parts + ["<p>The integrity checks did not run for this report.</p>"]
    checked = [what for what, done in (("answers that are right for another student's variant",
                                        integrity.checked_variants),
                                       ("near-identical code cells across submissions", integrity.checked_code))
               if done]
    parts.append(f"<p>Checked: {esc(' and '.join(checked) or 'nothing')}. A finding is a reason to look, not "
                 "proof: read the evidence. The same findings are in <code>integrity.csv</code>.</p>")
    for note in integrity.notes[:20]:
        parts.append(f'<p class="warning">{esc(note)}</p>')
    if integrity.empty:
        parts.append("<p>Nothing found: no submission holds another variant's answer instead of its own, and no "
                     "two submissions have near-identical code.</p>")
        return parts
    if integrity.variant_findings:
        parts.append("<h3>Answers of another student's variant</h3>")
        rows = []
        for f in integrity.variant_findings:
            shown = ", ".join(f.sources[:SHOWN_SOURCES])
            more = f" and {len(f.sources) - SHOWN_SOURCES} more" if len(f.sources) > SHOWN_SOURCES else ""
            rows.append([f.student, f.submission, f.name, f.value, f.own_answer, f"{shown}{more} ({f.source_params})",
                         float(f.shared_by), ", ".join(f.handed_in_by) or "no one", f.sentence()])
        parts.append(sortable_table("Values that are another variant's answer and not the student's own, rarest "
                                    "first", ["student", "submission", "name", "value handed in",
                                              "answer for own variant", "variant(s) it answers",
                                              "variants with this answer", "handed in by those students",
                                              "evidence"], rows))
    if integrity.code_findings:
        parts.append("<h3>Near-identical code</h3>")
        rows = []
        for f in integrity.code_findings:
            evidence = "".join(
                f'<div class="cell-match"><p>cell {m.cell_a} and cell {m.cell_b}: {m.similarity:.0%} alike</p>'
                f'<pre class="cell">{esc(m.source_a)}</pre><pre class="cell">{esc(m.source_b)}</pre></div>' for m in f.cells[:5])
            more = f"<p>and {len(f.cells) - 5} more cell pairs</p>" if len(f.cells) > 5 else ""
            rows.append([f.submission_a, f.submission_b, f"{f.student_a}, {f.student_b}",
                         Markup(f"{f.similarity:.0%}", f.similarity), float(f.shared),
                         Markup(evidence + more or "<p>similar throughout, no one cell alike enough alone</p>",
                                len(f.cells))])
        parts.append(sortable_table("Pairs of submissions with near-identical code, most alike first",
                                    ["submission", "other submission", "students", "similarity",
                                     "shared fingerprints", "matching cells (first, then second submission)"],
                                    rows))
    return parts


def write_report(out: Path, rows: list[SubmissionRecord], autograder: Autograder, *, patterns: list[dict],
                 warnings: list[str], regrade: str | None = None, integrity: Integrity | None = None) -> Path:
    """OUT/report.html; *regrade* names the regrade report beside it (linked at the top) when there is one;
    *integrity*: the integrity findings (integrity.check_integrity), a section of their own when given."""
    out = Path(out)
    esc = html.escape
    parts = [f"<main><h1>Grading report: {esc(autograder.name)}</h1>",
             f"<p>{len(rows)} submissions; maximum autograded score {autograder.max_score:g}. "
             "Plots and tables below are made from <code>gradebook.csv</code> and <code>results/</code>; "
             "press a column's name to sort a table.</p>"]
    if regrade:
        parts.append(f'<p class="regrade"><a href="{esc(regrade)}">Regrade report</a>: whose score or status '
                     "changed in this run, by how much, on which test case, and why.</p>")
    for warning in warnings:
        parts.append(f'<p class="warning"><strong>Warning:</strong> {esc(warning)}</p>')

    statuses = Counter(r.status.value for r in rows)
    parts.append("<h2>Statuses</h2>")
    parts.append(sortable_table("Submissions per status", ["status", "submissions"],
                                [[s, float(n)] for s, n in sorted(statuses.items())]))
    problems = [r for r in rows if r.status is not Status.OK]
    if problems:
        parts.append(sortable_table("Submissions that did not run normally", ["submission", "status", "detail"],
                                    [[r.submission, r.status.value, problem_detail(r)] for r in problems]))
    flagged = [r for r in rows if r.flags or r.status is Status.UNKNOWN_STUDENT]
    if flagged:
        parts.append('<h3 id="variants">Students and variants</h3>')
        parts.append(sortable_table("Submissions whose student or variant needs a look (graded with a roster)",
                                    ["submission", "student", "status", "flags", "what was found"],
                                    [[r.submission, r.student or "—", r.status.value, " ".join(r.flags) or "—",
                                      _identity_text(r)] for r in flagged]))

    parts.append("<h2>Plots</h2>")
    for title, png in _plots(rows, autograder):
        parts.append(f'<h3>{esc(title)}</h3><div class="plot-with-data"><img class="plot" alt="{esc(title)} '
                     f'(its numbers are in the table beside it)" src="data:image/png;base64,{png}">'
                     f"{_plot_data(title, rows, autograder)}</div>")
    parts.append(f"<h3>Time per submission</h3>{_time_table(rows)}")

    diagnoses = {r.submission: diagnose(r, patterns) for r in rows if r.graded}
    labelled = {r.submission: {q: _labels(r, q, diagnoses[r.submission]) for q in autograder.questions}
                for r in rows if r.graded}
    parts.append("<h2>Likely misconceptions</h2>")
    if not patterns:
        parts.append("<p>No mutants with measured patterns for this assignment.</p>")
    counts: dict[str, Counter] = defaultdict(Counter)
    for by_question in labelled.values():
        for question, labels in by_question.items():
            if labels:
                counts[question][labels] += 1
    table = [[question, Markup(_label_list(labels), "; ".join(labels)), float(n)]
             for question in autograder.questions for labels, n in counts[question].most_common()]
    parts.append(sortable_table("Likely misconceptions per question (one row per answer pattern)",
                                ["question", "likely misconception", "students"], table, row_header=False))

    body = []
    for row in rows:
        cells = []
        for question in autograder.questions:
            score = row.questions.get(question, QuestionScore(0.0, autograder.max_points(question)))
            labels = labelled.get(row.submission, {}).get(question, ())
            note = f"<small>{_label_list(labels)}</small>" if labels else ""
            cells.append(Markup(f"{score.score:g}/{score.max_score:g}{'<br>' if labels and len(labels) == 1 else ''}"
                                f"{note}", score.score))
        body.append([row.submission, row.status.value, float(row.score), *cells])
    parts.append("<h2>Submissions</h2>")
    parts.append(sortable_table("Every submission's scores", ["submission", "status", "score",
                                                             *autograder.questions], body))
    if integrity is not None:
        parts += _integrity_section(integrity)
    parts.append("</main>")
    path = out / "report.html"
    atomic_write(path, page(f"Grading report: {autograder.name}", "\n".join(parts) + "\n" + sorting_assets()))
    return path
