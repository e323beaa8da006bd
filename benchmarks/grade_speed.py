"""Time `autograder grade` against Otter's own `otter run` on the same submissions, in one run.

1. Builds every assignment into a temporary folder (nothing in the checkout changes; the build also
   measures the mutant patterns the reports use, so that is not timed below).
2. Makes ``--count`` honest submissions (default 40), a round-robin mix of all assignments: for each its
   reference solution, blank student copy and mutants, cycled as needed.
3. Grades them with ``autograder grade NAME FOLDER -o OUT --workers N``, one command per assignment as an
   instructor runs it (start-up, worker processes and the instructor report included). Each command runs
   ``--repeat`` times (default 3, rounds interleaved, a fresh OUT each time, scores checked to agree) and
   its median time counts. Then grades the same files with ``otter run``, one at a time (as Otter is used
   without Docker). Prints seconds per submission for each, the ratio, and how many submissions the two
   score differently (should be 0).
4. Grades ``--scale`` copies (default 1,000) of one assignment (coin_mle: solution, blank copy and
   mutants, distinct file names) with one ``autograder grade`` command and checks the 3-minute target.

The report's share is taken from the files ``autograder grade`` writes, in order, after the last
submission: gradebook.csv, then mutant_patterns.json (copied from the build, or measured when missing),
then report.html; "without report" is the total minus the time from gradebook.csv to report.html.

    .venv/bin/python benchmarks/grade_speed.py [--count 40] [--scale 1000] [--workers 2] [--repeat 3]
                                               [--skip-otter] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder import project  # noqa: E402
from autograder.build import BuiltAssignment, build_assignments  # noqa: E402
from autograder.mutants import apply_variant, load_variants  # noqa: E402
from autograder.otter_run import otter_scores  # noqa: E402

TARGET_RATIO = 15.0
SCALE_ASSIGNMENT = "coin_mle"
SCALE_TARGET_SECONDS = 180.0


@dataclass(frozen=True)
class Item:
    """One submission: which assignment, which honest notebook (solution, blank or mutant slug), where."""
    assignment: str
    label: str
    path: Path


@dataclass
class GradeRun:
    """One `autograder grade` command: wall time, and its phases read from the files it wrote."""
    seconds: float
    first_result: float  # start until the first results/*.json (worker and zygote start-up + one grading)
    grading: float  # start until gradebook.csv: every submission graded and written
    patterns: float  # gradebook.csv until mutant_patterns.json: the report's mutants graded
    report: float  # gradebook.csv until report.html: mutant patterns, plots and HTML
    output: str

    @property
    def without_report(self) -> float:
        return self.seconds - self.report


# ---------------------------------------------------------------- submissions

def honest_notebooks(built: dict[str, BuiltAssignment]) -> dict[str, list[tuple[str, nbformat.NotebookNode]]]:
    """Per assignment: its reference solution, blank student copy and every mutant, in that order."""
    pool = {}
    for name, item in built.items():
        solution = nbformat.read(item.solution, as_version=4)
        notebooks = [("solution", solution), ("blank", nbformat.read(item.student, as_version=4))]
        for variant in load_variants(project.mutants_dir(ROOT, name), mutant=True):
            notebooks.append((variant.slug, apply_variant(solution, variant)))
        pool[name] = notebooks
    return pool


def mixed(pool: dict[str, list], count: int) -> list[tuple[str, str, nbformat.NotebookNode]]:
    """*count* notebooks, taking the next of each assignment in turn (each assignment's list cycled)."""
    cycles = {name: itertools.cycle(notebooks) for name, notebooks in pool.items()}
    turns = itertools.cycle(sorted(pool))
    return [(name, *next(cycles[name])) for name in itertools.islice(turns, count)]


def write_items(chosen, folder: Path, *, prefix: str = "") -> list[Item]:
    """Write each notebook to folder/<assignment>/<n>-<label>.ipynb; each copy's content differs a little."""
    items = []
    for n, (name, label, nb) in enumerate(chosen):
        copy = nbformat.from_dict(nb)
        copy.metadata["xent_benchmark"] = {"copy": n}  # distinct content per file, ignored by both graders
        path = folder / name / f"{prefix}{n:04d}-{label}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(copy, path)
        items.append(Item(name, label, path))
    return items


# ---------------------------------------------------------------- the two graders

def grade_with_otter(built, items: list[Item]) -> tuple[float, dict[Path, dict[str, float] | str], dict[str, float]]:
    """`otter run` on each submission in turn: total seconds, scores per question (or the error), and
    seconds per assignment."""
    scores: dict[Path, dict[str, float] | str] = {}
    per_assignment: dict[str, float] = {}
    start = time.perf_counter()
    for n, item in enumerate(items, 1):
        one = time.perf_counter()
        try:
            scores[item.path] = otter_scores(built[item.assignment].autograder, item.path, name=item.assignment)
        except Exception as exc:  # noqa: BLE001 - counted as a disagreement, the run goes on
            scores[item.path] = f"{type(exc).__name__}: {str(exc)[:200]}"
        per_assignment[item.assignment] = per_assignment.get(item.assignment, 0.0) + time.perf_counter() - one
        _status(f"otter run {n}/{len(items)}")
    seconds = time.perf_counter() - start
    _status("")
    return seconds, scores, per_assignment


def autograder_command() -> list[str]:
    script = Path(sys.executable).with_name("autograder")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "autograder.cli"]


