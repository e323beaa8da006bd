"""`make demo`: build every assignment, then grade its reference solution and blank copy."""

from __future__ import annotations

import sys
from pathlib import Path

from autograder import project
from autograder.build import build_assignments
from autograder.otter_run import otter_scores


def run_demo(*, root: Path = Path("."), out: Path = Path("demo-out")) -> None:
    """Build all assignments into ``<out>/dist`` and print a score table graded by ``otter run``."""
    root, out = Path(root), Path(out)
    dist = out / "dist"
    built = build_assignments(None, dist=dist, root=root, solutions=out / "solutions")
    rows = []
    for item in built:
        for label, notebook in (("reference solution", item.solution), ("blank student copy", item.student)):
            print(f"grading {item.name}: {label} ...", file=sys.stderr)
            scores = otter_scores(item.autograder, notebook, name=item.name)
            rows.append((item.name, label, sum(scores.values()), item.points - _manual_points(root, item.name)))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'assignment':<{width}}  {'submission':<20} {'score':>7} / max")
    for name, label, score, maximum in rows:
        print(f"{name:<{width}}  {label:<20} {score:>7g} / {maximum:g}")
    print(f"\nBuilt notebooks and autograder zips are in {dist}/; reference solutions in {out / 'solutions'}/")


def _manual_points(root: Path, name: str) -> float:
    from autograder.master import load_master

    master = load_master(project.master_path(root, name), name)
    return sum(q.points for q in master.manual_questions)
