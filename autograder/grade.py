"""`autograder grade`: grade a batch of submissions into a gradebook, resumably and in parallel.

The main process collects inputs, skips submissions already graded with the
same content, autograder and limits, and writes every result as soon as it
arrives, so an interrupted batch loses nothing it finished. Grading runs in
worker processes, each with the loaded autograder and its own channel to one
shared zygote (warm sandbox parent).

Fixed costs are kept off the critical path (docs/design-decisions.md, "Start-up
of a grading command"): the zygote starts first and imports while this process
loads what the trusted side needs; workers are then forked from this warm
process (spawned fresh only when it already runs threads, where fork is unsafe).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import stat
import sys
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from autograder import project, safetext
from xentcore.errors import UsageError
from autograder.gradebook import (Submission, load_previous, safe_slug, write_gradebook, write_plain_report,
                                  write_result)
from autograder.master import load_master
from autograder.packet import extract_manual_answers
from autograder.runner import (MAX_NOTEBOOK_BYTES, Autograder, Limits, SubmissionResult, Zygote, grade_notebook,
                               load_autograder, read_submission)
from autograder.sandbox import ZygoteProcess, preloads_for

GRADER_VERSION = "xent-lab-1"


@dataclass
class BatchSummary:
    out: Path
    gradebook: Path
    rows: list[dict]
    graded: int
    reused: int
    isolation: set[str] = field(default_factory=set)
    report: Path | None = None

    @property
    def warnings(self) -> list[str]:
        weak = sorted(mode for mode in self.isolation if mode not in ("namespaces", ""))
        if weak:
            return ["sandboxes ran without Linux namespaces (the kernel refused them): submissions were "
                    "limited by rlimits and their own session only; a hostile submission could read other "
                    "files of this user. Grade on a machine that allows unprivileged user namespaces."]
        return []

    def describe(self) -> str:
        counts: dict[str, int] = {}
        for row in self.rows:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        statuses = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        lines = [f"graded {self.graded} submission(s), reused {self.reused} earlier result(s): {statuses}",
                 f"gradebook: {self.gradebook}",
                 f"report:    {self.report}",
                 f"results:   {self.out / 'results'}/",
                 f"feedback:  {self.out / 'feedback'}/"]
        return "\n".join(lines + [f"WARNING: {w}" for w in self.warnings])


@dataclass(frozen=True)
class Input:
    """One input file as found: *path* as named or found (never resolved), *outside* when it is a link
    that leads out of the folder it was found in (it gets a row, but is never read)."""

    path: Path
    outside: bool = False


def collect_inputs(inputs: list[Path]) -> list[Input]:
    """Notebook files named directly (any name) or found in named folders, in a stable order.

    Every path gets exactly one row under its own name. Symbolic links are not followed out of the folder
    they were found in (a link to the instructor's solution, or to /etc/shadow, is a row of its own that
    is never read); links to folders are not entered. A file named directly is the instructor's choice
    and is read wherever it points.
    """
    found: list[Input] = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            base = os.path.realpath(item)
            for folder, dirs, names in os.walk(item):  # does not enter linked folders
                dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
                for name in sorted(names):
                    path = Path(folder, name)
                    if not name.endswith(".ipynb"):
                        continue
                    if path.is_symlink():
                        target = os.path.realpath(path)
                        inside = target.startswith(base + os.sep) and os.path.isfile(target)
                        found.append(Input(path, outside=not inside))
                    else:  # a FIFO or device named like a notebook gets a row too, and is never opened blocking
                        found.append(Input(path))
        elif item.is_file() or item.is_symlink():
            found.append(Input(item))
        else:
            raise UsageError(f"{safetext.file_name(str(item))}: no such file or folder; name notebooks or "
                             "folders of notebooks")
    unique = list({os.path.abspath(entry.path): entry for entry in found}.values())
    if not unique:
        raise UsageError("no submissions found in " + ", ".join(safetext.file_name(str(i)) for i in inputs)
                         + "; folders are searched for *.ipynb files")
    return unique


def name_submissions(inputs: list[Input | Path]) -> list[Submission]:
    taken_names: set[str] = set()
    taken_slugs: set[str] = set()
    submissions = []
    for entry in inputs:
        entry = entry if isinstance(entry, Input) else Input(Path(entry))
        path = entry.path
        shown = safetext.file_name(path.name)  # a name that is not UTF-8 still makes a row
        base = shown[:-6] if shown.endswith(".ipynb") else shown
        name, n = base, 1
        while name in taken_names:
            n += 1
            name = f"{base}-{n}"
        slug, n = safe_slug(name), 1
        while slug.lower() in taken_slugs:
            n += 1
            slug = f"{safe_slug(name)}-{n}"
        taken_names.add(name)
        taken_slugs.add(slug.lower())
        digest = "outside-link" if entry.outside else _digest(path)
        submissions.append(Submission(name=name, path=path, slug=slug, sha256=digest, outside=entry.outside))
    return submissions


def _digest(path: Path) -> str:
    """SHA-256 of the file's content read in pieces (a huge file is never held in memory), or a marker."""
    digest = hashlib.sha256()
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return "unreadable"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "not-a-file"
        if info.st_size > MAX_NOTEBOOK_BYTES:  # never graded: its size and date identify it well enough
            return f"too-large-{info.st_size}-{info.st_mtime_ns}"
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
    except OSError:
        return "unreadable"
    finally:
        os.close(fd)
    return digest.hexdigest()