def grade_with_autograder(name: str, folder: Path, out: Path, dist: Path, workers: int) -> GradeRun:
    """One `autograder grade` command, timed from outside; its phases from the mtimes of what it wrote."""
    command = autograder_command() + ["--root", str(ROOT), "grade", name, str(folder), "-o", str(out),
                                      "--dist", str(dist), "--workers", str(workers)]
    wall_start = time.time()
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"autograder grade {name} failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")

    def at(path: Path) -> float:
        return path.stat().st_mtime - wall_start

    results = [at(p) for p in (out / "results").glob("*.json")]
    gradebook = at(out / "gradebook.csv")
    patterns_file = out / "mutant_patterns.json"
    patterns = (at(patterns_file) - gradebook) if patterns_file.is_file() else 0.0
    return GradeRun(seconds=seconds, first_result=min(results), grading=gradebook, patterns=patterns,
                    report=at(out / "report.html") - gradebook, output=proc.stdout)


def autograder_scores(out: Path) -> dict[str, dict]:
    """Per submission name (file name without .ipynb): its results/*.json record."""
    rows = {}
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        names = [row["submission"] for row in csv.DictReader(handle)]
    for path in (out / "results").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        rows[record["submission"]] = record
    missing = set(names) - set(rows)
    if missing:
        raise SystemExit(f"{out}: no results for {', '.join(sorted(missing))}")
    return rows


def disagreements(items: list[Item], otter: dict, ours: dict[str, dict]) -> list[str]:
    """Submissions that `otter run` and `autograder grade` score differently (or that one failed)."""
    found = []
    for item in items:
        theirs, record = otter.get(item.path), ours.get(item.path.stem)
        if isinstance(theirs, str) or theirs is None:
            found.append(f"{item.path.name}: otter run failed ({theirs})")
            continue
        if record is None:
            found.append(f"{item.path.name}: no autograder grade result")
            continue
        mine = {q: s["score"] for q, s in record["questions"].items()}
        if record["status"] != "ok":
            found.append(f"{item.path.name}: autograder grade status {record['status']}: {record['detail']}")
        elif set(mine) != set(theirs) or any(abs(mine[q] - theirs[q]) > 1e-9 for q in mine):
            found.append(f"{item.path.name}: otter run {theirs} vs autograder grade {mine}")
    return found


# ---------------------------------------------------------------- the measurements

