"""Instructor report: OUT/report.html, self-contained, with plots and likely misconceptions.

A failing question is labelled with a misconception when its pattern of failed
test cases is exactly the pattern one of the assignment's mutants produces on
that question: the mutants are plausible mistakes whose docstrings name them.
The mutants' patterns are measured by grading them like any submission, once,
by `autograder build` (dist/<name>/autograder/mutant_patterns.json); a report
uses that file when it matches the autograder, solution and mutant files it
was made from, else measures them itself. Either way OUT/mutant_patterns.json
keeps a copy, so the report can be rebuilt from OUT alone.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat

from autograder import project
from xentcore.files import atomic_write
from xentcore.mathhtml import page
from autograder.mutants import Variant, apply_variant, load_variants
from autograder.runner import Autograder, Limits, Zygote, grade_notebook

UNGRADED = ("invalid-notebook", "wrong-assignment")


def _failed_keys(cases: list[dict], question: str) -> tuple[str, ...]:
    return tuple(sorted(f"{c['question']}.{c['index'] + 1}" for c in cases
                        if c["question"] == question and not c["passed"]))


def patterns_key(autograder: Autograder, solution: bytes, mutants: list[Variant]) -> str:
    """What the patterns depend on: the autograder zip, the reference solution and every mutant file."""
    digest = hashlib.sha256(autograder.sha256.encode() + solution)
    for mutant in mutants:
        digest.update(mutant.path.read_bytes())
    return digest.hexdigest()


def measure_mutant_patterns(autograder: Autograder, solution: nbformat.NotebookNode,
                            mutants: list[Variant]) -> list[dict]:
    """Grade each mutant (the solution with the mutant's answers) in a sandbox; what it fails, per question."""
    patterns = []
    with _one_cpu():
        zygote = Zygote()
        try:
            with tempfile.TemporaryDirectory(prefix="xent-mutants-") as tmp:
                for mutant in mutants:
                    notebook = Path(tmp) / f"{mutant.slug}.ipynb"
                    nbformat.write(apply_variant(solution, mutant), notebook)
                    result = grade_notebook(notebook, autograder, zygote, Limits(timeout=60, cell_timeout=20))
                    cases = [vars(c) for c in result.cases]
                    failed = {q: list(_failed_keys(cases, q)) for q in autograder.questions
                              if _failed_keys(cases, q)}
                    patterns.append({"slug": mutant.slug, "description": mutant.description, "failed": failed})
        finally:
            zygote.close()
    return patterns


def write_patterns(path: Path, key: str, patterns: list[dict]) -> None:
    atomic_write(Path(path), json.dumps({"key": key, "patterns": patterns}, indent=1) + "\n")


def _cached_patterns(path: Path, key: str) -> list[dict] | None:
    try:
        cached = json.loads(Path(path).read_text())
        if cached.get("key") == key and isinstance(cached["patterns"], list):
            return cached["patterns"]
    except (OSError, ValueError, KeyError, AttributeError):
        pass
    return None


def mutant_patterns(root: Path, name: str, autograder: Autograder, out: Path, *,
                    built: Path | None = None) -> list[dict]:
    """For each mutant: its description and the test cases it fails, per question.

    Taken from OUT's copy, else from *built* (the file `autograder build` wrote beside the zip), else
    measured now; only a file whose key matches the current zip, solution and mutants is used.
    """
    mutants = load_variants(project.mutants_dir(root, name), mutant=True)
    solution_file = project.solution_path(root, name)
    if not mutants or not solution_file.is_file():
        return []
    key = patterns_key(autograder, solution_file.read_bytes(), mutants)
    cache = Path(out) / project.PATTERNS_FILE
    patterns = _cached_patterns(cache, key)
    if patterns is not None:
        return patterns
    patterns = _cached_patterns(built, key) if built is not None else None
    if patterns is None:
        patterns = measure_mutant_patterns(autograder, nbformat.read(solution_file, as_version=4), mutants)
    write_patterns(cache, key, patterns)
    return patterns


@contextmanager
def _one_cpu() -> Iterator[None]:
    """Keep this thread, and the zygote and sandboxes it starts meanwhile, on the CPU it runs on.

    Grading the mutants one after the other is a conversation of hundreds of small requests per
    mutant between this process and a sandbox. Spread over two otherwise idle CPUs, every request
    wakes the other CPU, which costs more than the work (softmax_temperature, 2-core VM: 1.19 s per
    mutant spread, 0.52 s on one CPU). Nothing runs in parallel here, so one CPU loses nothing.
    The previous affinity is restored on the way out (the zygote must be closed inside).
    """
    allowed: set[int] = set()
    try:
        allowed = os.sched_getaffinity(0)
        if len(allowed) > 1:
            try:
                with open("/proc/thread-self/stat") as handle:
                    current = int(handle.read().rsplit(")", 1)[1].split()[36])
            except (OSError, ValueError, IndexError):
                current = -1
            os.sched_setaffinity(0, {current if current in allowed else min(allowed)})
        else:
            allowed = set()
    except (AttributeError, OSError):  # not Linux, or not allowed: run unpinned
        allowed = set()
    try:
        yield
    finally:
        if allowed:
            try:
                os.sched_setaffinity(0, allowed)
            except OSError:
                pass


def diagnose(row: dict, patterns: list[dict]) -> dict[str, str]:
    """Likely misconception per failing question of one result row ('' when no mutant matches)."""
    labels = {}
    for question, score in row["questions"].items():
        if score["score"] >= score["max_score"]:
            continue
        failed = list(_failed_keys(row.get("cases", []), question))
        matches = [p["description"] for p in patterns if p["failed"].get(question) == failed]
        labels[question] = " / ".join(dict.fromkeys(matches))
    return labels


def _margins(figure, *, bottom: float = 0.55) -> None:
    """Fixed margins in inches (room for tick labels, axis labels and the title): as good as tight_layout
    for these simple plots, and it saves measuring every text, which was 40 % of the report's time."""
    width, height = figure.get_size_inches()
    figure.subplots_adjust(left=0.8 / width, right=1 - 0.2 / width, top=1 - 0.4 / height, bottom=bottom / height)


def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode()


def _score_plot(rows: list[dict], graded: list[dict], autograder: Autograder, figure_class):
    from matplotlib.ticker import MaxNLocator

    fig = figure_class(figsize=(7, 3.2))
    ax = fig.add_subplot()
    ax.hist([r["score"] for r in rows], bins=min(20, max(5, int(autograder.max_score) + 1)),
            range=(0, autograder.max_score), color="#3b82f6", edgecolor="white")
    ax.set_xlabel("autograded score")
    ax.set_ylabel("submissions")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Score distribution ({len(rows)} submissions, max {autograder.max_score:g})")
    _margins(fig)
    return fig


def _question_plot(rows: list[dict], graded: list[dict], autograder: Autograder, figure_class):
    questions = autograder.questions
    fig = figure_class(figsize=(7, 3.2))
    ax = fig.add_subplot()
    means = [100 * sum(r["questions"][q]["score"] for r in graded) / max(1, len(graded))
             / max(autograder.max_points(q), 1e-9) for q in questions]
    ax.bar(questions, means, color="#059669")
    ax.set_ylim(0, 100)
    ax.set_ylabel("mean score (% of max)")
    ax.set_title("Mean score per question (gradable submissions)")
    _margins(fig, bottom=0.35)
    return fig


def _case_plot(rows: list[dict], graded: list[dict], autograder: Autograder, figure_class):
    cases = autograder.cases
    passed = Counter((c["question"], c["index"]) for r in graded for c in r.get("cases", []) if c["passed"])
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


def _time_plot(rows: list[dict], graded: list[dict], autograder: Autograder, figure_class):
    fig = figure_class(figsize=(7, 3.2))
    ax = fig.add_subplot()
    ax.bar(range(len(rows)), [r.get("seconds", 0.0) for r in rows], color="#8c2f39")
    ax.set_xlabel("submission (gradebook order)")
    ax.set_ylabel("seconds")
    ax.set_title("Grading time per submission")
    _margins(fig)
    return fig


PLOTS = (("Score distribution", _score_plot), ("Mean score per question", _question_plot),
         ("Pass rate per test case", _case_plot), ("Time per submission", _time_plot))


def _render(makers, rows: list[dict], autograder: Autograder, figure_class) -> list[str]:
    """Each plot maker's figure as base64 PNG."""
    graded = [r for r in rows if r["status"] not in UNGRADED]
    return [_png(make(rows, graded, autograder, figure_class)) for make in makers]


def _plots(rows: list[dict], autograder: Autograder) -> list[tuple[str, str]]:
    """The report's plots as (title, base64 PNG).

    Drawing is most of a small class's report time, and by now the grading workers are gone: with a
    second CPU, a forked child draws half the plots while this process draws the rest. Anything going
    wrong in the child only means this process draws those plots too.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # before the fork: imported once, not in both processes

    from autograder.grade import can_fork

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


def write_report(out: Path, rows: list[dict], autograder: Autograder, *, patterns: list[dict],
                 warnings: list[str]) -> Path:
    out = Path(out)
    esc = html.escape
    parts = [f"<h1>Grading report: {esc(autograder.name)}</h1>",
             f"<p>{len(rows)} submissions; maximum autograded score {autograder.max_score:g}. "
             "Plots and tables below are made from <code>gradebook.csv</code> and <code>results/</code>.</p>"]
    for warning in warnings:
        parts.append(f'<p class="warning"><strong>Warning:</strong> {esc(warning)}</p>')

    statuses = Counter(r["status"] for r in rows)
    parts.append("<h2>Statuses</h2><table><tr><th>status</th><th>submissions</th></tr>")
    parts += [f"<tr><td>{esc(s)}</td><td>{n}</td></tr>" for s, n in sorted(statuses.items())]
    parts.append("</table>")
    problems = [r for r in rows if r["status"] != "ok"]
    if problems:
        parts.append("<table><tr><th>submission</th><th>status</th><th>detail</th></tr>")
        parts += [f"<tr><td>{esc(r['submission'])}</td><td>{esc(r['status'])}</td>"
                  f"<td>{esc(r.get('detail') or '')}</td></tr>" for r in problems]
        parts.append("</table>")

    parts.append("<h2>Plots</h2>")
    for title, png in _plots(rows, autograder):
        parts.append(f'<h3>{esc(title)}</h3><img class="plot" alt="{esc(title)}" src="data:image/png;base64,{png}">')

    diagnoses = {r["submission"]: diagnose(r, patterns) for r in rows if r["status"] not in UNGRADED}
    parts.append("<h2>Likely misconceptions</h2>")
    if not patterns:
        parts.append("<p>No mutants with measured patterns for this assignment.</p>")
    counts: dict[str, Counter] = defaultdict(Counter)
    for labels in diagnoses.values():
        for question, label in labels.items():
            counts[question][label or "unrecognised failure pattern"] += 1
    parts.append("<table><tr><th>question</th><th>likely misconception</th><th>students</th></tr>")
    for question in autograder.questions:
        for label, n in counts[question].most_common():
            parts.append(f"<tr><td>{esc(question)}</td><td>{esc(label)}</td><td>{n}</td></tr>")
    parts.append("</table>")

    header = "".join(f"<th>{esc(q)}</th>" for q in autograder.questions)
    parts.append(f"<h2>Submissions</h2><table><tr><th>submission</th><th>status</th><th>score</th>{header}</tr>")
    for row in rows:
        cells = []
        labels = diagnoses.get(row["submission"], {})
        for question in autograder.questions:
            score = row["questions"].get(question, {"score": 0.0, "max_score": autograder.max_points(question)})
            note = f"<br><small>{esc(labels[question])}</small>" if labels.get(question) else ""
            cells.append(f"<td>{score['score']:g}/{score['max_score']:g}{note}</td>")
        parts.append(f"<tr><td>{esc(row['submission'])}</td><td>{esc(row['status'])}</td>"
                     f"<td>{row['score']:g}</td>{''.join(cells)}</tr>")
    parts.append("</table>")
    path = out / "report.html"
    atomic_write(path, page(f"Grading report: {autograder.name}", "\n".join(parts)))
    return path