def _record(submission: Submission, autograder: Autograder, limits: Limits, result) -> dict:
    data = result.to_json()
    return {
        "version": 1, "grader": GRADER_VERSION, "submission": submission.name,
        "file": safetext.file_name(submission.path.name),
        "sha256": submission.sha256, "assignment": autograder.name, "autograder_sha256": autograder.sha256,
        "limits": _limits_key(limits), "status": data["status"], "detail": data["detail"],
        "score": data["score"], "max_score": autograder.max_score, "questions": data["questions"],
        "cases": data["cases"], "cells": data["cells"], "isolation": data["isolation"],
        "seconds": round(data["seconds"], 3),
    }


def _limits_key(limits: Limits) -> dict:
    return {"timeout": limits.timeout, "cell_timeout": limits.cell_timeout, "memory_mb": limits.memory_mb}


# ---------------------------------------------------------------- worker processes

_WORKER: dict = {}


def _worker_init(zip_path: str, name: str, limits: Limits) -> None:
    """A spawned worker: loads the autograder and starts a zygote of its own."""
    _WORKER["autograder"] = load_autograder(Path(zip_path), name)
    _WORKER["zygote"] = Zygote()
    _WORKER["limits"] = limits


def _forked_worker_init(autograder: Autograder, zygotes: ZygoteProcess, channels, limits: Limits) -> None:
    """A forked worker: inherits the loaded autograder and takes the next free channel of the shared zygote."""
    mine = channels.get()
    for index, channel in enumerate(zygotes.channels):
        if index != mine:
            channel.close()  # only its own worker (and the main process) may hold a channel
    _pin_to_one_cpu(mine)
    _WORKER.update(autograder=autograder, zygote=Zygote(zygotes, mine), limits=limits)


def _pin_to_one_cpu(index: int) -> None:
    """Keep worker *index*, and the sandboxes it asks for, on one CPU of those allowed (round robin).

    A worker and its sandbox take turns, never run at once; on one CPU their many small requests need no
    cross-CPU wake-ups, and the workers do not migrate onto each other's CPU.
    """
    try:
        allowed = sorted(os.sched_getaffinity(0))
        if len(allowed) > 1:
            os.sched_setaffinity(0, {allowed[index % len(allowed)]})
    except (AttributeError, OSError):
        pass


