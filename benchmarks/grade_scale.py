"""Grading past one machine, measured: printed figures, no pass/fail timing.

1. Scaling of one machine: N submissions (N = 100, 1,000, 10,000 by default), copies of the honest,
   mutant and broken notebooks of all five assignments (N/5 each), graded with one `autograder grade`
   command per assignment. Printed: seconds per submission (should stay flat) and the peak RSS of the
   command's largest process (should not grow with N).
2. A class-sized mixed set: 200 submissions per assignment through `autograder grade` against `otter run`
   on a sample of them; the per-submission ratio (goal: 50x).
3. Slurm overhead: 1,000 submissions through a 4-task array (plus merge) on a local single-node Slurm
   (started as the tests start it) against one command; printed as a ratio.

    .venv/bin/python benchmarks/grade_scale.py [--sizes 100,1000,10000] [--class-size 200]
        [--otter-sample 5] [--slurm 1000] [--skip ...]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "grader_tests")]

from grade_speed import autograder_command, grade_with_otter, honest_notebooks, write_items  # noqa: E402

from autograder.build import build_assignments  # noqa: E402

BROKEN = ("broken-json", "broken-crash")
CLASS_TARGET = 50.0
MEASURE = ("import resource, subprocess, sys\n"
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode\n"
           "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
           "sys.exit(code)\n")


def with_broken(pool: dict) -> dict:
    """Each assignment's honest and mutant notebooks, and two broken ones (not JSON; a crashing cell)."""
    out = {}
    for name, notebooks in pool.items():
        crash = json.loads(json.dumps(notebooks[0][1]))
        crash["cells"].insert(0, {"cell_type": "code", "id": "xent-crash", "metadata": {}, "outputs": [],
                                  "execution_count": None, "source": "import os\nos._exit(1)"})
        out[name] = [*notebooks, ("broken-crash", crash), ("broken-json", None)]
    return out


def write_set(pool: dict, folder: Path, per_assignment: int, prefix: str) -> dict[str, Path]:
    """*per_assignment* copies cycled through each assignment's notebooks into folder/<assignment>/."""
    for name, notebooks in pool.items():
        chosen = list(itertools.islice(itertools.cycle(notebooks), per_assignment))
        good = [(name, label, nb) for label, nb in chosen if nb is not None]
        write_items(good, folder, prefix=prefix)
        for n, (label, nb) in enumerate(chosen):
            if nb is None:
                (folder / name / f"{prefix}x{n:05d}-{label}.ipynb").write_text("{ not a notebook " + str(n))
    return {name: folder / name for name in pool}


def timed_command(arguments: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of the largest process of one command (its own or a descendant's)."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", MEASURE, *arguments], capture_output=True, text=True, cwd=ROOT,
                          env=env)
    seconds = time.perf_counter() - start
    lines = proc.stderr.strip().splitlines()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(arguments[:6])}... failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds, int(lines[-1])


def grade_command(name: str, inputs: Path, out: Path, dist: Path, workers: int, *extra: str) -> list[str]:
    return autograder_command() + ["--root", str(ROOT), "grade", name, str(inputs), "-o", str(out), "--dist",
                                   str(dist), "--workers", str(workers), *extra]


