"""Building personal notebooks for a class: 500 generated students, measured side by side in one run.

1. `autograder build NAME --roster R --key-file K --dist D` (default coin_mle, ``--students`` 500 generated
   ids, a fresh key) against the same build without the roster, alternating, ``--rounds`` times (default
   3, median). Both reuse one recorded validity proof (graded once, first, into a proof folder this script
   owns: $XENT_VALIDITY_CACHE), so the difference is what the personal notebooks cost. Checked: one
   student notebook and one solution per id, each with its own variant tag, parameters as variants.csv says.
   Goal: the roster build within 60 s on 2 cores.
2. The part done per student, in this process: drawing the parameters (HMAC seed, generate/check), the
   variant tag, personalising a copy of the student notebook and of the solution, writing both; printed per
   notebook and for the whole roster.

    .venv/bin/python benchmarks/variant_build.py [--name coin_mle] [--students 500] [--rounds 3]
"""

from __future__ import annotations

import argparse
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

TARGET_SECONDS = 60.0


def command() -> list[str]:
    script = Path(sys.executable).with_name("autograder")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "autograder.cli"]


def write_roster(path: Path, count: int) -> list[str]:
    ids = [f"s{1000000 + 7919 * n % 9000000:07d}" for n in range(count)]  # distinct, not sequential
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "name"])
        writer.writerows([student, f"Student {n}"] for n, student in enumerate(ids))
    return ids


def run_build(name: str, root: Path, dist: Path, extra: list[str], env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command() + ["--root", str(root), "build", name, "--dist", str(dist)] + extra,
                          cwd=ROOT, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"autograder build {name} {' '.join(extra)} failed (exit {proc.returncode}):\n"
                         f"{proc.stderr[-3000:]}")
    return seconds


def check_output(name: str, dist: Path, ids: list[str]) -> None:
    import nbformat

    folder = dist / name
    with open(folder / "variants.csv", newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    if set(rows) != set(ids):
        raise SystemExit(f"variants.csv lists {len(rows)} students, the roster {len(ids)}")
    tags = set()
    for student in ids[:: max(1, len(ids) // 25)]:  # a sample of 25: reading all would time the reader
        nb = nbformat.read(folder / "students" / student / f"{name}.ipynb", as_version=4)
        variant = nb.metadata["xent"]["variant"]
        if variant["student"] != student or variant["tag"] != rows[student]["tag"]:
            raise SystemExit(f"{student}: its notebook's variant tag does not match variants.csv")
        params = json.loads(rows[student]["parameters"])
        if not any(f"{key} = {value!r}" in cell.source for cell in nb.cells for key, value in params.items()):
            raise SystemExit(f"{student}: its parameters cell does not hold its parameters {params}")
        tags.add(variant["tag"])
        if not (folder / "solutions" / f"{student}.ipynb").is_file():
            raise SystemExit(f"{student}: no reference solution")
    if len(tags) < 2:
        raise SystemExit("every sampled student got the same variant tag")
    notebooks = len(list((folder / "students").glob(f"*/{name}.ipynb")))
    solutions = len(list((folder / "solutions").glob("*.ipynb")))
    if notebooks != len(ids) or solutions != len(ids):
        raise SystemExit(f"{notebooks} student notebooks and {solutions} solutions for {len(ids)} students")


def per_student_part(name: str, root: Path, dist: Path, ids: list[str], key: bytes, out: Path) -> float:
    """Draw, tag, personalise and write a notebook and a solution per student, from the built templates."""
    import copy

    import nbformat

    from autograder import variantdraw, variants

    spec = variants.load_spec(ROOT / "assignments" / name, name)
    student = nbformat.read(dist / name / "student" / f"{name}.ipynb", as_version=4)
    solution = nbformat.read(root / "solutions" / f"{name}.ipynb", as_version=4)
    start = time.perf_counter()
    for sid in ids:
        params = spec.params_for(key, sid)
        tag = variantdraw.tag(key, name, sid)
        for template, target in ((student, out / "students" / sid / f"{name}.ipynb"),
                                 (solution, out / "solutions" / f"{sid}.ipynb")):
            nb = copy.deepcopy(template)
            variants.personalise(nb, params, assignment=name, student=sid, tag=tag)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", default="coin_mle")
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="xent-variant-build-"))
    load = os.getloadavg()[0]
    env = dict(os.environ, XENT_VALIDITY_CACHE=str(work / "proofs"))
    try:
        print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at start")
        root = work / "project"  # a copy: the build writes solutions/NAME.ipynb into its root
        shutil.copytree(ROOT / "assignments" / args.name, root / "assignments" / args.name)
        roster = work / "roster.csv"
        ids = write_roster(roster, args.students)
        key_file = work / "course.key"
        subprocess.run(command() + ["keygen", str(key_file)], check=True, capture_output=True)
        seconds = run_build(args.name, root, work / "dist-first", [], env)
        print(f"first build (grades and records the validity proof both timed builds reuse): {seconds:.1f} s")
        plain, personal = [], []
        for round_ in range(args.rounds):
            for kind in (("plain", "roster") if round_ % 2 == 0 else ("roster", "plain")):
                dist = work / f"dist-{kind}-{round_}"
                extra = ["--roster", str(roster), "--key-file", str(key_file)] if kind == "roster" else []
                seconds = run_build(args.name, root, dist, extra, env)
                (personal if kind == "roster" else plain).append(seconds)
                if kind == "roster" and round_ == 0:
                    check_output(args.name, dist, ids)
                print(f"  round {round_ + 1}, {kind:6}: {seconds:.1f} s")
                shutil.rmtree(dist, ignore_errors=True)
        part = per_student_part(args.name, root, work / "dist-first", ids, key_file.read_bytes().strip(),
                                work / "alone" / "out")
        with_roster, without = statistics.median(personal), statistics.median(plain)
        print()
        print("Summary")
        print(f"  machine: {os.cpu_count()} cores; load average {load:.2f} at start, {os.getloadavg()[0]:.2f} at end")
        print(f"  autograder build {args.name} --roster ({args.students} students): {with_roster:.1f} s (median of "
              f"{len(personal)}); without the roster: {without:.1f} s; the personal notebooks add "
              f"{with_roster - without:.1f} s ({1000 * (with_roster - without) / args.students:.1f} ms per student)")
        print(f"  goal: the roster build within {TARGET_SECONDS:g} s: "
              f"{'met' if with_roster <= TARGET_SECONDS else 'MISSED'}")
        print(f"  per student in this process (draw, tag, personalise and write notebook + solution): "
              f"{part:.1f} s for {args.students} ({1000 * part / args.students:.1f} ms per student)")
        return 0 if with_roster <= TARGET_SECONDS else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
