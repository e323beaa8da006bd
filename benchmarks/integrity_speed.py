"""Integrity checks, measured: printed figures, no pass/fail timing.

1. Reference answers: the coin_mle reference solution run for the variants of a roster of N students
   (default 500) in one child process (`integrity.reference_answers`).
2. Answers of another variant: `integrity.other_variant_findings` over M records (default 1,000) against those
   variants, a tenth of them holding another student's theta_hat.
3. Near-identical code: `integrity.similar_code_findings` over M notebooks (default 1,000; also M/4 and M/2 to
   show the growth), made from the reference solution with each code answer taken from the solution, an
   alternative or a mutant and its local names renamed at random, plus a few renamed copies.

    .venv/bin/python benchmarks/integrity_speed.py [--roster 500] [--submissions 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "grader_tests")]

import nbformat  # noqa: E402

from autograder import integrity, project  # noqa: E402
from autograder.build import build_assignments  # noqa: E402
from autograder.mutants import apply_variant, load_variants  # noqa: E402
from autograder.results import Status, SubmissionRecord  # noqa: E402
from autograder.variants import load_spec  # noqa: E402

NAME = "coin_mle"


def renamed(source: str, rng: random.Random) -> str:
    """*source* with a few assigned names renamed (what a copier does)."""
    names = sorted(set(re.findall(r"^\s*([a-z_][a-z0-9_]*)\s*=", source, re.M)))
    for name in rng.sample(names, k=min(len(names), 3)):
        source = re.sub(rf"(?<![.\w]){name}\b", f"{name}_{rng.randrange(1000)}", source)
    return source


STATEMENTS = ("x = x {op} {c}", "y = (x {op} b) * {c}", "x, y = y, x {op} {c}", "total += x {op} y",
              "if x > {c}:\n        x = x {op} {c}", "values.append(x {op} {c})", "y = max(y, {c}) {op} x")


def own_code(rng: random.Random) -> str:
    """A helper cell of the student's own: a small function of random statements and constants."""
    lines = [f"def helper_{rng.randrange(10**6)}(a, b):", "    x, y, total, values = a, b, 0.0, []"]
    for _ in range(rng.randrange(6, 12)):
        lines.append("    " + rng.choice(STATEMENTS).format(op=rng.choice("+-*"), c=rng.randrange(2, 500)))
    lines.append("    return total + sum(values)")
    return "\n".join(lines)


def class_notebooks(solution: nbformat.NotebookNode, count: int, folder: Path, rng: random.Random) -> dict:
    """*count* notebooks: answers from the solution, its alternatives and mutants (names renamed at random) and
    two helper cells of the student's own; every 100th notebook is a renamed copy of the one before."""
    pieces = load_variants(project.alternatives_dir(ROOT, NAME), mutant=False) + \
        load_variants(project.mutants_dir(ROOT, NAME), mutant=True)
    kind = pieces[0].__class__
    paths, previous = {}, None
    for index in range(count):
        if index % 100 == 99 and previous is not None:
            answers = {question: renamed(source, rng) for question, source in previous.items()}
        else:
            answers = {}
            for piece in rng.sample(pieces, k=4):
                for question, source in piece.answers.items():
                    answers[question] = renamed(source, rng)
            answers["q3"] = answers.get("q3", "") + "\n\n" + own_code(rng)
            answers["q7"] = answers.get("q7", "") + "\n\n" + own_code(rng)
        nb = apply_variant(solution, kind(slug="x", path=Path("x"), description="", loses=(), answers=answers))
        previous = answers
        path = folder / f"s{index}.ipynb"
        nbformat.write(nb, path)
        paths[f"s{index}"] = path
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roster", type=int, default=500)
    parser.add_argument("--submissions", type=int, default=1000)
    args = parser.parse_args()
    rng = random.Random(0)
    with tempfile.TemporaryDirectory(prefix="xent-integrity-bench-") as tmp:
        tmp = Path(tmp)
        built = build_assignments([NAME], dist=tmp / "dist", root=ROOT, solutions=tmp / "solutions",
                                  log=lambda message: None)[0]
        spec = load_spec(ROOT / "assignments" / NAME, NAME)
        key = b"benchmark-key-0123456789abcdef"
        roster = {f"st{i}": spec.params_for(key, f"st{i}") for i in range(args.roster)}
        distinct = len({integrity.params_key(p) for p in roster.values()})
        started = time.perf_counter()
        answers = integrity.reference_answers(built.solution, list(roster.values()),
                                              ["theta_hat", "theta_best", "p_hat", "theta", "theta_grid"])
        seconds = time.perf_counter() - started
        print(f"reference answers: {args.roster} roster students, {distinct} distinct variants: {seconds:.2f} s "
              f"({1000 * seconds / distinct:.1f} ms per variant, child start included)")

        students = list(roster)
        records = []
        for index in range(args.submissions):
            student = students[index % len(students)]
            values = dict(answers[integrity.params_key(roster[student])])
            if index % 10 == 0:
                values["theta_hat"] = answers[integrity.params_key(roster[rng.choice(students)])]["theta_hat"]
            records.append(SubmissionRecord(status=Status.OK, submission=f"sub{index}", student=student,
                                            params=roster[student], values=json.loads(json.dumps(values))))
        started = time.perf_counter()
        findings = integrity.other_variant_findings(records, roster, answers)
        print(f"other-variant answers: {len(records)} records x {args.roster} roster variants: "
              f"{time.perf_counter() - started:.2f} s, {len(findings)} findings")

        solution = nbformat.read(built.solution, as_version=4)
        folder = tmp / "class"
        folder.mkdir()
        paths = class_notebooks(solution, args.submissions, folder, rng)
        for size in sorted({args.submissions // 4, args.submissions // 2, args.submissions}):
            chosen = dict(list(paths.items())[:size])
            started = time.perf_counter()
            found = integrity.similar_code_findings(chosen, starter=built.student)
            seconds = time.perf_counter() - started
            print(f"near-identical code: {size} notebooks: {seconds:.2f} s ({1000 * seconds / size:.1f} ms per "
                  f"notebook), {len(found)} pairs")


if __name__ == "__main__":
    main()
