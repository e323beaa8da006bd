"""Trusted side of grading: drive a sandbox through a submission, run the tests here.

The autograder's test cases run in this (trusted) process. The student's names
are bound to proxies: calling a student function sends plain arguments to the
sandbox and gets plain data back (codec.py); reading a student value fetches
its plain-data form. Whatever the submission does to numpy, builtins or the
test files inside its sandbox cannot change how the tests here judge it.
"""

from __future__ import annotations

import ast
import builtins
import functools
import hashlib
import json
import os
import signal
import stat
import threading
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.cells import code_cells
from autograder.grading import codec
from autograder.grading.client import GRACE, Sandbox, SandboxDied, SandboxTimeout, Zygote
from autograder.grading.limits import MAX_NOTEBOOK_BYTES, Limits
from autograder.notebooks import MAX_CELLS, NotebookProblem, parse_notebook, written_answers
from autograder.otterformat import otter_metadata
from autograder.results import CaseResult, CellResult, QuestionScore, Status, SubmissionRecord, zero_scores
from autograder.testfiles import TestCase, cases_from_zip, contract_from_zip, question_order
from autograder.variantdraw import PARAMS_NAME, parameters_source
from autograder.variants import VariantSpec, spec_from_zip
from xentcore.errors import AutograderZipError, GradingError
from xentcore.safetext import clean

__all__ = ["Autograder", "Limits", "SandboxDied", "SandboxTimeout", "Zygote", "grade_notebook", "load_autograder",
           "read_submission"]
TEST_GRACE = 1.0  # seconds a test's own computation may run past the submission's deadline
VALUE_CACHE_BYTES = 1024 * 1024  # a student value this small is fetched once per submission, else per test
KEPT_VALUE_BYTES = 4096  # a variant assignment's contract value this small (encoded) is kept in the record


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
    written: dict[str, str] = field(default_factory=dict)  # written question -> its prompt (answers are read)
    variant: VariantSpec | None = None  # a variant assignment's parameters (variant.py, stored in the zip)

    @property
    def questions(self) -> list[str]:
        return question_order(list(self.cases))

    def max_points(self, question: str) -> float:
        return sum(c.points for c in self.cases if c.question == question)

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.cases)

    @property
    def maxima(self) -> dict[str, float]:
        """Each question's maximum points, in question order."""
        return {question: self.max_points(question) for question in self.questions}


def load_autograder(zip_path: Path, name: str, *, written: dict[str, str] | None = None) -> Autograder:
    """The autograder zip of assignment *name*; *written*: its written questions' prompts, so that grading
    also returns each submission's written answers."""
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
                      cases=tuple(cases), contract=contract_from_zip(zip_path), written=dict(written or {}),
                      variant=spec_from_zip(zip_path, name))


def _field(reply: dict, key: str, kind: type, default):
    """``reply[key]`` when it has the expected type, else *default*: a reply's shape is never trusted."""
    value = reply.get(key) if isinstance(reply, dict) else None
    return value if isinstance(value, kind) else default


def _error_text(error: dict) -> str:
    """'Type: message' of an error the sandbox reported, cleaned and capped."""
    kind = _field(error, "type", str, "Error")[:100]
    return clean(f"{kind}: {_field(error, 'message', str, '')}")[:2000]