def scaling(pool: dict, work: Path, sizes: list[int], workers: int) -> None:
    print("1. One machine, mixed submissions of all five assignments (one command per assignment)")
    print(f"   {'N':>6}  {'seconds':>8}  {'s/submission':>12}  {'peak RSS (MB)':>13}")
    for n in sizes:
        per = max(1, n // len(pool))
        folders = write_set(pool, work / f"scale-{n}", per, prefix="n")
        total, peak = 0.0, 0
        for name, folder in folders.items():
            seconds, rss = timed_command(grade_command(name, folder, work / f"scale-{n}-out" / name,
                                                       work / "dist", workers))
            total += seconds
            peak = max(peak, rss)
        count = per * len(pool)
        print(f"   {count:>6}  {total:>8.1f}  {total / count:>12.3f}  {peak / 1024:>13.0f}", flush=True)
        shutil.rmtree(work / f"scale-{n}", ignore_errors=True)


def class_sized(built: dict, pool: dict, work: Path, per_assignment: int, sample: int, workers: int) -> None:
    print(f"2. A class: {per_assignment} submissions per assignment, `autograder grade` against `otter run` "
          f"on {sample} per assignment")
    honest = {name: [item for item in notebooks if item[1] is not None] for name, notebooks in pool.items()}
    folders = write_set(honest, work / "class", per_assignment, prefix="c")
    ours = 0.0
    for name, folder in folders.items():
        seconds, _ = timed_command(grade_command(name, folder, work / "class-out" / name, work / "dist", workers))
        ours += seconds
        print(f"   autograder grade {name}: {per_assignment} in {seconds:.1f} s", flush=True)
    from grade_speed import Item

    chosen = []
    for name, folder in folders.items():
        paths = sorted(folder.glob("*.ipynb"))
        step = max(1, len(paths) // sample)
        chosen += [Item(name, p.stem, p) for p in paths[::step][:sample]]
    otter_seconds, _, _ = grade_with_otter(built, chosen)
    mine = ours / (per_assignment * len(folders))
    theirs = otter_seconds / len(chosen)
    print(f"   autograder grade: {mine:.3f} s/submission; otter run: {theirs:.3f} s/submission "
          f"({len(chosen)} sampled); ratio {theirs / mine:.1f}x (goal {CLASS_TARGET:g}x)", flush=True)


def slurm_overhead(pool: dict, work: Path, n: int, workers: int) -> None:
    from slurm_cluster import running_slurm

    name = "coin_mle"
    print(f"3. Slurm: {n} {name} submissions as a 4-task array plus merge, against one command")
    folder = write_set({name: pool[name]}, work / "slurm-in", n, prefix="s")[name]
    one, _ = timed_command(grade_command(name, folder, work / "slurm-one", work / "dist", workers))
    print(f"   one command: {one:.1f} s", flush=True)
    with running_slurm(work / "slurm") as env:
        arguments = autograder_command() + ["--root", str(ROOT), "slurm", name, str(folder), "-o",
                                            str(work / "slurm-out"), "--shards", "4", "--dist", str(work / "dist"),
                                            "--wait"]
        array, _ = timed_command(arguments, env=env)
    same = (work / "slurm-out" / "gradebook.csv").read_bytes() == (work / "slurm-one" / "gradebook.csv").read_bytes()
    print(f"   Slurm array + merge: {array:.1f} s; ratio {array / one:.2f}x one command on this "
          f"{os.cpu_count()}-core node; gradebooks identical: {same}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,10000", help="submission counts for part 1")
    parser.add_argument("--class-size", type=int, default=200, help="submissions per assignment in part 2")
    parser.add_argument("--otter-sample", type=int, default=5, help="per assignment, graded by otter run too")
    parser.add_argument("--slurm", type=int, default=1000, help="submissions through Slurm in part 3")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: scale,class,slurm")
    parser.add_argument("--workdir", type=Path, help="keep everything here (default: a temporary folder)")
    args = parser.parse_args(argv)
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    work = Path(args.workdir or tempfile.mkdtemp(prefix="xent-grade-scale-")).resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        load = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at start; --workers {args.workers}")
        t = time.perf_counter()
        built = {b.name: b for b in build_assignments(None, dist=work / "dist", root=ROOT,
                                                      solutions=work / "solutions", log=lambda message: None)}
        print(f"built {len(built)} assignments in {time.perf_counter() - t:.1f} s (not timed below)", flush=True)
        pool = with_broken(honest_notebooks(built))
        if "scale" not in skip:
            scaling(pool, work, [int(s) for s in args.sizes.split(",")], args.workers)
        if "class" not in skip:
            class_sized(built, pool, work, args.class_size, args.otter_sample, args.workers)
        if "slurm" not in skip:
            slurm_overhead(pool, work, args.slurm, args.workers)
        print(f"load average {os.getloadavg()[0]:.2f} at end (other work on the machine slows every figure)")
        return 0
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
