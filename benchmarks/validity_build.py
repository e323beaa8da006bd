"""What the validity proof over variants adds to `autograder build`, measured side by side in one run.

1. The build of one variant assignment (default coin_mle), each in a fresh process as `autograder build NAME`
   runs it, two ways, alternating, ``--rounds`` times (default 3; the median counts):
   - *with the proof*: a fresh DIST, so the proof on ``--variants`` sampled variants (default 20, the
     build's default) is graded;
   - *proof reused*: a DIST whose previous build recorded the same proof (validity.json, same key), so the
     build grades nothing for it: the build as it costs without the proof (plus hashing the key).
   Printed: both times, the difference (what the proof adds) and the proof's own time from its log line.
2. The proof alone, in this process, with 1 worker and with ``--workers`` (default: the CPUs), alternating,
   on ``--small`` variants (default 4): gradings per second and the speed-up of the parallel workers.

Every figure is printed as wall seconds and as CPU seconds (user + system of the build and every process it
waited for: workers, zygote, sandboxes); CPU seconds barely move when other work loads the machine, wall
seconds do. On an idle machine the proof's wall time is about its CPU time divided by the workers.

Nothing in the checkout changes (reference solutions are written into the work folder).

    .venv/bin/python benchmarks/validity_build.py [--name coin_mle] [--rounds 3] [--variants 20] [--small 4]
"""

from __future__ import annotations

import argparse
import os
import resource
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUILD = ("import sys; from pathlib import Path; from autograder.build import build_assignments; "
         "build_assignments([sys.argv[1]], dist=Path(sys.argv[2]), root=Path(sys.argv[3]), "
         "solutions=Path(sys.argv[4]), validity_variants=int(sys.argv[5]))")
PROOF_LINE = re.compile(r"(\d+) gradings in ([\d.]+) s, (\d+) worker")


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_of_all() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + cpu_of_children()


