"""`autograder grade` run by an ordinary user (no root, no home folder), as on a shared server.

As root every sandbox runs as a uid of its own, so it cannot signal anything else; as an ordinary user
every sandbox, the zygote and the servers share one uid, and only their sessions and PID namespaces
keep a sandbox's signals to itself. This module runs one real batch as `nobody` with a kill-the-group
attacker among honest copies graded at the same time, through Debian's own Python with the project's
virtualenv on its path (the virtualenv's interpreter usually lives under /root, which `nobody` cannot
enter).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT
from grading import dist_of, solution, with_cells, write

NAME = "coin_mle"
NOBODY = 65534
pytestmark = pytest.mark.slow

KILL_THE_GROUP = (
    "import os, signal, time\n"
    "for _ in range(20):  # for a second and more, while the other worker grades an honest copy\n"
    "    for target in (0, -os.getpgid(0), os.getppid()):\n"
    "        try:\n            os.kill(target, signal.SIGKILL)\n        except OSError:\n            pass\n"
    "    try:\n        os.killpg(os.getpgid(0), signal.SIGKILL)\n    except OSError:\n        pass\n"
    "    time.sleep(0.06)\n"
)


def _system_python() -> str | None:
    """An interpreter of this Python's version outside /root (which `nobody` cannot enter)."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for folder in ("/usr/bin", "/usr/local/bin"):
        candidate = os.path.join(folder, version)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def _as_nobody(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"}
    return subprocess.run(command, user=NOBODY, group=NOBODY, extra_groups=[], env=env, capture_output=True,
                          text=True, **kwargs)


@pytest.fixture(scope="module")
def nobody_python():
    """A virtualenv, readable by anyone, whose interpreter sees the project's own packages."""
    if os.geteuid() != 0:
        pytest.skip("switching to an ordinary user needs root")
    system = _system_python()
    if system is None:
        pytest.skip(f"no python{sys.version_info.major}.{sys.version_info.minor} outside /root for `nobody`")
    folder = Path(tempfile.mkdtemp(prefix="xent-nobody-venv-", dir="/tmp"))
    try:
        subprocess.run([system, "-m", "venv", "--without-pip", str(folder)], check=True, capture_output=True)
        packages = next(Path(p) for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
        site = folder / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
        (site / "xent_lab_project.pth").write_text(f"import site; site.addsitedir({str(packages)!r})\n")
        for path in [folder, *folder.rglob("*")]:
            path.chmod(path.stat().st_mode | 0o555 if path.is_dir() else path.stat().st_mode | 0o444)
        probe = _as_nobody([str(folder / "bin" / "python"), "-c", "import numpy, autograder.cli"], timeout=120)
        if probe.returncode != 0:
            pytest.skip("`nobody` cannot import the project from this checkout (a folder on the way is closed "
                        f"to other users): {probe.stderr.strip()[-300:]}")
        yield str(folder / "bin" / "python")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _matplotlib_folders() -> set[str]:
    return {entry.name for entry in Path("/tmp").iterdir() if "matplotlib" in entry.name}


def _command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "(gone)"


def _processes_of(uid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid:
                    found.add(int(entry.name))
            except OSError:
                continue
    return found


def test_ordinary_user_batch_with_a_group_killer_among_honest_copies(built, nobody_python):
    work = Path(tempfile.mkdtemp(prefix="xent-nobody-", dir="/tmp"))
    try:
        work.chmod(0o755)
        dist = work / "dist"
        shutil.copytree(dist_of(built, NAME) / NAME, dist / NAME)
        honest = solution(built, NAME)
        inputs = [write(with_cells(honest, "q3", [KILL_THE_GROUP]), work / "in" / "attacker.ipynb")]
        inputs += [write(honest, work / "in" / f"honest-{i}.ipynb") for i in range(3)]
        for path in [work, *work.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        out = work / "out"
        out.mkdir()
        os.chown(out, NOBODY, NOBODY)
        before_mpl, before_procs = _matplotlib_folders(), _processes_of(NOBODY)

        run = _as_nobody([nobody_python, "-m", "autograder.cli", "--root", str(ROOT), "grade", NAME,
                          *map(str, inputs), "-o", str(out), "--dist", str(dist), "--workers", "2", "--timeout", "20",
                          "--cell-timeout", "2"], cwd=work, timeout=300)
        assert run.returncode == 0, run.stderr[-2000:]
        with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
            rows = {row["submission"]: row for row in csv.DictReader(handle)}
        assert set(rows) == {"attacker", "honest-0", "honest-1", "honest-2"}
        for name, row in rows.items():
            assert row["status"] == "ok", (name, row)
            assert float(row["score"]) == float(row["max_score"]), f"{name} lost marks: {row}"
        isolation = {json.loads((out / "results" / f"{name}.json").read_text())["isolation"] for name in rows}
        assert isolation == {"namespaces"}, "an ordinary user's sandboxes run in user namespaces here"
        assert _matplotlib_folders() == before_mpl, "matplotlib's cache folders must not be left in /tmp"
        deadline = time.monotonic() + 3  # servers and helpers end as their channels close
        while _processes_of(NOBODY) - before_procs and time.monotonic() < deadline:
            time.sleep(0.05)
        left = {pid: _command_line(pid) for pid in _processes_of(NOBODY) - before_procs}
        assert not left, f"processes of the batch outlived it: {left}"
    finally:
        shutil.rmtree(work, ignore_errors=True)


PROBE = """
import json, sys
from autograder.grading.runner import Limits, SandboxDied, Zygote
from autograder.grading.sandbox import ZygoteProcess

attack = sys.argv[1]
with ZygoteProcess(2, ("numpy",)) as process:
    first, second = Zygote(process, 0), Zygote(process, 1)
    victim, attacker = second.spawn(Limits()), first.spawn(Limits())
    victim.request({"op": "cell", "index": 0, "source": "x = 41", "timeout": 5}, 10)
    attacker.request({"op": "cell", "index": 0, "source": attack, "timeout": 5}, 10)
    try:
        after = victim.request({"op": "cell", "index": 1, "source": "x += 1", "timeout": 5}, 10).get("ok")
    except SandboxDied:
        after = "died"
    zygote_alive = process.proc.poll() is None
    spawned = [zygote.spawn(Limits()).mode for zygote in (first, second)]  # both servers still serve
    print(json.dumps({"victim": after, "zygote": zygote_alive, "modes": [victim.mode, attacker.mode], "spawned": spawned}))
"""


def test_a_sandbox_signal_reaches_no_other_process_of_the_grader(nobody_python):
    """Directly, without the batch's retries that would hide it: one sandbox kills its process group
    (and its parent, and every pid it can name) while another sandbox of the same zygote holds state."""
    run = _as_nobody([nobody_python, "-c", PROBE, KILL_THE_GROUP], cwd="/", timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["modes"] == ["namespaces", "namespaces"], report
    assert report["victim"] is True, "the other sandbox was killed"
    assert report["zygote"] is True, "the zygote was killed"
    assert report["spawned"] == ["namespaces", "namespaces"], "a server of the zygote was killed"

