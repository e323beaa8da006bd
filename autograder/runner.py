"""Trusted side of grading: drive a sandbox through a submission, run the tests here.

The autograder's test cases run in this (trusted) process. The student's names
are bound to proxies: calling a student function sends plain arguments to the
sandbox and gets plain data back (codec.py); reading a student value fetches
its plain-data form. Whatever the submission does to numpy, builtins or the
test files inside its sandbox cannot change how the tests here judge it.
"""

from __future__ import annotations

import array
import ast
import builtins
import functools
import hashlib
import json
import os
import signal
import socket
import stat
import struct
import threading
import time
import warnings
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from autograder import codec
from autograder.cells import code_cells
from xentcore.errors import AutograderZipError, GradingError
from xentcore.safetext import clean
from autograder.sandbox import REPLY_LIMIT, ZygoteProcess, recv_message, send_message
from autograder.testfiles import TestCase, cases_from_zip, contract_from_zip, question_order

GRACE = 2.0  # seconds the trusted side waits beyond a limit the sandbox enforces itself
TEST_GRACE = 1.0  # seconds a test's own computation may run past the submission's deadline
# Limits on a submission file, checked before its sandbox starts and before its time budget runs, so
# the same file always gets the same status whatever the machine's load (README, "Grading a class").
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
MAX_CELLS = 2000
MAX_REPLY = REPLY_LIMIT
VALUE_CACHE_BYTES = 1024 * 1024  # a student value this small is fetched once per submission, else per test


@dataclass(frozen=True)
class Limits:
    timeout: float = 120.0
    cell_timeout: float = 30.0
    memory_mb: int = 2048

    def for_sandbox(self) -> dict:
        return {"memory_mb": self.memory_mb, "cpu_seconds": int(self.timeout) + 5, "processes": 64}


@dataclass(frozen=True)
class Autograder:
    """A loaded autograder zip.

    *contract*: for each question, the names of the student's that its tests may see (the names the
    question asks for, derived from the master by the build). Every other name a test uses -- builtins,
    modules, the test's own variables -- resolves here in the trusted process, whatever the notebook defines.
    """

    name: str
    zip_path: Path
    sha256: str
    cases: tuple[TestCase, ...]
    contract: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def questions(self) -> list[str]:
        return question_order(list(self.cases))

    def max_points(self, question: str) -> float:
        return sum(c.points for c in self.cases if c.question == question)

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.cases)


def load_autograder(zip_path: Path, name: str) -> Autograder:
    zip_path = Path(zip_path)
    if not zip_path.is_file():
        raise AutograderZipError(f"{zip_path}: no autograder zip; run `autograder build {name}` first")
    cases = cases_from_zip(zip_path)
    import zipfile

    with zipfile.ZipFile(zip_path) as archive:
        try:
            config = json.loads(archive.read("otter_config.json"))
        except (KeyError, ValueError):
            raise AutograderZipError(f"{zip_path}: no readable otter_config.json; rebuild it") from None
    if config.get("assignment_name") != name:
        raise AutograderZipError(f"{zip_path}: this autograder is for {config.get('assignment_name')!r}, not "
                                 f"{name!r}; rebuild it with `autograder build {name}`")
    return Autograder(name=name, zip_path=zip_path, sha256=hashlib.sha256(zip_path.read_bytes()).hexdigest(),
                      cases=tuple(cases), contract=contract_from_zip(zip_path))


# ---------------------------------------------------------------- the zygote and its sandboxes

class SandboxDied(Exception):
    """The sandbox process is gone (it exited, crashed, or was killed)."""


class SandboxTimeout(Exception):
    """The sandbox did not answer in time and has been killed."""


