"""Peak memory of the grader (the trusted process) over the whole attack catalogue, beside honest work.

Builds coin_mle into a temporary folder, writes every notebook of both attack catalogues
(grader_tests/test_attacks.py and test_attacks_beside.py) plus the file-level attacks (a sparse 1 GB
file, a notebook with too many cells, a flat 30 MB reply, 10 million numbers as an answer), and grades
them in one batch with one worker, so the tests run in the grading process itself. For comparison it
grades honest copies alone in a second process. Each process reports its own peak resident set size
(ru_maxrss; sandboxes and the zygote are other processes, bounded by their own rlimits).

Prints both peaks, the catalogue's ratio to the honest run, and its share of the 1 GiB budget.

    .venv/bin/python benchmarks/attack_memory.py [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUDGET_MB = 1024
NAME = "coin_mle"


def _grade(inputs: list[Path], dist: Path, out: Path) -> dict:
    """Grade in this process (one worker: the tests run here) and report this process's peak RSS."""
    from autograder.grading.batch import grade_batch
    from autograder.grading.runner import Limits

    summary = grade_batch(NAME, inputs, out=out, root=ROOT, dist=dist, workers=1,
                          limits=Limits(timeout=20, cell_timeout=2), progress=lambda done, total: None)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    statuses: dict[str, int] = {}
    for row in summary.rows:
        statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    return {"peak_mb": peak_kb / 1024, "rows": len(summary.rows), "statuses": statuses}


def _write_catalogue(dist: Path, folder: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT / "grader_tests"))
    import nbformat

    from grading import with_answers, with_cells, write
    from test_attacks import COSTLESS, GAIN, WRONG
    from test_attacks_beside import BESIDE

    solution = nbformat.read(ROOT / "solutions" / f"{NAME}.ipynb", as_version=4)
    student = nbformat.read(dist / NAME / "student" / f"{NAME}.ipynb", as_version=4)
    wrong = with_answers(solution, WRONG)
    bases = {"solution": solution, "wrong": wrong, "blank": student}
    prelude = "".join(f"{key} = {value!r}\n" for key, value in {
        "OUT": str(folder / "out"), "SLUG": NAME, "TOKEN": "31337.5", "ZIP": str(dist / NAME / "autograder" / "autograder.zip"),
        "SOLUTION": str(ROOT / "solutions" / f"{NAME}.ipynb"), "PLANTED": str(folder / "planted.py"),
        "ROOT": str(ROOT), "HOST_TMP": str(folder), "PORT": 9}.items())
    paths = []
    for attack in GAIN + COSTLESS:
        base = solution if attack.base == "solution" else wrong
        paths.append(write(with_cells(base, attack.after, [prelude + attack.code]), folder / "in" / f"{attack.id}.ipynb"))
    for attack in BESIDE:
        paths.append(write(with_cells(bases[attack.base], attack.after, [attack.code]),
                           folder / "in" / f"beside-{attack.id}.ipynb"))
    with open(folder / "in" / "sparse-1gb.ipynb", "wb") as handle:
        handle.truncate(1 << 30)
    paths.append(folder / "in" / "sparse-1gb.ipynb")
    many = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1") for _ in range(5000)])
    paths.append(write(many, folder / "in" / "many-cells.ipynb"))
    paths += [write(solution, folder / "in" / f"honest-{i}.ipynb") for i in range(3)]
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--child", choices=["honest", "catalogue"], help=argparse.SUPPRESS)
    parser.add_argument("--dist", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        folder = args.workdir / args.child
        if args.child == "catalogue":
            inputs = _write_catalogue(args.dist, folder)
        else:
            from xentcore.files import atomic_write

            text = (ROOT / "solutions" / f"{NAME}.ipynb").read_text(encoding="utf-8")
            inputs = []
            for i in range(8):
                atomic_write(folder / "in" / f"honest-{i}.ipynb", text)
                inputs.append(folder / "in" / f"honest-{i}.ipynb")
        print(json.dumps(_grade(inputs, args.dist, folder / "out")))
        return 0

    from autograder.build import build_assignments

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="xent-attack-memory-"))
    dist = workdir / "dist"
    build_assignments([NAME], dist=dist, root=ROOT, solutions=workdir / "solutions", log=lambda m: None)
    figures = {}
    for child in ("honest", "catalogue"):
        run = subprocess.run([sys.executable, __file__, "--child", child, "--workdir", str(workdir),
                              "--dist", str(dist)], capture_output=True, text=True, env=dict(os.environ))
        if run.returncode != 0:
            print(run.stderr[-3000:], file=sys.stderr)
            return 1
        figures[child] = json.loads(run.stdout.strip().splitlines()[-1])
    honest, catalogue = figures["honest"], figures["catalogue"]
    print(f"honest batch:    {honest['rows']:3d} submissions, grader peak RSS {honest['peak_mb']:7.1f} MB")
    print(f"attack catalogue: {catalogue['rows']:3d} submissions, grader peak RSS {catalogue['peak_mb']:7.1f} MB "
          f"({', '.join(f'{n} {s}' for s, n in sorted(catalogue['statuses'].items()))})")
    print(f"catalogue / honest peak: {catalogue['peak_mb'] / honest['peak_mb']:.2f}x; "
          f"catalogue peak / {BUDGET_MB} MB budget: {catalogue['peak_mb'] / BUDGET_MB:.2f} "
          f"({'within' if catalogue['peak_mb'] < BUDGET_MB else 'OVER'} budget)")
    return 0 if catalogue["peak_mb"] < BUDGET_MB else 1


if __name__ == "__main__":
    sys.exit(main())
