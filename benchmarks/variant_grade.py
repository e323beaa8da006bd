"""Grading cost per submission with per-student variants against without, side by side in one run.

The baseline. "Without variants" is the same assignment and the same notebook files graded as they are
without a roster: every submission on the canonical variant (one set of numbers for the class), which is
what a single-variant assignment costs. The code path from before variants cannot be the baseline: coin_mle's
tests now read PARAMS, and another assignment would time other tests. So the difference is exactly what
per-student variants add to a submission: finding its owner (file name, variant tag HMAC), drawing the
owner's parameters (HMAC seed, generate/check), and grading on the owner's numbers (5 to 12 flips instead
of the canonical 5).

Submissions: ``--count`` (default 40) roster students of coin_mle, each with their own personal notebook
(the reference solution or one of the mutants, cycled), personalised with their parameters and variant tag,
written as SUBS/<id>.ipynb.

1. In this process, one zygote: each submission graded by ``runner.grade_notebook`` on the canonical
   variant and, for "variants", identified and graded on its owner's parameters; the two alternate per
   submission (ABBA order) and every submission runs ``--rounds`` times (default 3). Printed: seconds per
   submission each way and the ratio (goal: at most 1.10).
2. End to end: ``autograder grade coin_mle SUBS -o OUT`` against the same command with ``--roster R
   --key-file K``, alternating, ``--rounds`` times, median. Printed the same way.
Checked: graded on the owner's numbers, every reference solution earns full marks and every mutant loses
marks on the questions it names.

    .venv/bin/python benchmarks/variant_grade.py [--count 40] [--rounds 3] [--workers 2]
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAME = "coin_mle"
TARGET_RATIO = 1.10


def command() -> list[str]:
    script = Path(sys.executable).with_name("autograder")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "autograder.cli"]


def make_submissions(work: Path, count: int):
    import nbformat

    from autograder import project, variantdraw, variants
    from autograder.build import build_assignments
    from autograder.mutants import apply_variant, load_variants

    env_cache = os.environ.pop("XENT_VALIDITY_CACHE", None)
    try:  # the proof is not what this measures: one variant is enough to build
        built = build_assignments([NAME], dist=work / "dist", root=ROOT, solutions=work / "solutions",
                                  log=lambda message: None, validity_variants=1)[0]
    finally:
        if env_cache is not None:
            os.environ["XENT_VALIDITY_CACHE"] = env_cache
    solution = nbformat.read(built.solution, as_version=4)
    mutants = load_variants(project.mutants_dir(ROOT, NAME), mutant=True)
    pool = [("solution", (), solution)] + [(m.slug, m.loses, apply_variant(solution, m)) for m in mutants]
    key = b"benchmark-key-" + b"0" * 32
    (work / "course.key").write_bytes(key + b"\n")
    ids = [f"s{2000000 + 104729 * n % 7000000:07d}" for n in range(count)]
    with open(work / "roster.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id"]] + [[sid] for sid in ids])
    spec = variants.load_spec(ROOT / "assignments" / NAME, NAME)
    items = []
    for n, sid in enumerate(ids):
        label, loses, template = pool[n % len(pool)]
        nb = copy.deepcopy(template)
        variants.personalise(nb, spec.params_for(key, sid), assignment=NAME, student=sid,
                             tag=variantdraw.tag(key, NAME, sid))
        path = work / "subs" / f"{sid}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        items.append((sid, label, loses, path))
    return built, key, items


def in_process(built, key: bytes, items, rounds: int) -> dict:
    from autograder import variants
    from autograder.grading.runner import Limits, Zygote, grade_notebook, load_autograder, read_submission
    from autograder.processes import one_cpu

    autograder = load_autograder(built.autograder, NAME)
    roster = variants.read_roster(Path(items[0][3]).parents[1] / "roster.csv")
    limits = Limits()
    times = {"canonical": 0.0, "variants": 0.0}
    own_records = {}

    def canonical(path: Path):
        return grade_notebook(path, autograder, zygote, limits)

    def own(path: Path):
        nb, rejected = read_submission(path, autograder)
        identity = variants.identify(path, nb.metadata, roster, key, NAME)
        params = autograder.variant.params_for(key, identity.student.id)
        return grade_notebook(path, autograder, zygote, limits, params=params, nb=nb)

    with one_cpu():
        zygote = Zygote()
        try:
            canonical(items[0][3]), own(items[0][3])  # warm both paths
            for round_ in range(rounds):
                for n, (sid, label, loses, path) in enumerate(items):
                    order = (("canonical", canonical), ("variants", own))
                    if (n + round_) % 2:
                        order = order[::-1]
                    for kind, grade in order:
                        start = time.perf_counter()
                        record = grade(path)
                        times[kind] += time.perf_counter() - start
                        if kind == "variants":
                            own_records[sid] = record
        finally:
            zygote.close()
    return {"times": times, "records": own_records, "gradings": rounds * len(items)}


def check(autograder_maxima: dict, items, records: dict) -> list[str]:
    problems = []
    for sid, label, loses, _ in items:
        scores = records[sid]
        if label == "solution" and any(scores[q] < m for q, m in autograder_maxima.items()):
            problems.append(f"{sid} (solution) lost marks on its own numbers: {scores}")
        for question in loses:
            if scores[question] >= autograder_maxima[question]:
                problems.append(f"{sid} (mutant {label}) kept full marks on {question}")
    return problems


def end_to_end(built, work: Path, rounds: int, workers: int) -> dict:
    dist = built.autograder.parents[2]
    times = {"canonical": [], "variants": []}
    scores = {}
    for round_ in range(rounds):
        for kind in (("canonical", "variants") if round_ % 2 == 0 else ("variants", "canonical")):
            out = work / f"out-{kind}-{round_}"
            extra = ["--roster", str(work / "roster.csv"), "--key-file", str(work / "course.key")] \
                if kind == "variants" else []
            start = time.perf_counter()
            proc = subprocess.run(command() + ["--root", str(ROOT), "grade", NAME, str(work / "subs"), "-o", str(out),
                                               "--dist", str(dist), "--workers", str(workers)] + extra,
                                  cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL)
            seconds = time.perf_counter() - start
            if proc.returncode != 0:
                raise SystemExit(f"autograder grade ({kind}) failed:\n{proc.stderr[-3000:]}")
            times[kind].append(seconds)
            if kind == "variants" and round_ == 0:
                for path in (out / "results").glob("*.json"):
                    record = json.loads(path.read_text(encoding="utf-8"))
                    scores[record["submission"]] = {q: s["score"] for q, s in record["questions"].items()}
            print(f"  round {round_ + 1}, {kind:9}: {seconds:.1f} s")
            shutil.rmtree(out, ignore_errors=True)
    return {"times": times, "scores": scores}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="xent-variant-grade-"))
    load = os.getloadavg()[0]
    try:
        print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at start")
        built, key, items = make_submissions(work, args.count)
        print(f"{len(items)} personal submissions of {NAME} (solution and {len({i[1] for i in items}) - 1} mutants)")
        print("1. in this process: grade_notebook on the canonical variant vs identified, on the owner's numbers")
        inner = in_process(built, key, items, args.rounds)
        from autograder.grading.runner import load_autograder

        maxima = load_autograder(built.autograder, NAME).maxima
        problems = check(maxima, items, {sid: {q: s.score for q, s in r.questions.items()}
                                         for sid, r in inner["records"].items()})
        print(f"2. end to end: autograder grade {NAME} (--workers {args.workers}) without vs with --roster --key-file")
        outer = end_to_end(built, work, args.rounds, args.workers)
        problems += check(maxima, items, outer["scores"])
        n = inner["gradings"]
        a, b = inner["times"]["canonical"] / n, inner["times"]["variants"] / n
        c, v = statistics.median(outer["times"]["canonical"]), statistics.median(outer["times"]["variants"])
        print()
        print("Summary")
        print(f"  machine: {os.cpu_count()} cores; load average {load:.2f} at start, {os.getloadavg()[0]:.2f} at end")
        print(f"  grade_notebook, {n} gradings each way: canonical {1000 * a:.1f} ms/submission, own variant "
              f"{1000 * b:.1f} ms/submission: ratio {b / a:.3f} (goal <= {TARGET_RATIO:.2f}: "
              f"{'met' if b / a <= TARGET_RATIO else 'MISSED'})")
        print(f"  autograder grade, {len(items)} submissions (median of {args.rounds}): without roster {c:.1f} s "
              f"({c / len(items):.3f} s/submission), with --roster {v:.1f} s ({v / len(items):.3f} s/submission): "
              f"ratio {v / c:.3f}")
        print(f"  score problems on the owners' numbers: {len(problems)}")
        for line in problems[:20]:
            print(f"    {line}")
        return 1 if problems else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