class Zygote:
    """One channel to a zygote, a warm process that forks sandboxes, as used by one grading worker.

    ``Zygote()`` starts a zygote of its own and waits until it is ready; ``Zygote(process, i)`` uses
    channel *i* of a shared ``ZygoteProcess`` (started earlier, ready on first use; its starter closes it).
    """

    def __init__(self, process: ZygoteProcess | None = None, index: int = 0):
        self._owner = process is None
        self.process = ZygoteProcess(1) if process is None else process
        self.control = self.process.channels[index]
        self.control.settimeout(120)
        self._ready = False
        if self._owner:
            try:
                self.wait_ready()
            except GradingError:
                self.process.close()
                raise

    def wait_ready(self) -> None:
        if self._ready:
            return
        try:
            ready = recv_message(self.control, 1024)
        except (EOFError, OSError, socket.timeout):
            raise GradingError("the sandbox process could not start:\n" + self.log_tail()) from None
        if json.loads(ready).get("ready") is not True:
            raise GradingError("the sandbox process sent an unexpected greeting")
        self._ready = True

    def log_tail(self) -> str:
        return self.process.log_tail()

    def spawn(self, limits: Limits) -> Sandbox:
        self.wait_ready()
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            cpus = sorted(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            cpus = None
        request = json.dumps({"limits": limits.for_sandbox(), "cpus": cpus}).encode()
        self.control.sendmsg([request], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [theirs.fileno()]))])
        theirs.close()
        line = b""
        while not line.endswith(b"\n"):
            chunk = self.control.recv(1024)
            if not chunk:
                raise GradingError("the sandbox zygote stopped:\n" + self.log_tail())
            line += chunk
        sandbox = Sandbox(mine)
        hello = sandbox.receive(timeout=60)
        if not (isinstance(hello, dict) and hello.get("hello") and isinstance(hello.get("pid"), int)):
            raise GradingError("a sandbox did not start properly:\n" + self.log_tail())
        sandbox.pid = hello["pid"]
        sandbox.mode = str(hello.get("mode"))
        return sandbox

    def close(self) -> None:
        if self._owner:
            self.process.close()
        else:
            self.control.close()  # its server ends once no process holds the channel


class Sandbox:
    """The trusted end of one sandbox's channel."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.pid: int | None = None
        self.mode = "unknown"
        self.alive = True
        self.last_size = 0  # bytes of the last reply

    def receive(self, timeout: float):
        """The next reply, whole, within *timeout* seconds (one deadline for all of it), bounded in size and
        structure before it is parsed. A late, oversized, malformed or missing reply kills the sandbox:
        every fault of the channel is the submission's (SandboxTimeout or SandboxDied), never the grader's."""
        deadline = time.monotonic() + max(0.0, timeout)
        self.last_size = 0
        try:
            data = recv_message(self.sock, MAX_REPLY, deadline)
        except TimeoutError:
            self.kill()
            raise SandboxTimeout() from None
        except (EOFError, OSError, struct.error, MemoryError):
            self.kill()
            raise SandboxDied() from None
        self.last_size = len(data)
        try:
            return codec.parse(data)
        except codec.CodecError:
            self.kill()
            raise SandboxDied() from None

    def request(self, payload: dict, timeout: float) -> dict:
        if not self.alive:
            raise SandboxDied()
        try:
            send_message(self.sock, json.dumps(payload, separators=(",", ":")).encode())
        except OSError:
            self.kill()
            raise SandboxDied() from None
        reply = self.receive(timeout)
        if not isinstance(reply, dict):
            self.kill()
            raise SandboxDied()
        return reply

    def kill(self) -> None:
        """Kill the sandbox (PID 1 of its namespace: every process in it dies) and wait until it is gone."""
        self.alive = False
        if self.pid is not None:
            for kill in (os.killpg, os.kill):
                try:
                    kill(self.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and _exists(self.pid):
                time.sleep(0.002)
        try:
            self.sock.close()
        except OSError:
            pass


def _field(reply: dict, key: str, kind: type, default):
    """``reply[key]`` when it has the expected type, else *default*: a reply's shape is never trusted."""
    value = reply.get(key) if isinstance(reply, dict) else None
    return value if isinstance(value, kind) else default


