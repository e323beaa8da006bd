"""`autograder grade`: grade a batch of submissions into a gradebook, resumably and in parallel.

The main process collects inputs, skips submissions already graded with the same content, autograder and
limits, and writes every record as soon as it arrives, so an interrupted batch loses nothing it finished.
Grading runs in worker processes, each with the loaded autograder and its own channel to one shared zygote
(warm sandbox parent).

Start-up is this module's: fixed costs are kept off the critical path (docs/design-decisions.md, "Start-up
of a grading command"). Its top-level imports are light; :func:`grade_batch` starts the zygote as soon as
it knows there is work, and only then imports the trusted side (numpy, nbformat, matplotlib), while the
zygote imports in its own process; workers are then forked from this warm process (spawned fresh, each
with a zygote of its own, only when this process already runs threads and forking is unsafe).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import stat
import sys
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from autograder import project, results
from autograder.gradebook import (Submission, feedback_files, load_previous, result_path, safe_slug, write_gradebook,
                                  write_plain_report, write_result)
from autograder.grading.limits import MAX_NOTEBOOK_BYTES, Limits
from autograder.grading.owners import Owners, code_index, run_integrity
from autograder.grading.shards import check_shard_options, finish_shard, plan_shards, start_shard
from autograder.grading.sandbox import ZygoteProcess, matplotlib_folder, preloads_for
from autograder.processes import can_fork
from autograder.results import Status, SubmissionRecord, isolation_warnings, status_counts, zero_scores
from xentcore import safetext
from xentcore.errors import UsageError



@dataclass
class BatchSummary:
    out: Path
    gradebook: Path
    records: list[SubmissionRecord]
    graded: int
    reused: int
    autograder_zip: Path | None = None
    isolation: set[str] = field(default_factory=set)
    report: Path | None = None
    regrade: object | None = None  # regrade.RegradeReport when OUT held earlier results
    notes: list[str] = field(default_factory=list)  # warnings about the roster and key (results.variant_warnings)
    integrity: object | None = None  # integrity.Integrity when graded with a roster

    @property
    def rows(self) -> list[dict]:
        """The records as their JSON (what results/<submission>.json holds), in gradebook order."""
        return [record.to_json() for record in self.records]

    @property
    def warnings(self) -> list[str]:
        return isolation_warnings(self.isolation) + self.notes

    def describe(self) -> str:
        statuses = status_counts(self.records)
        if self.regrade is not None and self.regrade.dry_run:
            return f"dry run: {len(self.records)} submission(s), {statuses}\n{self.regrade.describe()}"
        lines = [f"graded {self.graded} submission(s), reused {self.reused} earlier result(s): {statuses}",
                 f"autograder: {self.autograder_zip}",
                 f"gradebook: {self.gradebook}",
                 f"report:    {self.report}",
                 f"results:   {self.out / 'results'}/",
                 f"feedback:  {self.out / 'feedback'}/"]
        if self.regrade is not None:
            lines.append(self.regrade.describe())
        if self.integrity is not None:
            lines.append(f"integrity: {len(self.integrity.variant_findings)} answer(s) right for another student's "
                         f"variant, {len(self.integrity.code_findings)} pair(s) of near-identical code "
                         f"(report.html#integrity, {self.out / 'integrity.csv'})")
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


def _limits_key(limits: Limits, owners=None) -> dict:
    """What a stored result must have been graded with to be reused (limits; with a roster, its key and roster)."""
    key = {"timeout": limits.timeout, "cell_timeout": limits.cell_timeout, "memory_mb": limits.memory_mb}
    if owners is not None:
        key["variants"] = owners.fingerprint
    return key


def _identified(record: SubmissionRecord, submission: Submission, autograder, limits: Limits,
                owners=None) -> SubmissionRecord:
    """*record* with the submission's and the autograder's identity, every text made safe to write."""
    record = record.with_identity(submission=submission.name, file=safetext.file_name(submission.path.name),
                                  sha256=submission.sha256, assignment=autograder.name,
                                  autograder_sha256=autograder.sha256, limits=_limits_key(limits, owners))
    return SubmissionRecord.from_json(safetext.clean_tree(record.to_json()))  # student text: always writable


def _rejected(submission: Submission, autograder, limits: Limits, status: Status, detail: str,
              owners=None) -> SubmissionRecord:
    """A zero-score record for a submission that was not graded (*status* says why)."""
    return _identified(SubmissionRecord(status=status, detail=detail, questions=zero_scores(autograder.maxima)),
                       submission, autograder, limits, owners)


def _grader_error(submission: Submission, autograder, limits: Limits, exc: Exception,
                  owners=None) -> SubmissionRecord:
    """A zero-score record for a submission the grader failed on (never reused: the next run grades it again)."""
    return _rejected(submission, autograder, limits, Status.GRADER_ERROR,
                     f"the grader failed on this submission ({type(exc).__name__}: {str(exc)[:300]}); "
                     "run the same command again to retry it", owners)


# ---------------------------------------------------------------- worker processes

_WORKER: dict = {}


def _worker_init(zip_path: str, name: str, written: dict[str, str], limits: Limits, owners) -> None:
    """A spawned worker: loads the autograder and starts a zygote of its own."""
    from autograder.grading.runner import Zygote, load_autograder

    _WORKER["autograder"] = load_autograder(Path(zip_path), name, written=written)
    _WORKER["zygote"] = Zygote()
    _WORKER["limits"] = limits
    _WORKER["owners"] = owners


def _forked_worker_init(autograder, zygotes: ZygoteProcess, channels, limits: Limits, owners) -> None:
    """A forked worker: inherits the loaded autograder and takes the next free channel of the shared zygote."""
    from autograder.grading.client import claim_channel

    _WORKER.update(autograder=autograder, zygote=claim_channel(zygotes, channels), limits=limits, owners=owners)


def preload_trusted(autograder) -> None:
    """Import, before the workers fork, what their trusted side will need: matplotlib's Figure when the
    tests look at a figure (a student figure is rebuilt as one) and SymPy when the tests use it."""
    code = "\n".join(case.code for case in autograder.cases)
    if any(word in code for word in ("matplotlib", "Figure", "fig")):
        import matplotlib.figure  # noqa: F401
    if "sympy" in code:
        import sympy  # noqa: F401


def _worker_grade(submission: Submission) -> SubmissionRecord:
    autograder, limits = _WORKER["autograder"], _WORKER["limits"]
    return _grade_one(submission, autograder, _WORKER["zygote"], limits, _WORKER["owners"])


def _grade_one(submission: Submission, autograder, zygote, limits: Limits, owners: Owners | None) -> SubmissionRecord:
    """One submission graded (with a roster: on its owner's parameters, or `unknown-student`)."""
    from autograder.grading.runner import grade_notebook, read_submission

    if owners is None or autograder.variant is None:
        return _identified(grade_notebook(submission.path, autograder, zygote, limits), submission, autograder,
                           limits, owners)
    nb, rejected = read_submission(submission.path, autograder)
    if rejected is not None:
        rejected.questions = zero_scores(autograder.maxima)
        return _identified(rejected, submission, autograder, limits, owners)
    identity = owners.identify(submission.path, nb.metadata, autograder.name)
    tag = {None: "none", True: "valid", False: "invalid"}[identity.tag_valid]
    if identity.student is None:
        record = SubmissionRecord(status=Status.UNKNOWN_STUDENT, questions=zero_scores(autograder.maxima),
                                  detail=f"not graded: whose it is was not found ({identity.detail}); name the file "
                                         "after the student's roster id (or keep the notebook's variant tag) and "
                                         "grade again")
        record.identity = {"how": identity.how, "tag": tag, "claimed": identity.claimed}
        return _identified(record, submission, autograder, limits, owners)
    params = autograder.variant.params_for(owners.key, identity.student.id)
    record = grade_notebook(submission.path, autograder, zygote, limits, params=params, nb=nb)
    record.student = identity.student.id
    record.identity = {"how": identity.how, "tag": tag, "claimed": identity.claimed}
    if identity.mismatch:
        record.flags.append(results.VARIANT_MISMATCH)
    elif identity.tag_valid is False:
        record.flags.append(results.TAG_INVALID)
    return _identified(record, submission, autograder, limits, owners)


def grade_batch(name: str, inputs: list[Path], *, out: Path, root: Path = Path("."), dist: Path = Path("dist"),
                workers: int | None = None, limits: Limits = Limits(),
                progress: Callable[[int, int], None] | None = None, dry_run_regrade: bool = False,
                shards: int | None = None, shard: int | None = None, roster: Path | None = None,
                key_file: Path | None = None) -> BatchSummary:
    """Grade every input notebook for assignment *name*; write OUT/gradebook.csv, results/, feedback/ and
    report.html. This one call owns the command's start-up: it starts the sandbox zygote (with the
    modules this assignment uses preloaded) before importing the trusted side.

    When OUT already held results, it also keeps the previous gradebook (gradebook.previous.csv) and writes
    regrade.csv and regrade.html: whose score or status changed and why. With *dry_run_regrade* nothing in
    OUT is replaced: the batch is graded in a temporary copy and only regrade-dry-run.csv/.html are written.

    With *shards* N and *shard* I, grade only shard I of N into OUT/shards/I/ (grading/shards.py);
    `autograder merge OUT` then writes what one run would have.

    With *roster* and *key_file* (a variant assignment), each submission is graded on its owner's parameters
    (Canvas download name, folder or file name, or the notebook's variant tag; see variants.identify)."""
    if dry_run_regrade:
        if shards is not None:
            raise UsageError("--dry-run-regrade works on a whole OUT, not on one shard: leave out --shards, or "
                             "merge the shards first and run the dry run on the merged OUT")
        return _dry_run(name, inputs, out=Path(out), root=root, dist=dist, workers=workers, limits=limits,
                        roster=roster, key_file=key_file)
    return _grade_batch(name, inputs, out=out, root=root, dist=dist, workers=workers, limits=limits,
                        progress=progress, regrade_out=None, shards=shards, shard=shard, roster=roster,
                        key_file=key_file)


def _grade_batch(name: str, inputs: list[Path], *, out: Path, root: Path, dist: Path, workers: int | None,
                 limits: Limits, progress: Callable[[int, int], None] | None,
                 regrade_out: Path | None, shards: int | None = None, shard: int | None = None,
                 roster: Path | None = None, key_file: Path | None = None) -> BatchSummary:
    project.resolve_assignments(root, [name])
    dist = project.find_build(root, dist, name)
    zip_path = project.autograder_zip(dist, name)
    if limits.timeout <= 0 or limits.cell_timeout <= 0 or limits.memory_mb < 256:
        raise UsageError("--timeout and --cell-timeout must be positive and --memory at least 256 MB")
    owners = Owners.load(roster, key_file, zip_path, name)
    check_shard_options(shards, shard)
    submissions = name_submissions(collect_inputs(inputs))
    out = Path(out)
    plan = None
    if shards is not None:
        plan = plan_shards(inputs, submissions, shards=shards, shard=shard)
        submissions, batch_out, out = plan.mine, out, start_shard(out, plan)
    out.mkdir(parents=True, exist_ok=True)
    key = _limits_key(limits, owners)
    autograder_sha = hashlib.sha256(zip_path.read_bytes()).hexdigest()
    previous = {s.slug: load_previous(out, s, autograder_sha, key) for s in submissions}
    pending = [s for s in submissions if previous[s.slug] is None and not s.outside]
    earlier = _earlier_records(out, submissions)
    if pending and any(earlier.values()) and regrade_out is None:
        _keep_previous_gradebook(out)
    workers = max(1, min(workers or os.cpu_count() or 1, len(pending) or 1))
    forked = workers > 1 and can_fork()
    zygotes = None
    if pending and (forked or workers == 1):  # one zygote for this process or its forked workers, started now
        zygotes = ZygoteProcess(workers, preloads_for(*project.sandbox_sources(dist, name)))
    try:
        with matplotlib_folder():
            summary = _grade(name, submissions, previous, pending, out=out, root=Path(root), dist=dist,
                             zip_path=zip_path, workers=workers, limits=limits, progress=progress, zygotes=zygotes,
                             earlier=earlier, regrade_out=regrade_out, owners=owners)
        if plan is not None:
            _finish_shard(batch_out, plan, summary, name, autograder_sha, owners)
        return summary
    finally:
        if zygotes is not None:
            zygotes.close()


def _finish_shard(out: Path, plan, summary: BatchSummary, name: str, autograder_sha: str, owners=None) -> None:
    """Mark the shard complete, unless a submission's record could not be written (then it stays
    unfinished, and merge names it)."""
    from autograder.gradebook import result_path

    if all(result_path(summary.out, s).is_file() for s in plan.mine):
        finish_shard(out, plan, assignment=name, autograder_sha256=autograder_sha, owners=owners)


def _grade(name: str, submissions: list[Submission], previous: dict, pending: list[Submission], *, out: Path,
           root: Path, dist: Path, zip_path: Path, workers: int, limits: Limits,
           progress: Callable[[int, int], None] | None, zygotes: ZygoteProcess | None,
           earlier: dict[str, SubmissionRecord | None], regrade_out: Path | None,
           owners: Owners | None = None) -> BatchSummary:
    # The trusted side's heavy imports, while the zygote imports in its own process.
    from autograder.grading.runner import Zygote, load_autograder
    from autograder.master import load_master

    master = load_master(project.master_path(root, name), name)
    autograder = load_autograder(zip_path, name, written={q.name: q.prompt for q in master.manual_questions})
    records: dict[str, SubmissionRecord] = {slug: record for slug, record in previous.items() if record is not None}
    index = code_index(owners, autograder, dist=dist, name=name)  # fingerprints taken as records arrive
    reused = len(records)
    done = reused
    tick = _progress_bar(len(submissions), done) if progress is None else progress

    def store(submission: Submission, record: SubmissionRecord) -> None:
        """Keep and write one submission's record. Whatever fails here is that submission's grader-error
        row (retried by the next run); the batch goes on and still writes its gradebook and report."""
        nonlocal done
        try:
            write_result(out, submission, record, note=_feedback_note(earlier, record))
        except Exception as exc:  # noqa: BLE001 - one submission's failure to write is its own row
            record = _grader_error(submission, autograder, limits, exc, owners)
            try:
                write_result(out, submission, record)
            except Exception:  # noqa: BLE001 - the row still reaches the gradebook
                pass
        records[submission.slug] = record
        if index is not None and record.graded and not submission.outside:
            try:  # the integrity check's fingerprints, while the workers grade the rest
                index.add(submission.name, submission.path)
            except Exception:  # noqa: BLE001 - run_integrity fingerprints it again at the end
                index.documents.pop(submission.name, None)
        done += 1
        tick(done, len(submissions))

    for submission in submissions:
        if submission.outside and submission.slug not in records:
            store(submission, _rejected(submission, autograder, limits, Status.INVALID_NOTEBOOK,
                                        "a symbolic link that leads out of the submissions folder (or nowhere): "
                                        "it was not read; submit the notebook file itself", owners))
    if pending:
        preload_trusted(autograder)  # meanwhile the zygote imports in its own process
    if pending and workers == 1:
        _grade_serially(pending, autograder, limits, store, zygote=Zygote(zygotes, 0), owners=owners)
    elif pending:
        _grade_in_pool(pending, autograder, zip_path, limits, workers, store, zygotes, owners)
    if zygotes is not None:
        zygotes.close()  # every sandbox is gone: the report needs no zygote
    rows = [records[s.slug] for s in submissions]
    gradebook = write_gradebook(out, rows, autograder.questions, feedback=feedback_files(submissions))
    summary = BatchSummary(out=out, gradebook=gradebook, records=rows, graded=len(submissions) - reused,
                           reused=reused, autograder_zip=zip_path,
                           isolation={r.isolation for r in rows if r.graded},
                           notes=results.variant_warnings(rows, owners.key_file if owners else None))
    summary.regrade = _write_regrade(regrade_out or out, earlier, rows, name, dry_run=regrade_out is not None)
    from autograder.patterns import mutant_patterns
    from autograder.report import write_report

    found = summary.integrity = run_integrity(out, rows, {s.name: s.path for s in submissions if not s.outside},
                                              owners, autograder, root=root, dist=dist, name=name, index=index)
    try:
        patterns = mutant_patterns(root, name, autograder, out, built=project.mutant_patterns_file(dist, name))
        summary.report = write_report(out, rows, autograder, patterns=patterns, warnings=summary.warnings,
                                      regrade=summary.regrade.html.name if summary.regrade else None,
                                      integrity=found)
    except Exception as exc:  # noqa: BLE001 - a batch always ends with a report, if a plain one
        summary.report = write_plain_report(out, rows, autograder, exc)
    return summary


# ---------------------------------------------------------------- regrading (autograder/regrade.py compares)

def _earlier_records(out: Path, submissions: list[Submission]) -> dict[str, SubmissionRecord | None]:
    """The record OUT holds for each submission (by name) before this run replaces any, or None."""
    return {s.name: results.load(result_path(out, s)) for s in submissions}


def _keep_previous_gradebook(out: Path) -> None:
    from xentcore.files import atomic_write_bytes

    from autograder.regrade import PREVIOUS_GRADEBOOK

    current = out / "gradebook.csv"
    if current.is_file():
        atomic_write_bytes(out / PREVIOUS_GRADEBOOK, current.read_bytes())


def _feedback_note(earlier: dict[str, SubmissionRecord | None], record: SubmissionRecord) -> str:
    from autograder.regrade import feedback_note

    return feedback_note(earlier.get(record.submission), record)


def _write_regrade(out: Path, earlier: dict[str, SubmissionRecord | None], rows: list[SubmissionRecord], name: str,
                   *, dry_run: bool):
    """regrade.csv and regrade.html when OUT held earlier results (None when it held none)."""
    if not any(earlier.values()) and not dry_run:
        return None
    from autograder.regrade import compare, write_regrade

    return write_regrade(out, compare(earlier, rows), assignment=name, dry_run=dry_run)


def _dry_run(name: str, inputs: list[Path], *, out: Path, root: Path, dist: Path, workers: int | None,
             limits: Limits, roster: Path | None = None, key_file: Path | None = None) -> BatchSummary:
    """Grade in a temporary copy of OUT's results; write only OUT/regrade-dry-run.csv and .html."""
    import shutil
    import tempfile

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xent-regrade-") as tmp:
        if results.results_dir(out).is_dir():
            shutil.copytree(results.results_dir(out), results.results_dir(Path(tmp)))
        if (out / project.PATTERNS_FILE).is_file():  # the report's mutant patterns need not be measured again
            shutil.copyfile(out / project.PATTERNS_FILE, Path(tmp) / project.PATTERNS_FILE)
        summary = _grade_batch(name, inputs, out=Path(tmp), root=root, dist=dist, workers=workers, limits=limits,
                               progress=lambda done, total: None, regrade_out=out, roster=roster,
                               key_file=key_file)
    summary.out, summary.gradebook, summary.report = out, None, None
    return summary


def _grade_in_pool(pending: list[Submission], autograder, zip_path: Path, limits: Limits, workers: int,
                   store: Callable[[Submission, SubmissionRecord], None], zygotes: ZygoteProcess | None,
                   owners: Owners | None = None) -> None:
    """Grade *pending* in *workers* processes: forked, sharing *zygotes*, or (when None) spawned, each with a
    zygote of its own. A worker fault or a broken pool loses nothing: those submissions are graded again
    in this process."""
    retry: list[Submission] = []
    if zygotes is not None:
        from autograder.grading.client import channel_queue

        context = multiprocessing.get_context("fork")
        initializer, initargs = _forked_worker_init, (autograder, zygotes, channel_queue(context, zygotes), limits,
                                                      owners)
    else:
        context = multiprocessing.get_context("spawn")
        initializer, initargs = _worker_init, (str(zip_path), autograder.name, autograder.written, limits, owners)
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
        _grade_serially(sorted(retry, key=pending.index), autograder, limits, store, owners=owners)


def _grade_serially(pending: list[Submission], autograder, limits: Limits,
                    store: Callable[[Submission, SubmissionRecord], None], zygote=None,
                    owners: Owners | None = None) -> None:
    """Grade in this process, one zygote for all; a fault of the grader itself becomes a row, not a crash.

    A *zygote* passed in belongs to the caller; after a fault this function starts (and closes) its own."""
    from autograder.grading.runner import Zygote

    own = None
    try:
        for submission in pending:
            try:
                if zygote is None:
                    zygote = own = Zygote()
                record = _grade_one(submission, autograder, zygote, limits, owners)
            except Exception as exc:  # noqa: BLE001 - the batch goes on; this row says what happened
                if own is not None:
                    own.close()
                zygote = own = None
                record = _grader_error(submission, autograder, limits, exc, owners)
            store(submission, record)
    finally:
        if own is not None:
            own.close()


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
