"""Run a notebook's code and then test cases in one child process (trusted or public use only).

This is for code we trust or for a student's own self-check: the reference
solution during the build, and the public tests of ``autograder check``. Hidden
tests against untrusted submissions go through the sandbox and the trusted
runner instead (see docs/design-decisions.md, Grading).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from xentcore.errors import GradingError
from autograder.results import CaseResult
from autograder.testfiles import TestCase

CHILD_OUTPUT_LIMIT = 20_000


@dataclass
class RunResult:
    cell_errors: list[dict] = field(default_factory=list)
    cases: list[CaseResult] = field(default_factory=list)
    stdout: str = ""

    def question_scores(self) -> dict[str, float]:
        scores: dict[str, float] = {}
        for case in self.cases:
            scores[case.question] = scores.get(case.question, 0.0) + (case.points if case.passed else 0.0)
        return scores


def run_locally(cells: list[str], cases: list[TestCase], *, workdir: Path, timeout: float = 300.0) -> RunResult:
    """Execute *cells* in order in a fresh Python process, then every case; return what happened."""
    def ended(code: int, detail: str) -> str:
        return (f"the notebook process ended before reporting results (exit {code})"
                + (f":\n{detail}" if detail else ""))

    data = run_child("autograder.localrun", {"cells": cells, "cases": [asdict(c) for c in cases]}, cwd=workdir,
                     timeout=timeout, ended=ended,
                     timed_out=f"the notebook did not finish within {timeout:g} s; look for an endless loop or "
                               "pass a longer --timeout")
    return RunResult(cell_errors=data["cell_errors"], cases=[CaseResult(**c) for c in data["cases"]],
                     stdout=data["stdout"])


def run_child(module: str, job: dict, *, timeout: float, timed_out: str, ended: Callable[[int, str], str],
              cwd: Path | None = None) -> dict:
    """Run trusted code: ``python -m MODULE JOB`` in a fresh process (Agg backend, fixed hash seed, one BLAS
    thread), *job* given as JSON with ``job["result"]`` naming the file the child writes its JSON answer to;
    returns that answer. GradingError: *timed_out* after *timeout* seconds; ``ended(exit code, the end of its
    output)`` when it ends without an answer. *cwd*: default a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="xent-child-") as tmp:
        path, out = Path(tmp) / "job.json", Path(tmp) / "result.json"
        path.write_text(json.dumps(dict(job, result=str(out))))
        env = dict(os.environ, MPLBACKEND="Agg", PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1")
        try:
            proc = subprocess.run([sys.executable, "-m", module, str(path)], cwd=cwd or tmp, env=env,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise GradingError(timed_out) from None
        if not out.is_file():
            raise GradingError(ended(proc.returncode, (proc.stderr or proc.stdout).strip()[-2000:]))
        return json.loads(out.read_text())


def _describe_exception(exc: BaseException) -> str:
    if isinstance(exc, AssertionError):
        return str(exc) or "assertion failed"
    return f"{type(exc).__name__}: {exc}"


def _child(job_path: str) -> None:
    job = json.loads(Path(job_path).read_text())
    namespace: dict = {"__name__": "__main__"}
    captured = io.StringIO()
    cell_errors = []
    with contextlib.redirect_stdout(captured):
        for number, source in enumerate(job["cells"]):
            try:
                exec(compile(source, f"<cell {number + 1}>", "exec"), namespace)
            except Exception as exc:  # a failing cell is recorded; later cells still run
                cell_errors.append({"cell": number, "error": _describe_exception(exc),
                                    "traceback": traceback.format_exc(limit=-3)})
        results = []
        for case in job["cases"]:
            env = dict(namespace)
            try:
                exec(compile(case["code"], f"<test {case['question']}.{case['index'] + 1}>", "exec"), env)
                passed, message = True, case.get("success_message") or ""
            except Exception as exc:
                passed, message = False, _describe_exception(exc)
            results.append({"question": case["question"], "index": case["index"], "points": case["points"],
                            "hidden": case["hidden"], "passed": passed, "message": message,
                            "description": case.get("failure_message") or f"{case['question']} test {case['index'] + 1}"})
    Path(job["result"]).write_text(json.dumps({"cell_errors": cell_errors, "cases": results,
                                               "stdout": captured.getvalue()[-CHILD_OUTPUT_LIMIT:]}))


if __name__ == "__main__":
    _child(sys.argv[1])