def _error_text(error: dict) -> str:
    """'Type: message' of an error the sandbox reported, cleaned and capped."""
    kind = _field(error, "type", str, "Error")[:100]
    return clean(f"{kind}: {_field(error, 'message', str, '')}")[:2000]


def _exists(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


# ---------------------------------------------------------------- grading one submission

@dataclass
class CellRecord:
    index: int
    status: str  # ok | error | timeout | crashed | memory | skipped
    seconds: float = 0.0
    error: str = ""


@dataclass
class CaseRecord:
    question: str
    index: int
    hidden: bool
    points: float
    passed: bool
    description: str
    message: str = ""


@dataclass
class SubmissionResult:
    status: str
    detail: str = ""
    questions: dict[str, dict] = field(default_factory=dict)
    cases: list[CaseRecord] = field(default_factory=list)
    cells: list[CellRecord] = field(default_factory=list)
    seconds: float = 0.0
    isolation: str = ""

    @property
    def score(self) -> float:
        return sum(q["score"] for q in self.questions.values())

    def to_json(self) -> dict:
        data = asdict(self)
        data["score"] = self.score
        return data


class _Session:
    """One submission's cells in a sandbox that can be replaced: a cell that kills or hangs its sandbox
    is left out and the others are replayed into a fresh one, so finished answers keep their points."""

    def __init__(self, zygote: Zygote, limits: Limits, cells: list[tuple[int, str]], deadline: float):
        self.zygote, self.limits, self.cells, self.deadline = zygote, limits, cells, deadline
        self.sandbox: Sandbox | None = None
        self.done: list[int] = []  # positions in self.cells that ran (and may be replayed)
        self.mode = ""
        self.out_of_time = False

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def _fresh(self) -> Sandbox:
        if self.sandbox is not None:
            self.sandbox.kill()
        self.sandbox = self.zygote.spawn(self.limits)
        self.mode = self.sandbox.mode
        for position in list(self.done):
            index, source = self.cells[position]
            budget = min(self.limits.cell_timeout, self.remaining())
            if budget <= 0:
                raise SandboxTimeout()
            try:
                self.sandbox.request({"op": "cell", "index": index, "source": source, "timeout": budget},
                                     budget + GRACE)
            except (SandboxDied, SandboxTimeout):
                self.done.remove(position)  # not replayable after all: leave it out and start again
                return self._fresh()
        return self.sandbox

    def ensure(self) -> Sandbox:
        if self.sandbox is None or not self.sandbox.alive:
            return self._fresh()
        return self.sandbox

    def ask(self, payload: dict, timeout: float) -> dict:
        """One request to the sandbox (a fresh one if needed); the test watchdog never cuts it short."""
        with _WATCHDOG.shielded():
            return self.ensure().request(payload, timeout)

    def run_cell(self, position: int, budget: float) -> CellRecord:
        index, source = self.cells[position]
        started = time.monotonic()
        try:
            sandbox = self.ensure()
        except SandboxTimeout:  # replaying the finished cells used up the submission's time
            self.out_of_time = True
            return CellRecord(index, "skipped", 0.0, "the submission's time budget was used up")
        try:
            reply = sandbox.request({"op": "cell", "index": index, "source": source, "timeout": budget},
                                    budget + GRACE)
        except SandboxTimeout:
            return CellRecord(index, "timeout", time.monotonic() - started,
                              f"stopped after the {budget:g} s cell time limit")
        except SandboxDied:
            return CellRecord(index, "crashed", time.monotonic() - started, "the cell ended the notebook's process")
        seconds = time.monotonic() - started
        error = _field(reply, "error", dict, {})
        if reply.get("ok") is not True and error.get("memory") is True:
            # What the cell allocated may still fill the address space (a list it grew stays bound): later
            # cells run in a fresh sandbox with the finished cells replayed and this one left out.
            sandbox.kill()
            return CellRecord(index, "memory", seconds, _error_text(error))
        self.done.append(position)
        if reply.get("ok") is True:
            return CellRecord(index, "ok", seconds)
        if error.get("timeout") is True:
            return CellRecord(index, "timeout", seconds, f"stopped after the {budget:g} s cell time limit")
        return CellRecord(index, "error", seconds, _error_text(error))

    def close(self) -> None:
        if self.sandbox is not None:
            self.sandbox.kill()


class _StudentFunction:
    """A student's function as the tests see it: each call runs in the sandbox."""

    def __init__(self, session: _Session, name: str):
        self._session, self._name = session, name

    def __repr__(self):
        return f"<student function {self._name}>"

    def __call__(self, *args, **kwargs):
        session = self._session
        budget = min(session.limits.cell_timeout, session.remaining())
        if budget <= 0:
            raise TimeoutError("the submission's time budget is used up")
        try:
            encoded_args, encoded_kwargs = codec.encode(list(args)), codec.encode(dict(kwargs))
        except codec.CodecError as exc:
            raise TypeError(f"cannot pass these arguments to {self._name}: {exc}") from None
        try:
            reply = session.ask({"op": "call", "name": self._name, "args": encoded_args,
                                 "kwargs": encoded_kwargs, "timeout": budget}, budget + GRACE)
        except SandboxTimeout:
            raise TimeoutError(f"{self._name} did not finish within {budget:g} s") from None
        except SandboxDied:
            raise RuntimeError(f"{self._name} ended the notebook's process") from None
        if reply.get("ok") is not True:
            error = _field(reply, "error", dict, {})
            if error.get("timeout") is True:
                raise TimeoutError(f"{self._name} did not finish within {budget:g} s")
            raise codec.rebuild_exception(_field(error, "type", str, ""), clean(_field(error, "message", str, "")))
        for warning in _field(reply, "warnings", list, [])[:20]:
            if isinstance(warning, dict):
                warnings.warn(clean(_field(warning, "message", str, ""))[:500],
                              codec.warning_category(_field(warning, "category", str, "")), stacklevel=2)
        try:
            return codec.decode(reply.get("value"))
        except codec.CodecError as exc:
            raise TypeError(f"{self._name} returned data the grader cannot read ({exc})") from None


@functools.lru_cache(maxsize=4096)
def _names_used(code: str) -> frozenset[str]:
    """Names a test's code refers to (the same few dozen tests run for every submission: parsed once)."""
    return frozenset(node.id for node in ast.walk(ast.parse(code)) if isinstance(node, ast.Name))


@functools.lru_cache(maxsize=4096)
def _compiled(code: str, filename: str):
    """A test's code object, compiled once; every run executes it in a fresh namespace."""
    return compile(code, filename, "exec")


class _TestTimeout(BaseException):
    """A test's own computation ran out of time (BaseException: test code's ``except Exception`` lets it by)."""


class _Watchdog:
    """Stops a test's computation on the trusted side at a deadline, e.g. SymPy simplifying a student's
    power tower 10**(10**30), which would otherwise hang the grader.

    SIGALRM interrupts Python code between bytecodes. Requests to the sandbox are shielded: an alarm
    during one only marks the deadline passed and the test stops when the request is over (the request
    has its own time limit), so a channel never holds half a reply and the zygote protocol is never cut.
    Works only on the main thread (signals); elsewhere tests run without it.
    """

    def __init__(self):
        self.active = False
        self.expired = False
        self.shield = 0

    def _fire(self, signum, frame):
        if self.active:
            self.expired = True
            if not self.shield:
                raise _TestTimeout()

    @contextmanager
    def installed(self):
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = signal.signal(signal.SIGALRM, self._fire)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    @contextmanager
    def armed(self, seconds: float):
        installed = signal.getsignal(signal.SIGALRM) == self._fire
        self.active, self.expired, self.shield = installed, False, 0
        if installed:
            signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
        try:
            yield
        finally:
            self.active = False
            if installed:
                signal.setitimer(signal.ITIMER_REAL, 0)

    @contextmanager
    def shielded(self):
        self.shield += 1
        try:
            yield
        finally:
            self.shield -= 1
        if self.active and self.expired and not self.shield:
            raise _TestTimeout()


_WATCHDOG = _Watchdog()


def _run_case(case: TestCase, session: _Session, names: dict[str, str], values: dict[str, object],
              contract: frozenset[str]) -> CaseRecord:
    try:
        with _WATCHDOG.armed(max(session.remaining(), 0.0) + TEST_GRACE):
            return _run_case_unguarded(case, session, names, values, contract)
    except _TestTimeout:
        return CaseRecord(case.question, case.index, case.hidden, case.points, False, case.description,
                          "the test did not finish within the submission's time limit")


def _student_value(session: _Session, name: str, values: dict[str, object]):
    """A fresh trusted copy of the student's value *name* (decoded anew for each test: a test cannot see
    another's mutation). Small values are fetched once per submission; a large one is fetched again when
    another test needs it, so no large tree is held longer than its test runs."""
    tree = values.get(name)
    if tree is None:
        budget = min(session.limits.cell_timeout, session.remaining())
        reply = session.ask({"op": "get", "name": name, "timeout": budget}, budget + GRACE)
        tree = reply.get("value") if reply.get("ok") is True else {"t": "opaque", "type": "unreadable"}
        if session.sandbox is not None and session.sandbox.last_size <= VALUE_CACHE_BYTES:
            values[name] = tree
    return codec.decode(tree)


def _run_case_unguarded(case: TestCase, session: _Session, names: dict[str, str],
                        values: dict[str, object], contract: frozenset[str]) -> CaseRecord:
    env: dict = {"__builtins__": builtins, "__name__": "__xent_test__"}
    try:
        # Only the names the question asks for come from the student; `range`, `np`, a test's own
        # `value`... always mean what they mean here, whatever the notebook defines under that name.
        for name in _names_used(case.code) & contract:
            kind = names.get(name)
            if kind == "callable":
                env[name] = _StudentFunction(session, name)
            elif kind == "value":
                env[name] = _student_value(session, name, values)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(_compiled(case.code, f"<{case.question} test {case.index + 1}>"), env)
    except (SandboxDied, SandboxTimeout):
        return CaseRecord(case.question, case.index, case.hidden, case.points, False, case.description,
                          "the notebook's process stopped while this test read a value")
    except Exception as exc:  # noqa: BLE001 - a failing test is a result
        message = str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}"
        return CaseRecord(case.question, case.index, case.hidden, case.points, False, case.description,
                          clean(message or "assertion failed")[:2000])
    return CaseRecord(case.question, case.index, case.hidden, case.points, True, case.description,
                      case.success_message or "")


