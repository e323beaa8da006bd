"""The zygote: one process for a whole grading command, a server per worker, modules preloaded to fit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import project
from xentcore.errors import GradingError
from autograder.grading.runner import Limits, Zygote
from autograder.grading.sandbox import PRELOADS, ZygoteProcess, preloads_for

from conftest import ROOT

LIMITS = Limits(timeout=20, cell_timeout=10)


def _value(sandbox, source: str, name: str):
    reply = sandbox.request({"op": "cell", "source": source, "index": 0, "timeout": 10}, 15)
    assert reply["ok"], reply
    reply = sandbox.request({"op": "get", "name": name, "timeout": 10}, 15)
    assert reply["ok"], reply
    return reply["value"]


def _session_members(sid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def test_each_channel_of_one_zygote_serves_its_own_sandboxes_and_close_leaves_nothing():
    process = ZygoteProcess(3)
    try:
        zygotes = [Zygote(process, index) for index in range(3)]
        sandboxes = [zygote.spawn(LIMITS) for zygote in reversed(zygotes)]  # any order: each has its server
        for n, sandbox in enumerate(sandboxes):
            assert _value(sandbox, f"x = {n} * 7", "x") == n * 7
            sandbox.kill()
        zygotes[0].close()  # one worker done: the others still get sandboxes
        again = zygotes[2].spawn(LIMITS)
        assert _value(again, "import numpy\ny = int(numpy.arange(4).sum())", "y") == 6
        again.kill()
        sid = process.proc.pid  # start_new_session: the zygote leads its own session
        assert _session_members(sid)
    finally:
        process.close()
    deadline = time.monotonic() + 5
    while _session_members(sid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _session_members(sid) == [], "a zygote server outlived close()"
    process.close()  # closing twice is harmless


def test_a_zygote_that_cannot_start_is_a_clear_grading_error():
    process = ZygoteProcess(1)
    process.proc.kill()
    process.proc.wait()
    try:
        with pytest.raises(GradingError, match="could not start"):
            Zygote(process, 0).spawn(LIMITS)
    finally:
        process.close()


def test_a_sandbox_runs_on_the_cpus_of_the_worker_that_asked_for_it():
    allowed = os.sched_getaffinity(0)
    if len(allowed) < 2:
        pytest.skip("needs two CPUs to tell a pinned sandbox apart")
    one = max(allowed)
    zygote = Zygote()
    try:
        os.sched_setaffinity(0, {one})
        try:
            pinned = zygote.spawn(LIMITS)
        finally:
            os.sched_setaffinity(0, allowed)
        free = zygote.spawn(LIMITS)
        source = "import os\ncpus = sorted(os.sched_getaffinity(0))"
        assert _value(pinned, source, "cpus") == [one]
        assert _value(free, source, "cpus") == sorted(allowed)
        pinned.kill()
        free.kill()
    finally:
        zygote.close()


def _zip(tmp_path: Path, test_source: str) -> Path:
    path = tmp_path / "autograder.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tests/q1.py", test_source)
        archive.writestr("otter_config.json", json.dumps({"assignment_name": "x"}))
    return path


def test_preloads_follow_what_the_assignment_uses(tmp_path, built):
    plain = _zip(tmp_path, "OK_FORMAT = True\ntest = {'name': 'q1'}\n")
    notebook = tmp_path / "student.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import numpy as np")]), notebook)
    assert preloads_for(plain, notebook) == ("numpy",)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import matplotlib.pyplot as plt")]),
                   notebook)
    assert preloads_for(plain, notebook) == ("numpy", "matplotlib.pyplot")
    symbolic = _zip(tmp_path, "import sympy\n")
    assert preloads_for(symbolic, notebook) == ("numpy", "matplotlib.pyplot", "sympy")
    assert preloads_for(tmp_path / "missing.zip", notebook) == PRELOADS  # unreadable: preload everything
    dist = built["bce_gradient"].autograder.parents[2]
    assert "sympy" in preloads_for(*project.sandbox_sources(dist, "bce_gradient"))
    assert "sympy" not in preloads_for(*project.sandbox_sources(dist, "js_divergence"))


def test_a_module_that_was_not_preloaded_is_still_importable_in_the_sandbox():
    process = ZygoteProcess(1, preload=("numpy",))
    try:
        sandbox = Zygote(process, 0).spawn(LIMITS)
        source = ("import sys\nbefore = 'sympy' in sys.modules\nimport sympy\n"
                  "value = [before, str(sympy.diff(sympy.Symbol('x') ** 3))]")
        assert _value(sandbox, source, "value") == [False, "3*x**2"]
        sandbox.kill()
    finally:
        process.close()


def test_the_command_grades_prints_and_exits_in_a_fresh_process(built, tmp_path):
    """`autograder grade` as a user runs it: early zygote, forked workers, and an exit that loses no output."""
    solution = nbformat.read(built["coin_mle"].solution, as_version=4)
    (tmp_path / "in").mkdir()
    for n in range(3):
        nbformat.write(solution, tmp_path / "in" / f"s{n}.ipynb")
    out = tmp_path / "out"
    command = ["-m", "autograder.cli", "--root", str(ROOT), "grade", "coin_mle", str(tmp_path / "in"), "-o", str(out),
               "--dist", str(built["coin_mle"].autograder.parents[2]), "--workers", "2", "--timeout", "30"]
    python = sys.executable
    done = subprocess.run([python, *command], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"gradebook: {out / 'gradebook.csv'}" in done.stdout
    assert "graded 3 submission(s), reused 0 earlier result(s): 3 ok" in done.stdout
    rows = (out / "gradebook.csv").read_text().splitlines()
    assert len(rows) == 4 and all(",ok," in row for row in rows[1:])
    failed = subprocess.run([python, *command[:5], "no_such_assignment", *command[6:]], capture_output=True,
                            text=True, timeout=120, cwd=tmp_path)
    assert failed.returncode == 1
    assert failed.stderr.startswith("unknown-assignment: no assignment named 'no_such_assignment'")