def can_fork() -> bool:
    """Fork workers from this process only when that is safe: POSIX fork available, and no other thread
    (a thread holding a lock at the fork would leave it locked forever in the child)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def preload_trusted(autograder: Autograder) -> None:
    """Import, before the workers fork, what their trusted side will need: matplotlib's Figure when the
    tests look at a figure (a student figure is rebuilt as one) and SymPy when the tests use it."""
    code = "\n".join(case.code for case in autograder.cases)
    if any(word in code for word in ("matplotlib", "Figure", "fig")):
        import matplotlib.figure  # noqa: F401
    if "sympy" in code:
        import sympy  # noqa: F401


def _worker_grade(submission: Submission) -> dict:
    autograder, limits = _WORKER["autograder"], _WORKER["limits"]
    result = grade_notebook(submission.path, autograder, _WORKER["zygote"], limits)
    return _record(submission, autograder, limits, result)


def grade_batch(name: str, inputs: list[Path], *, out: Path, root: Path = Path("."), dist: Path = Path("dist"),
                workers: int | None = None, limits: Limits = Limits(),
                progress: Callable[[int, int], None] | None = None,
                zygotes: ZygoteProcess | None = None) -> BatchSummary:
    """Grade every input notebook for assignment *name*; write OUT/gradebook.csv, results/ and feedback/.

    *zygotes*: a zygote process the caller started early (the CLI does, before its heavy imports), with a
    channel per worker; used when it fits and closed once grading is done (closing it again is harmless,
    and the caller must when this raises first).
    """
    project.resolve_assignments(root, [name])
    dist = project.resolve_dist(root, dist)
    zip_path = project.autograder_zip(dist, name)
    autograder = load_autograder(zip_path, name)
    if limits.timeout <= 0 or limits.cell_timeout <= 0 or limits.memory_mb < 256:
        raise UsageError("--timeout and --cell-timeout must be positive and --memory at least 256 MB")
    submissions = name_submissions(collect_inputs(inputs))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    key = _limits_key(limits)
    records: dict[str, dict] = {}
    pending = []
    master = load_master(project.master_path(root, name), name)
    done = 0

    def store(submission: Submission, record: dict) -> None:
        """Keep and write one submission's record. Whatever fails here is that submission's grader-error
        row (retried by the next run); the batch goes on and still writes its gradebook and report."""
        nonlocal done
        try:
            if master.manual_questions and record["status"] not in ("invalid-notebook", "wrong-assignment"):
                notebook, _ = read_submission(submission.path, autograder)
                record["manual_answers"] = extract_manual_answers(notebook, master) if notebook is not None else {}
            record = safetext.clean_tree(record)  # student text may hold what UTF-8 cannot write
            write_result(out, submission, record)
        except Exception as exc:  # noqa: BLE001 - one submission's failure to write is its own row
            record = _grader_error(submission, autograder, limits, exc)
            try:
                write_result(out, submission, record)
            except Exception:  # noqa: BLE001 - the row still reaches the gradebook
                pass
        records[submission.slug] = record
        done += 1
        tick(done, len(submissions))

    reused = 0
    tick: Callable[[int, int], None] = lambda done, total: None  # noqa: E731 - the progress bar comes below
    for submission in submissions:
        previous = load_previous(out, submission, autograder.sha256, key)
        if previous is not None:
            records[submission.slug] = previous
            reused += 1
            done += 1
        elif submission.outside:
            store(submission, _rejected(submission, autograder, limits, "invalid-notebook",
                                        "a symbolic link that leads out of the submissions folder (or nowhere): "
                                        "it was not read; submit the notebook file itself"))
        else:
            pending.append(submission)
    tick = _progress_bar(len(submissions), done) if progress is None else progress
    workers = max(1, min(workers or os.cpu_count() or 1, len(pending) or 1))

    forked = bool(pending) and workers > 1 and can_fork()
    shared = bool(pending) and (forked or workers == 1)  # one zygote for this process or its forked workers
    preload = preloads_for(*project.sandbox_sources(dist, name)) if shared else ()
    if zygotes is not None and not (shared and len(zygotes.channels) >= workers and zygotes.preload == preload):
        zygotes.close()
        zygotes = None
    if shared and zygotes is None:
        zygotes = ZygoteProcess(workers, preload)
    try:
        if pending:
            preload_trusted(autograder)  # meanwhile the zygote imports in its own process
        if pending and workers == 1:
            _grade_serially(pending, autograder, limits, store, zygote=Zygote(zygotes, 0))
        elif pending:
            _grade_in_pool(pending, autograder, zip_path, limits, workers, store, zygotes if forked else None)
    finally:
        if zygotes is not None:
            zygotes.close()
    rows = [records[s.slug] for s in submissions]
    graded = len(submissions) - reused
    gradebook = write_gradebook(out, rows, autograder.questions)
    summary = BatchSummary(out=out, gradebook=gradebook, rows=rows, graded=graded, reused=reused,
                           isolation={r.get("isolation", "") for r in rows if r["status"] not in
                                      ("invalid-notebook", "wrong-assignment")})
    from autograder.report import mutant_patterns, write_report

    try:
        patterns = mutant_patterns(Path(root), name, autograder, out, built=project.mutant_patterns_file(dist, name))
        summary.report = write_report(out, rows, autograder, patterns=patterns, warnings=summary.warnings)
    except Exception as exc:  # noqa: BLE001 - a batch always ends with a report, if a plain one
        summary.report = write_plain_report(out, rows, autograder, exc)
    return summary


def _grade_in_pool(pending: list[Submission], autograder: Autograder, zip_path: Path, limits: Limits,
                   workers: int, store: Callable[[Submission, dict], None], zygotes: ZygoteProcess | None) -> None:
    """Grade *pending* in *workers* processes: forked, sharing *zygotes*, or (when None) spawned, each with a
    zygote of its own. A worker fault or a broken pool loses nothing: those submissions are graded again
    in this process."""
    retry: list[Submission] = []
    if zygotes is not None:
        context = multiprocessing.get_context("fork")
        channels = context.SimpleQueue()
        for index in range(len(zygotes.channels)):
            channels.put(index)
        initializer, initargs = _forked_worker_init, (autograder, zygotes, channels, limits)
    else:
        context = multiprocessing.get_context("spawn")
        initializer, initargs = _worker_init, (str(zip_path), autograder.name, limits)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer,
                             initargs=initargs) as pool:
        futures = {pool.submit(_worker_grade, s): s for s in pending}
        try:
            import matplotlib.figure  # noqa: F401 - for the report, imported while the workers grade

            remaining = set(futures)
            while remaining:
                finished, remaining = wait(remaining, return_when=FIRST_COMPLETED)
                for future in finished:
                    try:
                        record = future.result()
                    except Exception:  # noqa: BLE001 - a worker fault (or a broken pool) loses nothing:
                        retry.append(futures[future])  # the submission is graded again below
                        continue
                    store(futures[future], record)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    if retry:
        _grade_serially(sorted(retry, key=pending.index), autograder, limits, store)


def _grade_serially(pending: list[Submission], autograder: Autograder, limits: Limits,
                    store: Callable[[Submission, dict], None], zygote: Zygote | None = None) -> None:
    """Grade in this process, one zygote for all; a fault of the grader itself becomes a row, not a crash.

    A *zygote* passed in belongs to the caller; after a fault this function starts (and closes) its own."""
    own = None
    try:
        for submission in pending:
            try:
                if zygote is None:
                    zygote = own = Zygote()
                result = grade_notebook(submission.path, autograder, zygote, limits)
                record = _record(submission, autograder, limits, result)
            except Exception as exc:  # noqa: BLE001 - the batch goes on; this row says what happened
                if own is not None:
                    own.close()
                zygote = own = None
                record = _grader_error(submission, autograder, limits, exc)
            store(submission, record)
    finally:
        if own is not None:
            own.close()


def _rejected(submission: Submission, autograder: Autograder, limits: Limits, status: str, detail: str) -> dict:
    """A zero-score row for a submission that was not graded (*status* says why)."""
    result = SubmissionResult(status=status, detail=detail,
                              questions={q: {"score": 0.0, "max_score": autograder.max_points(q)}
                                         for q in autograder.questions})
    return _record(submission, autograder, limits, result)


def _grader_error(submission: Submission, autograder: Autograder, limits: Limits, exc: Exception) -> dict:
    """A zero-score row for a submission the grader failed on (never reused: the next run grades it again)."""
    return _rejected(submission, autograder, limits, "grader-error",
                     safetext.clean(f"the grader failed on this submission ({type(exc).__name__}: "
                                    f"{str(exc)[:300]}); run the same command again to retry it"))


def _progress_bar(total: int, initial: int) -> Callable[[int, int], None]:
    if not sys.stderr.isatty():
        return lambda done, total: None
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: grading workers are forked only from a single-threaded process
    bar = tqdm(total=total, initial=initial, unit="submission", file=sys.stderr)

    def tick(done: int, total: int) -> None:
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return tick