def read_capped(path: Path, limit: int) -> bytes | None:
    """The bytes of the regular file *path*, or None when it holds more than *limit* (checked with fstat
    before reading, and the read itself is capped: a file growing meanwhile cannot make it larger).

    Opened without blocking, so a FIFO or device named like a notebook cannot hang the grader; anything
    but a regular file raises OSError.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(0, "not a regular file")
        if info.st_size > limit:
            return None
        with os.fdopen(os.dup(fd), "rb") as handle:
            raw = handle.read(limit + 1)
    finally:
        os.close(fd)
    return None if len(raw) > limit else raw


def read_submission(path: Path, autograder: Autograder) -> tuple[nbformat.NotebookNode | None, SubmissionResult | None]:
    """The notebook, or a result saying why it cannot be graded."""
    def invalid(why: str) -> tuple[None, SubmissionResult]:
        return None, SubmissionResult(status="invalid-notebook", detail=why)

    try:
        raw = read_capped(Path(path), MAX_NOTEBOOK_BYTES)
    except OSError as exc:
        return invalid(f"cannot read the file ({clean(exc.strerror or type(exc).__name__)})")
    if raw is None:
        return invalid(f"the file is larger than {MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB")
    if not raw.strip():
        return invalid("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError, MemoryError):
        return invalid("not a notebook: the file is not valid JSON (truncated or binary?)")
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        return invalid("not a notebook: JSON without a list of cells")
    count = len(data["cells"]) if isinstance(data.get("cells"), list) else sum(
        len(sheet.get("cells") or ()) if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list) else 0
        for sheet in data["worksheets"])
    if count > MAX_CELLS:
        return invalid(f"the notebook has {count} cells, more than the {MAX_CELLS} a submission may have")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds for bad notebooks
        return invalid(f"not a readable notebook ({type(exc).__name__})")
    for cell in nb.cells:
        if not isinstance(cell.get("source", ""), str):
            return invalid("a cell's source is not text")
    meta = (nb.metadata.get("otter") or {}) if isinstance(nb.metadata, dict) else {}
    declared = meta.get("assignment_name") if isinstance(meta, dict) else None
    if declared is not None and declared != autograder.name:
        return None, SubmissionResult(status="wrong-assignment",
                                      detail=f"the notebook is for assignment {str(declared)[:80]!r}, "
                                             f"not {autograder.name!r}")
    return nb, None


def grade_notebook(path: Path, autograder: Autograder, zygote: Zygote, limits: Limits) -> SubmissionResult:
    """Grade one submission; never raises for anything the submission does.

    Reading and checking the file happen before the submission's time budget starts: a file at the limits
    gets the same status however loaded the machine is."""
    nb, rejected = read_submission(path, autograder)
    started = time.monotonic()
    if rejected is not None:
        rejected.questions = {q: {"score": 0.0, "max_score": autograder.max_points(q)} for q in autograder.questions}
        return rejected
    cells = code_cells(nb)
    deadline = started + limits.timeout
    reserve = min(limits.timeout * 0.25, 30.0)  # time kept for the tests after the cells
    session = _Session(zygote, limits, cells, deadline)
    records: list[CellRecord] = []
    try:
        for position in range(len(cells)):
            budget = min(limits.cell_timeout, session.deadline - reserve - time.monotonic())
            if budget <= 0 or session.out_of_time:
                records += [CellRecord(i, "skipped", 0.0, "the submission's time budget was used up")
                            for i, _ in cells[position:]]
                break
            records.append(session.run_cell(position, budget))
        try:
            budget = max(0.0, min(10.0, session.remaining()))
            listing = session.ensure().request({"op": "names"}, budget + GRACE)
            names = {k: v for k, v in _field(listing, "names", dict, {}).items()
                     if isinstance(k, str) and v in ("callable", "value")}
        except (SandboxDied, SandboxTimeout):
            names = {}
        values: dict[str, object] = {}
        with _WATCHDOG.installed():
            cases = [_run_case(case, session, names, values, autograder.contract.get(case.question, frozenset()))
                     for case in autograder.cases]
        mode = session.mode
    except (SandboxDied, SandboxTimeout):
        session.out_of_time = True
        cases = [CaseRecord(c.question, c.index, c.hidden, c.points, False, c.description,
                            "the submission's time budget was used up") for c in autograder.cases]
        mode = session.mode
    finally:
        session.close()  # results exist only once every process of the sandbox is gone
    status = "timeout" if session.out_of_time else _status(records)
    result = SubmissionResult(status=status, cells=records, cases=cases, isolation=mode)
    result.detail = "; ".join(f"cell {r.index + 1}: {r.error}" for r in records
                              if r.status in ("timeout", "crashed", "memory", "skipped"))[:1000]
    for question in autograder.questions:
        earned = sum(c.points for c in cases if c.question == question and c.passed)
        maximum = autograder.max_points(question)
        if earned > maximum + 1e-9:
            raise GradingError(f"score {earned} above the maximum {maximum} for {question}")
        result.questions[question] = {"score": earned, "max_score": maximum}
    result.seconds = time.monotonic() - started
    return result


def _status(records: list[CellRecord]) -> str:
    states = {r.status for r in records}
    for status in ("timeout", "skipped", "memory", "crashed"):
        if status in states:
            return "timeout" if status == "skipped" else status
    return "ok"