def compare(built, pool, work: Path, count: int, workers: int, skip_otter: bool, repeat: int = 1) -> dict:
    items = write_items(mixed(pool, count), work / "submissions")
    by_assignment = {name: [i for i in items if i.assignment == name] for name in sorted(pool)}
    print(f"{len(items)} submissions: " + ", ".join(f"{n} {name}" for name, n in
                                                      ((k, len(v)) for k, v in by_assignment.items()) if n))

    # Each command runs *repeat* times into a fresh OUT, the rounds interleaved (a noisy moment on the
    # machine then hits different assignments); a command's time is the median of its runs.
    chosen = {name: group for name, group in by_assignment.items() if group}
    every: dict[str, list[GradeRun]] = {name: [] for name in chosen}
    ours: dict[str, dict] = {}
    for round_ in range(repeat):
        for name in chosen:
            out = work / "out" / name / f"run-{round_ + 1}"
            every[name].append(grade_with_autograder(name, work / "submissions" / name, out, work / "dist",
                                                     workers))
            scores = autograder_scores(out)
            if round_ == 0:
                ours.update(scores)
            elif any(scores[key]["questions"] != ours[key]["questions"] for key in scores):
                raise SystemExit(f"autograder grade {name} scored differently in run {round_ + 1}")
    runs: dict[str, GradeRun] = {}
    for name, group in chosen.items():
        runs[name] = run = sorted(every[name], key=lambda r: r.seconds)[len(every[name]) // 2]
        times = ", ".join(f"{r.seconds:.1f}" for r in every[name])
        print(f"  autograder grade {name}: {len(group)} in {run.seconds:.1f} s (median of {times} s; first result "
              f"at {run.first_result:.1f} s, all graded at {run.grading:.1f} s, report {run.report:.1f} s of "
              f"which mutant patterns {run.patterns:.1f} s)")
    ours_total = sum(r.seconds for r in runs.values())
    ours_bare = sum(r.without_report for r in runs.values())

    result = {"count": len(items), "autograder_seconds": ours_total, "autograder_without_report": ours_bare,
              "runs": runs, "scores": {i.path.stem: ours[i.path.stem] for i in items}, "items": items}
    if skip_otter:
        return result
    otter_seconds, otter, per_assignment = grade_with_otter(built, items)
    print(f"  otter run: {len(items)} in {otter_seconds:.1f} s (" + ", ".join(
        f"{name} {per_assignment[name] / len(chosen):.2f}" for name, chosen in by_assignment.items() if chosen)
        + " s/submission)")
    otter_per_submission = {name: per_assignment[name] / len(chosen) for name, chosen in by_assignment.items()
                            if chosen}
    result.update(otter_seconds=otter_seconds, otter=otter, otter_per_submission=otter_per_submission,
                  disagreements=disagreements(items, otter, ours))
    return result


def scale(pool, work: Path, n: int, workers: int) -> dict:
    notebooks = pool[SCALE_ASSIGNMENT]
    chosen = [(SCALE_ASSIGNMENT, *nb) for nb in itertools.islice(itertools.cycle(notebooks), n)]
    items = write_items(chosen, work / "scale", prefix="s")
    out = work / "scale-out"
    print(f"{n} {SCALE_ASSIGNMENT} submissions ({len(notebooks)} distinct honest notebooks, cycled)")
    run = grade_with_autograder(SCALE_ASSIGNMENT, work / "scale" / SCALE_ASSIGNMENT, out, work / "dist", workers)
    records = autograder_scores(out)
    statuses: dict[str, int] = {}
    per_label: dict[str, set[float]] = {}
    for item in items:
        record = records[item.path.stem]
        statuses[record["status"]] = statuses.get(record["status"], 0) + 1
        per_label.setdefault(item.label, set()).add(record["score"])
    inconsistent = sorted(label for label, scores in per_label.items() if len(scores) > 1)
    grading = sorted(r["seconds"] for r in records.values())
    print(f"  autograder grade: {n} in {run.seconds:.1f} s (first result at {run.first_result:.1f} s, all graded "
          f"at {run.grading:.1f} s, report {run.report:.1f} s); grading time per submission (results/*.json): median "
          f"{grading[len(grading) // 2]:.3f} s, max {grading[-1]:.3f} s")
    return {"n": n, "run": run, "statuses": statuses, "inconsistent": inconsistent, "records": records,
            "items": items}


def _status(text: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{text:<40}", end="" if text else "\r", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40, help="submissions graded by both (default 40)")
    parser.add_argument("--scale", type=int, default=1000,
                        help=f"{SCALE_ASSIGNMENT} submissions for the scale run (default 1000; 0 skips it)")
    parser.add_argument("--workers", type=int, default=2, help="autograder grade --workers (default 2)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each autograder grade command; its median counts (default 3)")
    parser.add_argument("--skip-otter", action="store_true", help="time autograder grade only")
    parser.add_argument("--workdir", type=Path,
                        help="keep the build, submissions and outputs here (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.count < 1 or args.scale < 0 or args.workers < 1 or args.repeat < 1:
        parser.error("--count, --workers and --repeat must be at least 1, --scale at least 0")

    started = time.perf_counter()
    load_before = os.getloadavg()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="xent-grade-speed-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"machine: {os.cpu_count()} cores; load average {load_before[0]:.2f} at start; work folder {work}")
        t = time.perf_counter()
        built = {b.name: b for b in build_assignments(None, dist=work / "dist", root=ROOT,
                                                      solutions=work / "solutions", log=lambda message: None)}
        print(f"built {len(built)} assignments in {time.perf_counter() - t:.1f} s (not timed below)")
        pool = honest_notebooks(built)

        cmp = compare(built, pool, work, args.count, args.workers, args.skip_otter, args.repeat)
        big = scale(pool, work, args.scale, args.workers) if args.scale else None
        load_after = os.getloadavg()

        n = cmp["count"]
        ours, bare = cmp["autograder_seconds"] / n, cmp["autograder_without_report"] / n
        print()
        print("Summary")
        print(f"  machine: {os.cpu_count()} cores, --workers {args.workers}; load average {load_before[0]:.2f} "
              f"at start, {load_after[0]:.2f} at end (other work on the machine slows both graders)")
        print(f"  {n} submissions, {len({i.assignment for i in cmp['items']})} assignments")
        print(f"  autograder grade:  {ours:.3f} s/submission ({cmp['autograder_seconds']:.1f} s in "
              f"{len(cmp['runs'])} commands, each the median of {args.repeat} runs, instructor report included)")
        print(f"                     {bare:.3f} s/submission without the report "
              f"({cmp['autograder_without_report']:.1f} s)")
        if "otter_seconds" in cmp:
            theirs = cmp["otter_seconds"] / n
            ratio, ratio_bare = theirs / ours, theirs / bare
            print(f"  otter run:         {theirs:.3f} s/submission ({cmp['otter_seconds']:.1f} s, one at a time)")
            print(f"  ratio (otter run / autograder grade, per submission): {ratio:.1f}x with the report, {ratio_bare:.1f}x without; "
                  f"target {TARGET_RATIO:g}x: {'met' if ratio >= TARGET_RATIO else 'MISSED'}")
            print(f"  score disagreements: {len(cmp['disagreements'])}")
            for line in cmp["disagreements"][:20]:
                print(f"    {line}")
        if big is not None:
            run = big["run"]
            within = run.seconds <= SCALE_TARGET_SECONDS * big["n"] / 1000
            statuses = ", ".join(f"{v} {k}" for k, v in sorted(big["statuses"].items()))
            print(f"  {big['n']} {SCALE_ASSIGNMENT} submissions: {run.seconds:.1f} s "
                  f"({run.seconds / big['n']:.3f} s/submission; {run.without_report:.1f} s without the report); "
                  f"target {SCALE_TARGET_SECONDS * big['n'] / 1000:g} s: {'met' if within else 'MISSED'}; "
                  f"statuses: {statuses}")
            steady = (run.grading - run.first_result) / max(1, big["n"] - 1)
            otter_one = cmp.get("otter_per_submission", {}).get(SCALE_ASSIGNMENT)
            versus = f"; otter run on {SCALE_ASSIGNMENT} above: {otter_one / steady:.0f}x that" if otter_one else ""
            print(f"    once the workers are warm: {steady:.3f} s/submission{versus}")
            if big["inconsistent"]:
                print(f"    copies of the same notebook scored differently: {', '.join(big['inconsistent'])}")
        print(f"  whole benchmark: {time.perf_counter() - started:.0f} s")
        failed = bool(cmp.get("disagreements")) or bool(big and big["inconsistent"])
        return 1 if failed else 0
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