# ---------------------------------------------------------------- grading one submission

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

    def run_cell(self, position: int, budget: float) -> CellResult:
        index, source = self.cells[position]
        started = time.monotonic()
        try:
            sandbox = self.ensure()
        except SandboxTimeout:  # replaying the finished cells used up the submission's time
            self.out_of_time = True
            return CellResult(index, "skipped", 0.0, "the submission's time budget was used up")
        try:
            reply = sandbox.request({"op": "cell", "index": index, "source": source, "timeout": budget},
                                    budget + GRACE)
        except SandboxTimeout:
            return CellResult(index, "timeout", time.monotonic() - started,
                              f"stopped after the {budget:g} s cell time limit")
        except SandboxDied:
            return CellResult(index, "crashed", time.monotonic() - started, "the cell ended the notebook's process")
        seconds = time.monotonic() - started
        error = _field(reply, "error", dict, {})
        if reply.get("ok") is not True and error.get("memory") is True:
            # What the cell allocated may still fill the address space (a list it grew stays bound): later
            # cells run in a fresh sandbox with the finished cells replayed and this one left out.
            sandbox.kill()
            return CellResult(index, "memory", seconds, _error_text(error))
        self.done.append(position)
        if reply.get("ok") is True:
            return CellResult(index, "ok", seconds)
        if error.get("timeout") is True:
            return CellResult(index, "timeout", seconds, f"stopped after the {budget:g} s cell time limit")
        return CellResult(index, "error", seconds, _error_text(error))

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
              contract: frozenset[str], params: dict | None = None) -> CaseResult:
    try:
        with _WATCHDOG.armed(max(session.remaining(), 0.0) + TEST_GRACE):
            return _run_case_unguarded(case, session, names, values, contract, params)
    except _TestTimeout:
        return CaseResult(case.question, case.index, case.hidden, case.points, False, case.described(params),
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
                        values: dict[str, object], contract: frozenset[str], params: dict | None) -> CaseResult:
    env: dict = {"__builtins__": builtins, "__name__": "__xent_test__"}
    description = case.described(params)
    if params is not None:  # the student's own numbers, provided here (a fresh copy: a test may not change them)
        env[PARAMS_NAME] = json.loads(json.dumps(params))
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
        return CaseResult(case.question, case.index, case.hidden, case.points, False, description,
                          "the notebook's process stopped while this test read a value")
    except Exception as exc:  # noqa: BLE001 - a failing test is a result
        message = str(exc) if isinstance(exc, AssertionError) else f"{type(exc).__name__}: {exc}"
        return CaseResult(case.question, case.index, case.hidden, case.points, False, description,
                          clean(message or "assertion failed")[:2000])
    return CaseResult(case.question, case.index, case.hidden, case.points, True, description,
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


def read_submission(path: Path, autograder: Autograder) -> tuple[nbformat.NotebookNode | None, SubmissionRecord | None]:
    """The notebook, or a record saying why it cannot be graded."""
    def invalid(why: str) -> tuple[None, SubmissionRecord]:
        return None, SubmissionRecord(status=Status.INVALID_NOTEBOOK, detail=why)

    try:
        raw = read_capped(Path(path), MAX_NOTEBOOK_BYTES)
    except OSError as exc:
        return invalid(f"cannot read the file ({clean(exc.strerror or type(exc).__name__)})")
    if raw is None:
        return invalid(f"the file is larger than {MAX_NOTEBOOK_BYTES // (1024 * 1024)} MB")
    try:
        nb = parse_notebook(raw, max_cells=MAX_CELLS)
    except NotebookProblem as problem:
        return invalid(str(problem))
    declared = otter_metadata(nb).get("assignment_name")
    if declared is not None and declared != autograder.name:
        return None, SubmissionRecord(status=Status.WRONG_ASSIGNMENT,
                                      detail=f"the notebook is for assignment {str(declared)[:80]!r}, "
                                             f"not {autograder.name!r}")
    return nb, None


def grade_notebook(path: Path, autograder: Autograder, zygote: Zygote, limits: Limits, *,
                   params: dict | None = None, nb: nbformat.NotebookNode | None = None) -> SubmissionRecord:
    """Grade one submission; never raises for anything the submission does.

    For a variant assignment, *params* are the owner's parameters (default: the canonical variant). The
    notebook runs with a parameters cell holding them, and the tests read them as ``PARAMS``.
    *nb*: the notebook when the caller has already read it (read_submission).

    Reading and checking the file happen before the submission's time budget starts: a file at the limits
    gets the same status however loaded the machine is."""
    if autograder.variant is not None and params is None:
        params = autograder.variant.canonical
    if autograder.variant is None:
        params = None
    rejected = None
    if nb is None:
        nb, rejected = read_submission(path, autograder)
    started = time.monotonic()
    if rejected is not None:
        rejected.questions = zero_scores(autograder.maxima)
        return rejected
    cells = code_cells(nb, parameters_source(params) if params is not None else None)
    answers = written_answers(nb, autograder.written) if autograder.written else None
    deadline = started + limits.timeout
    reserve = min(limits.timeout * 0.25, 30.0)  # time kept for the tests after the cells
    session = _Session(zygote, limits, cells, deadline)
    records: list[CellResult] = []
    names: dict[str, str] = {}
    values: dict[str, object] = {}
    try:
        for position in range(len(cells)):
            budget = min(limits.cell_timeout, session.deadline - reserve - time.monotonic())
            if budget <= 0 or session.out_of_time:
                records += [CellResult(i, "skipped", 0.0, "the submission's time budget was used up")
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
        with _WATCHDOG.installed():
            cases = [_run_case(case, session, names, values, autograder.contract.get(case.question, frozenset()),
                               params) for case in autograder.cases]
        mode = session.mode
    except (SandboxDied, SandboxTimeout):
        session.out_of_time = True
        cases = [CaseResult(c.question, c.index, c.hidden, c.points, False, c.described(params),
                            "the submission's time budget was used up") for c in autograder.cases]
        mode = session.mode
    finally:
        session.close()  # results exist only once every process of the sandbox is gone
    status = Status.TIMEOUT if session.out_of_time else _status(records)
    kept = kept_values(autograder, names, values) if params is not None else {}
    result = SubmissionRecord(status=status, cells=records, cases=cases, isolation=mode, manual_answers=answers,
                              params=params, values=kept)
    result.detail = "; ".join(f"cell {r.index + 1}: {r.error}" for r in records
                              if r.status in ("timeout", "crashed", "memory", "skipped"))[:1000]
    for question in autograder.questions:
        earned = sum(c.points for c in cases if c.question == question and c.passed)
        maximum = autograder.max_points(question)
        if earned > maximum + 1e-9:
            raise GradingError(f"score {earned} above the maximum {maximum} for {question}")
        result.questions[question] = QuestionScore(earned, maximum)
    result.seconds = time.monotonic() - started
    return result


def kept_values(autograder: Autograder, names: dict[str, str], values: dict[str, object]) -> dict[str, object]:
    """The submission's contract values (not functions) that the tests fetched, as codec trees, each at most
    KEPT_VALUE_BYTES encoded: what the integrity check compares with every variant's answers. Nothing more
    is asked of the sandbox; values the grader cannot read (opaque) are left out."""
    contract = set().union(*autograder.contract.values()) if autograder.contract else set()
    kept = {}
    for name in sorted(contract):
        tree = values.get(name)
        if names.get(name) != "value" or tree is None:
            continue
        if isinstance(tree, dict) and tree.get("t") == "opaque":
            continue
        try:
            size = len(json.dumps(tree, allow_nan=False))
        except (TypeError, ValueError, RecursionError):
            continue
        if size <= KEPT_VALUE_BYTES:
            kept[name] = tree
    return kept


def _status(records: list[CellResult]) -> Status:
    """The submission's status from its cells': the worst of them (a skipped cell means time ran out)."""
    states = {r.status for r in records}
    for state, status in (("timeout", Status.TIMEOUT), ("skipped", Status.TIMEOUT), ("memory", Status.MEMORY),
                          ("crashed", Status.CRASHED)):
        if state in states:
            return status
    return Status.OK