def build(name: str, dist: Path, work: Path, variants: int) -> tuple[float, float, str]:
    """One build in a fresh process: wall seconds, CPU seconds and its log."""
    env = {k: v for k, v in os.environ.items() if k != "XENT_VALIDITY_CACHE"}
    start, cpu = time.perf_counter(), cpu_of_children()
    proc = subprocess.run([sys.executable, "-c", BUILD, name, str(dist), str(ROOT), str(work / "solutions"),
                           str(variants)], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, cpu_of_children() - cpu
    if proc.returncode != 0:
        raise SystemExit(f"the build of {name} failed:\n{proc.stderr[-3000:]}")
    return seconds, cpu, proof_log(proc.stderr)


def proof_log(text: str) -> str:
    return next((line for line in text.splitlines() if " variants: solution full marks" in line), "(no proof line)")


def builds(name: str, work: Path, rounds: int, variants: int) -> dict:
    reused_dist = work / "dist-reused"
    seconds, cpu, line = build(name, reused_dist, work, variants)  # records the proof the reused builds find
    print(f"  first build (records the proof): {seconds:.1f} s, {cpu:.1f} CPU s; {line}")
    cold, reused, proof = [], [], []
    cold_cpu, reused_cpu = [], []
    for round_ in range(rounds):
        order = ("cold", "reused") if round_ % 2 == 0 else ("reused", "cold")
        for kind in order:
            if kind == "cold":
                dist = work / f"dist-cold-{round_}"
                seconds, cpu, line = build(name, dist, work, variants)
                shutil.rmtree(dist, ignore_errors=True)
                match = PROOF_LINE.search(line)
                if match is None:
                    raise SystemExit(f"a fresh build did not grade the proof: {line}")
                cold.append(seconds)
                cold_cpu.append(cpu)
                proof.append(float(match.group(2)))
            else:
                seconds, cpu, line = build(name, reused_dist, work, variants)
                if "reused from" not in line:
                    raise SystemExit(f"a rebuild of an unchanged assignment graded the proof again: {line}")
                reused.append(seconds)
                reused_cpu.append(cpu)
            print(f"  round {round_ + 1}, {kind:6}: {seconds:.1f} s, {cpu:.1f} CPU s")
    return {"cold": cold, "reused": reused, "proof": proof, "line": line, "cold_cpu": cold_cpu,
            "reused_cpu": reused_cpu}


def proof_alone(name: str, work: Path, small: int, workers: int, rounds: int) -> dict:
    import nbformat

    from autograder import project
    from autograder.build import build_assignments
    from autograder.grading.runner import load_autograder
    from autograder.mutants import load_variants
    from autograder.validity import prove
    from autograder.variants import load_spec

    built = build_assignments([name], dist=work / "dist-alone", root=ROOT, solutions=work / "solutions",
                              log=lambda message: None, validity_variants=1)[0]
    args = (load_autograder(built.autograder, name), load_spec(ROOT / "assignments" / name, name),
            nbformat.read(built.solution, as_version=4), nbformat.read(built.student, as_version=4),
            load_variants(project.mutants_dir(ROOT, name), mutant=True),
            load_variants(project.alternatives_dir(ROOT, name), mutant=False))
    times: dict[int, list[float]] = {1: [], workers: []}
    cpus: dict[int, list[float]] = {1: [], workers: []}
    gradings = 0
    for round_ in range(rounds):
        for count in ((1, workers) if round_ % 2 == 0 else (workers, 1)):
            cpu = cpu_of_all()
            proof = prove(*args, count=small, workers=count, preload_files=(built.autograder, built.student))
            cpu = cpu_of_all() - cpu
            gradings = proof.gradings
            times[count].append(proof.seconds)
            cpus[count].append(cpu)
            print(f"  round {round_ + 1}, {proof.workers} worker(s): {proof.gradings} gradings in "
                  f"{proof.seconds:.1f} s, {cpu:.1f} CPU s")
    return {"gradings": gradings, "times": times, "cpus": cpus}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--name", default="coin_mle")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--variants", type=int, default=20, help="the proof's variants in the builds (default 20)")
    parser.add_argument("--small", type=int, default=4, help="variants for the proof-alone comparison (default 4)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="xent-validity-build-"))
    load = os.getloadavg()[0]
    try:
        print(f"machine: {os.cpu_count()} cores, load average {load:.2f} at start")
        print(f"1. `autograder build {args.name}`, proof on {args.variants} variants graded vs reused")
        b = builds(args.name, work, args.rounds, args.variants)
        print(f"2. the proof alone on {args.small} variants: 1 worker vs {args.workers}")
        p = proof_alone(args.name, work, args.small, args.workers, args.rounds)
        cold, reused = statistics.median(b["cold"]), statistics.median(b["reused"])
        one, many = statistics.median(p["times"][1]), statistics.median(p["times"][args.workers])
        print()
        print("Summary")
        print(f"  machine: {os.cpu_count()} cores; load average {load:.2f} at start, {os.getloadavg()[0]:.2f} at end "
              "(other work on the machine slows every figure)")
        print(f"  build {args.name} with the proof graded: {cold:.1f} s (median of {len(b['cold'])}); proof reused: "
              f"{reused:.1f} s; the proof adds {cold - reused:.1f} s ({cold / reused:.2f}x the build without it); "
              f"the proof's own time: {statistics.median(b['proof']):.1f} s")
        cold_cpu, reused_cpu = statistics.median(b["cold_cpu"]), statistics.median(b["reused_cpu"])
        print(f"  in CPU seconds: {cold_cpu:.1f} with the proof graded, {reused_cpu:.1f} reused: the proof costs "
              f"{cold_cpu - reused_cpu:.1f} CPU s, about {(cold_cpu - reused_cpu) / args.workers:.1f} s of wall time "
              f"on {args.workers} idle cores")
        print(f"  the proof alone, {p['gradings']} gradings: {one:.1f} s with 1 worker ({p['gradings'] / one:.1f}/s), "
              f"{many:.1f} s with {args.workers} ({p['gradings'] / many:.1f}/s): {one / many:.2f}x; CPU seconds "
              f"{statistics.median(p['cpus'][1]):.1f} and {statistics.median(p['cpus'][args.workers]):.1f} "
              f"({1000 * statistics.median(p['cpus'][1]) / p['gradings']:.0f} CPU ms per grading)")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
