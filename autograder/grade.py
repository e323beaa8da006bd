"""`autograder grade`: grade a batch of submissions into a gradebook, resumably and in parallel.

Each worker process owns a zygote (warm sandbox parent) and the loaded
autograder. The main process only collects inputs, skips submissions already
graded with the same content, autograder and limits, and writes every result
as soon as it arrives, so an interrupted batch loses nothing it finished.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from autograder import project
from autograder.errors import UsageError
from autograder.gradebook import Submission, load_previous, safe_slug, write_gradebook, write_result
from autograder.master import load_master
from autograder.packet import extract_manual_answers
from autograder.runner import Autograder, Limits, Zygote, grade_notebook, load_autograder, read_submission

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


def collect_inputs(inputs: list[Path]) -> list[Path]:
    """Notebook files named directly (any name) or found in named folders, in a stable order."""
    files: list[Path] = []
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            found = sorted(p for p in item.rglob("*.ipynb")
                           if p.is_file() and ".ipynb_checkpoints" not in p.parts)
            files.extend(found)
        elif item.is_file():
            files.append(item)
        else:
            raise UsageError(f"{item}: no such file or folder; name notebooks or folders of notebooks")
    unique = list(dict.fromkeys(p.resolve() for p in files))
    if not unique:
        raise UsageError("no submissions found in " + ", ".join(str(i) for i in inputs)
                         + "; folders are searched for *.ipynb files")
    return unique


def name_submissions(paths: list[Path]) -> list[Submission]:
    taken_names: set[str] = set()
    taken_slugs: set[str] = set()
    submissions = []
    for path in paths:
        base = path.name[:-6] if path.name.endswith(".ipynb") else path.name
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
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            digest = "unreadable"
        submissions.append(Submission(name=name, path=path, slug=slug, sha256=digest))
    return submissions


def _record(submission: Submission, autograder: Autograder, limits: Limits, result) -> dict:
    data = result.to_json()
    return {
        "version": 1, "grader": GRADER_VERSION, "submission": submission.name, "file": submission.path.name,
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
    _WORKER["autograder"] = load_autograder(Path(zip_path), name)
    _WORKER["zygote"] = Zygote()
    _WORKER["limits"] = limits


def _worker_grade(submission: Submission) -> dict:
    autograder, limits = _WORKER["autograder"], _WORKER["limits"]
    result = grade_notebook(submission.path, autograder, _WORKER["zygote"], limits)
    return _record(submission, autograder, limits, result)


def grade_batch(name: str, inputs: list[Path], *, out: Path, root: Path = Path("."), dist: Path = Path("dist"),
                workers: int | None = None, limits: Limits = Limits(),
                progress: Callable[[int, int], None] | None = None) -> BatchSummary:
    """Grade every input notebook for assignment *name*; write OUT/gradebook.csv, results/ and feedback/."""
    project.resolve_assignments(root, [name])
    zip_path = project.autograder_zip(Path(root) / dist if not Path(dist).is_absolute() else Path(dist), name)
    autograder = load_autograder(zip_path, name)
    if limits.timeout <= 0 or limits.cell_timeout <= 0 or limits.memory_mb < 256:
        raise UsageError("--timeout and --cell-timeout must be positive and --memory at least 256 MB")
    submissions = name_submissions(collect_inputs(inputs))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    key = _limits_key(limits)
    records: dict[str, dict] = {}
    pending = []
    for submission in submissions:
        previous = load_previous(out, submission, autograder.sha256, key)
        if previous is not None:
            records[submission.slug] = previous
        else:
            pending.append(submission)
    reused = len(records)
    tick = _progress_bar(len(submissions), reused) if progress is None else progress
    workers = max(1, min(workers or os.cpu_count() or 1, len(pending) or 1))
    done = reused

    master = load_master(project.master_path(root, name), name)

    def store(submission: Submission, record: dict) -> None:
        nonlocal done
        if master.manual_questions and record["status"] not in ("invalid-notebook", "wrong-assignment"):
            notebook, _ = read_submission(submission.path, autograder)
            record["manual_answers"] = extract_manual_answers(notebook, master) if notebook is not None else {}
        write_result(out, submission, record)
        records[submission.slug] = record
        done += 1
        tick(done, len(submissions))

    if pending and workers == 1:
        _grade_serially(pending, autograder, limits, store)
    elif pending:
        retry: list[Submission] = []
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                                 initargs=(str(zip_path), name, limits)) as pool:
            futures = {pool.submit(_worker_grade, s): s for s in pending}
            try:
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
    rows = [records[s.slug] for s in submissions]
    gradebook = write_gradebook(out, rows, autograder.questions)
    summary = BatchSummary(out=out, gradebook=gradebook, rows=rows, graded=len(pending), reused=reused,
                           isolation={r.get("isolation", "") for r in rows if r["status"] not in
                                      ("invalid-notebook", "wrong-assignment")})
    from autograder.report import mutant_patterns, write_report

    patterns = mutant_patterns(Path(root), name, autograder, out)
    summary.report = write_report(out, rows, autograder, patterns=patterns, warnings=summary.warnings)
    return summary


def _grade_serially(pending: list[Submission], autograder: Autograder, limits: Limits,
                    store: Callable[[Submission, dict], None]) -> None:
    """Grade in this process, one zygote for all; a fault of the grader itself becomes a row, not a crash."""
    zygote = None
    try:
        for submission in pending:
            try:
                zygote = zygote or Zygote()
                result = grade_notebook(submission.path, autograder, zygote, limits)
                record = _record(submission, autograder, limits, result)
            except Exception as exc:  # noqa: BLE001 - the batch goes on; this row says what happened
                if zygote is not None:
                    zygote.close()
                    zygote = None
                record = _grader_error(submission, autograder, limits, exc)
            store(submission, record)
    finally:
        if zygote is not None:
            zygote.close()


def _grader_error(submission: Submission, autograder: Autograder, limits: Limits, exc: Exception) -> dict:
    """A zero-score row for a submission the grader failed on (never reused: the next run grades it again)."""
    return {
        "version": 1, "grader": GRADER_VERSION, "submission": submission.name, "file": submission.path.name,
        "sha256": submission.sha256, "assignment": autograder.name, "autograder_sha256": autograder.sha256,
        "limits": _limits_key(limits), "status": "grader-error",
        "detail": f"the grader failed on this submission ({type(exc).__name__}: {str(exc)[:300]}); "
                  "run the same command again to retry it",
        "score": 0.0, "max_score": autograder.max_score,
        "questions": {q: {"score": 0.0, "max_score": autograder.max_points(q)} for q in autograder.questions},
        "cases": [], "cells": [], "isolation": "", "seconds": 0.0,
    }


def _progress_bar(total: int, initial: int) -> Callable[[int, int], None]:
    if not sys.stderr.isatty():
        return lambda done, total: None
    from tqdm import tqdm

    bar = tqdm(total=total, initial=initial, unit="submission", file=sys.stderr)

    def tick(done: int, total: int) -> None:
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return tick
