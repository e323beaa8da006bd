"""The build's validity proof over variants: on sampled variants, the grader still tells right from wrong.

For a variant assignment, `autograder build` grades, on each of ``count`` variants (``VariantSpec.sample``:
the canonical variant first, then variants drawn from a fixed public seed), the reference solution, the
blank student copy, every mutant (``assignments/<name>/mutants``) and every alternative solution
(``assignments/<name>/alternatives``), each made that variant's notebook (``variants.personalise``) and
graded as a student of that variant is: ``runner.grade_notebook(..., params=...)`` in the real sandbox.
The proof holds when, on every variant, the solution and every alternative earn full marks, the blank copy
earns 0 and every mutant loses marks on each question its ``Loses:`` line names; otherwise the build stops
with a BuildError naming the notebook, the variant's parameters, the failing tests and the fix. On the
canonical variant every mutant runs every test (what it fails there are the build's mutant patterns); on
the sampled variants after it, a mutant is graded with the test cases of its ``Loses:`` questions only (its
notebook still runs whole): that is all its claim needs, and it saves most of a mutant's test time.

A proof that held is recorded beside the zip (``validity.json``, keyed by the SHA-256 of everything it
depends on: what the grader reads from the autograder zip, the solution and blank notebooks, every mutant
and alternative file, the number of variants, and the source of the grader itself). A later build with the
same key reuses it: the previous build's record in DIST, or one in the folder named by
``$XENT_VALIDITY_CACHE`` (the test session sets it, so its pytest-xdist workers and its many builds of one
assignment grade the proof once; a file lock makes a second process wait for the first instead of grading
the same proof again).

Speed: one zygote (warm sandbox parent) with one channel per worker; workers are forked from this process
(the autograder, the notebooks and the variants are inherited, a job is two small integers) and each is
pinned to one CPU with its sandboxes, as `autograder grade` does. The canonical variant's mutant gradings
also give the build its mutant patterns (patterns.measure_mutant_patterns would grade the same notebooks).
"""

from __future__ import annotations

import copy
import dataclasses
import fcntl
import functools
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.grading.runner import Autograder, Limits, Zygote, grade_notebook
from autograder.grading.client import channel_queue, claim_channel
from autograder.grading.sandbox import ZygoteProcess, preloads_for
from autograder.mutants import Variant, apply_variant
from autograder.processes import can_fork, one_cpu
from autograder.variants import VariantSpec, personalise
from xentcore.errors import BuildError
from xentcore.files import atomic_write

RECORD_FILE = "validity.json"  # beside the autograder zip
CACHE_VARIABLE = "XENT_VALIDITY_CACHE"  # a folder of proofs shared by builds (the test session sets it)

LIMITS = Limits(timeout=60, cell_timeout=20)  # as for the mutant patterns: generous, a build is not a batch
SHOWN_FAILURES = 8  # failures quoted in full in the error (the rest are counted)


@dataclass(frozen=True)
class Candidate:
    """A notebook graded on every variant, and what it must score there."""

    kind: str  # "solution", "blank", "mutant" or "alternative"
    label: str  # how the error names it
    notebook: nbformat.NotebookNode  # the canonical notebook; each variant's copy is personalised from it
    loses: tuple[str, ...] = ()  # a mutant: the questions that must lose marks
    slug: str = ""
    description: str = ""


@dataclass(frozen=True)
class Outcome:
    """One candidate graded on one variant (plain data: it crosses back from a worker process)."""

    status: str
    detail: str
    scores: dict[str, float]  # per question
    failed: tuple[tuple[str, int, str, str], ...]  # (question, index, description, message) of each failed case


@dataclass
class Failure:
    candidate: Candidate
    variant: int
    params: dict
    problem: str
    outcome: Outcome


@dataclass
class Proof:
    """What the proof graded and found."""

    name: str
    variants: int
    mutants: int
    alternatives: int
    gradings: int
    seconds: float
    workers: int
    failures: list[Failure] = field(default_factory=list)
    patterns: list[dict] | None = None  # the canonical variant's mutant patterns (patterns.py's form)
    params: list[dict] = field(default_factory=list)
    key: str = ""
    reused_from: str = ""  # the record this proof was read from ("" when graded now)

    def describe(self) -> str:
        how = (f"reused from {self.reused_from}: same zip, notebooks, mutants, alternatives and grader"
               if self.reused_from else
               f"{self.gradings} gradings in {self.seconds:.1f} s, {self.workers} worker"
               + ("s" if self.workers != 1 else ""))
        return (f"{self.name}: {self.variants} variants: solution full marks, blank 0, {self.mutants}/{self.mutants} "
                f"mutants lose marks, {self.alternatives}/{self.alternatives} alternatives full marks ({how})")

    def record(self) -> dict:
        """What validity.json keeps of a proof that held (no timings: the same build gives the same bytes)."""
        return {"key": self.key, "assignment": self.name, "variants": self.variants, "mutants": self.mutants,
                "alternatives": self.alternatives, "gradings": self.gradings, "params": self.params,
                "patterns": self.patterns}


def candidates(solution: nbformat.NotebookNode, blank: nbformat.NotebookNode, mutants: list[Variant],
               alternatives: list[Variant]) -> list[Candidate]:
    """The reference solution, the blank copy, every mutant and every alternative, in that order."""
    found = [Candidate("solution", "the reference solution", solution),
             Candidate("blank", "the blank student copy", blank)]
    found += [Candidate("mutant", f"mutant {m.path}", apply_variant(solution, m), loses=m.loses, slug=m.slug,
                        description=m.description) for m in mutants]
    found += [Candidate("alternative", f"alternative {a.path}", apply_variant(solution, a), slug=a.slug,
                        description=a.description) for a in alternatives]
    return found


# ---------------------------------------------------------------- grading one job

_STATE: dict = {}  # set before the workers fork: they inherit it


def _graded_by(candidate: Candidate, variant_index: int, autograder: Autograder) -> Autograder:
    """The autograder a job runs: a mutant on a sampled variant needs only its Loses questions' test cases."""
    if candidate.kind != "mutant" or variant_index == 0:
        return autograder
    return dataclasses.replace(autograder, cases=tuple(c for c in autograder.cases if c.question in candidate.loses))


def _grade_job(job: tuple[int, int]) -> tuple[int, int, Outcome]:
    candidate_index, variant_index = job
    candidate: Candidate = _STATE["candidates"][candidate_index]
    autograder = _graded_by(candidate, variant_index, _STATE["autograder"])
    params = _STATE["params"][variant_index]
    notebook = copy.deepcopy(candidate.notebook)
    personalise(notebook, params, assignment=autograder.name, origin=f"{candidate.label}, variant {variant_index}")
    record = grade_notebook(Path(f"{candidate.slug or candidate.kind}.ipynb"), autograder, _STATE["zygote"],
                            LIMITS, params=params, nb=notebook)
    return candidate_index, variant_index, Outcome(
        status=record.status.value, detail=record.detail,
        scores={q: s.score for q, s in record.questions.items()},
        failed=tuple((c.question, c.index, c.description, c.message) for c in record.cases if not c.passed))


def _forked_init(process: ZygoteProcess, channels) -> None:
    _STATE["zygote"] = claim_channel(process, channels)


def _grade_all(jobs: list[tuple[int, int]], workers: int, preload: tuple[str, ...],
               store: Callable[[int, int, Outcome], None]) -> int:
    """Grade every job, in *workers* forked processes sharing one zygote (serially when 1 or when forking is
    unsafe); returns the number of workers used."""
    forked = workers > 1 and can_fork()
    process = ZygoteProcess(workers if forked else 1, preload)  # imports while the workers start
    try:
        retry: list[tuple[int, int]] = []
        if forked:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_forked_init,
                                     initargs=(process, channel_queue(context, process))) as pool:
                futures = {pool.submit(_grade_job, job): job for job in jobs}
                remaining = set(futures)
                while remaining:
                    finished, remaining = wait(remaining, return_when=FIRST_COMPLETED)
                    for future in finished:
                        try:
                            store(*future.result())
                        except Exception:  # noqa: BLE001 - a worker fault loses nothing: graded again below
                            retry.append(futures[future])
            process.close()
            process = ZygoteProcess(1, preload) if retry else None
        pending = jobs if not forked else retry
        if pending:
            with one_cpu():
                _STATE["zygote"] = zygote = Zygote(process, 0)
                try:
                    for job in pending:
                        store(*_grade_job(job))
                finally:
                    zygote.close()
                    _STATE.pop("zygote", None)
        return workers if forked else 1
    finally:
        if process is not None:
            process.close()


# ---------------------------------------------------------------- judging

def _problem(candidate: Candidate, outcome: Outcome, maxima: dict[str, float]) -> str | None:
    """What is wrong with *outcome* for *candidate*, or None."""
    if candidate.kind in ("solution", "alternative"):
        if outcome.status != "ok":
            return f"graded {outcome.status} ({outcome.detail})"
        if outcome.failed:
            return "loses marks on " + _failed_tests(outcome.failed)
        return None
    if candidate.kind == "blank":
        earned = {q: s for q, s in outcome.scores.items() if s > 0}
        if earned:
            return "earns " + ", ".join(f"{s:g} on {q}" for q, s in earned.items())
        return None
    kept = [q for q in candidate.loses if q not in maxima or outcome.scores.get(q, 0.0) >= maxima[q]]
    if kept:
        unknown = [q for q in kept if q not in maxima]
        if unknown:
            return f"its Loses line names {', '.join(unknown)}, not an autograded question"
        return f"keeps full marks on {', '.join(kept)}"
    return None


def _failed_tests(failed) -> str:
    shown = [f"{q} test {i + 1} ({description!r}: {message[:200]})" for q, i, description, message in failed[:4]]
    more = f" and {len(failed) - 4} more tests" if len(failed) > 4 else ""
    return "; ".join(shown) + more


FIXES = {
    "solution": "make the tests read the variant's numbers from PARAMS (not the canonical ones) and the solution "
                "compute from the parameters cell, or make check(params) in variant.py reject such variants",
    "blank": "make the passing tests check the student's answer, not only what the blank copy already defines",
    "mutant": "add a test that tells this mistake from the right answer on such variants, or make check(params) "
              "in variant.py reject them (as coin_mle rejects heads == tails), or drop the question from the "
              "mutant's Loses line",
    "alternative": "a correct answer in another style must earn full marks: if the alternative hard-codes numbers "
                   "of one variant, make it compute from the parameters; otherwise loosen the failing tests",
}


def failure_message(proof: Proof, origin: str) -> str:
    """One BuildError text: every failing notebook, with the variants and the tests, then the fixes."""
    by_candidate: dict[str, list[Failure]] = {}
    for failure in proof.failures:
        by_candidate.setdefault(failure.candidate.label, []).append(failure)
    parts = []
    for label, failures in list(by_candidate.items())[:SHOWN_FAILURES]:
        first = failures[0]
        which = "the canonical variant" if first.variant == 0 else f"sampled variant {first.variant}"
        part = (f"{label} {first.problem} on {len(failures)} of {proof.variants} variants, e.g. {which} "
                f"with parameters {first.params}")
        if len(failures) > 1:
            part += " (also variants " + ", ".join(str(f.variant) for f in failures[1:6]) \
                    + (", ..." if len(failures) > 6 else "") + ")"
        parts.append(part)
    if len(by_candidate) > SHOWN_FAILURES:
        parts.append(f"and {len(by_candidate) - SHOWN_FAILURES} more notebooks")
    kinds = list(dict.fromkeys(f.candidate.kind for f in proof.failures))
    fixes = " ".join(f"Fix ({kind}): {FIXES[kind]}." for kind in kinds)
    return (f"{origin}: assignment {proof.name}: the validity proof over {proof.variants} variants failed: "
            + "; ".join(parts) + f". {fixes}")


# ---------------------------------------------------------------- the record and its key

@functools.lru_cache(maxsize=1)
def grader_digest() -> str:
    """SHA-256 of the source of xent-lab's own packages (the grader and everything it reads with), the Python
    and numpy versions: a proof graded by other code is not reused."""
    import numpy

    digest = hashlib.sha256(f"{sys.version}\0{numpy.__version__}".encode())
    for package in ("autograder", "xentcore"):
        folder = Path(__file__).resolve().parents[1] / package
        for path in sorted(folder.rglob("*.py")):
            digest.update(str(path.relative_to(folder.parent)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def graded_content(autograder: Autograder) -> str:
    """What the local grader reads from the zip: its test cases, question contract and variant.py (a roster
    build adds Gradescope's entries to the zip, which the local grader never reads: the proof still holds)."""
    return json.dumps({"cases": [dataclasses.asdict(case) for case in autograder.cases],
                       "contract": {q: sorted(names) for q, names in sorted(autograder.contract.items())},
                       "written": autograder.written,
                       "variant": autograder.variant.source if autograder.variant else None}, sort_keys=True)


def proof_key(autograder: Autograder, solution: nbformat.NotebookNode, blank: nbformat.NotebookNode,
              mutants: list[Variant], alternatives: list[Variant], count: int) -> str:
    """What a proof depends on, hashed."""
    digest = hashlib.sha256(f"xent-validity\0{count}\0{grader_digest()}\0{graded_content(autograder)}".encode())
    for notebook in (solution, blank):
        digest.update(b"\0" + nbformat.writes(notebook).encode("utf-8"))
    for kind, files in (("mutant", mutants), ("alternative", alternatives)):
        for variant in files:
            digest.update(f"\0{kind}\0{variant.path.name}\0".encode() + variant.path.read_bytes())
    return digest.hexdigest()


def _read_record(path: Path, key: str) -> dict | None:
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(record, dict) and record.get("key") == key and isinstance(record.get("patterns"), list):
        return record
    return None


def _reused(record: dict, path: Path, name: str) -> Proof:
    return Proof(name=name, variants=record["variants"], mutants=record["mutants"],
                 alternatives=record["alternatives"], gradings=record["gradings"], seconds=0.0, workers=0,
                 patterns=record["patterns"], params=record["params"], key=record["key"], reused_from=str(path))


def write_record(path: Path, proof: Proof) -> None:
    atomic_write(Path(path), json.dumps(proof.record(), indent=1) + "\n")


# ---------------------------------------------------------------- the proof

def prove_or_reuse(autograder: Autograder, spec: VariantSpec, solution: nbformat.NotebookNode,
                   blank: nbformat.NotebookNode, mutants: list[Variant], alternatives: list[Variant], *, count: int,
                   previous: Path | None = None, workers: int | None = None, preload_files: tuple[Path, ...] = (),
                   origin: str = "") -> Proof:
    """The proof (raising BuildError when it fails), reused from *previous* (the last build's record) or from
    ``$XENT_VALIDITY_CACHE`` when one there has the same key; a proof graded now is stored in that cache."""
    key = proof_key(autograder, solution, blank, mutants, alternatives, count)
    if previous is not None and (record := _read_record(previous, key)) is not None:
        return _reused(record, previous, autograder.name)
    cache = os.environ.get(CACHE_VARIABLE)
    if not cache:
        proof = prove(autograder, spec, solution, blank, mutants, alternatives, count=count, workers=workers,
                      preload_files=preload_files, origin=origin)
        proof.key = key
        return proof
    folder = Path(cache)
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{autograder.name}-{key[:32]}.json"
    with open(folder / f".{stored.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process grading the same proof: wait for its record
        if (record := _read_record(stored, key)) is not None:
            return _reused(record, stored, autograder.name)
        proof = prove(autograder, spec, solution, blank, mutants, alternatives, count=count, workers=workers,
                      preload_files=preload_files, origin=origin)
        proof.key = key
        write_record(stored, proof)
    return proof


def prove(autograder: Autograder, spec: VariantSpec, solution: nbformat.NotebookNode,
          blank: nbformat.NotebookNode, mutants: list[Variant], alternatives: list[Variant], *,
          count: int, workers: int | None = None, preload_files: tuple[Path, ...] = (),
          origin: str = "", raise_on_failure: bool = True) -> Proof:
    """Grade every candidate on *count* sampled variants; raise BuildError naming what failed (with
    *raise_on_failure*), else return the Proof (its failures listed)."""
    if count < 1:
        raise BuildError(f"{origin}: the validity proof needs at least 1 variant, not {count}; "
                         "pass validity_variants >= 1")
    started = time.perf_counter()
    params = spec.sample(count)
    found = candidates(solution, blank, mutants, alternatives)
    jobs = [(c, v) for v in range(len(params)) for c in range(len(found))]
    workers = max(1, min(workers or _cpus(), len(jobs)))
    outcomes: dict[tuple[int, int], Outcome] = {}

    def store(candidate_index: int, variant_index: int, outcome: Outcome) -> None:
        outcomes[candidate_index, variant_index] = outcome

    _STATE.update(autograder=autograder, candidates=found, params=params)
    try:
        used = _grade_all(jobs, workers, preloads_for(*preload_files) if preload_files else ("numpy",), store)
    finally:
        _STATE.clear()
    maxima = autograder.maxima
    proof = Proof(name=autograder.name, variants=len(params), mutants=len(mutants), alternatives=len(alternatives),
                  gradings=len(jobs), seconds=time.perf_counter() - started, workers=used, params=params)
    for v, variant_params in enumerate(params):
        for c, candidate in enumerate(found):
            problem = _problem(candidate, outcomes[c, v], maxima)
            if problem:
                proof.failures.append(Failure(candidate, v, variant_params, problem, outcomes[c, v]))
    proof.patterns = [{"slug": c.slug, "description": c.description,
                       "failed": _failed_by_question(outcomes[i, 0], autograder)}
                      for i, c in enumerate(found) if c.kind == "mutant"]
    if proof.failures and raise_on_failure:
        raise BuildError(failure_message(proof, origin or autograder.name))
    return proof


def _failed_by_question(outcome: Outcome, autograder: Autograder) -> dict[str, list[str]]:
    """What patterns.measure_mutant_patterns records for one mutant: its failed case keys per question."""
    failed = {}
    for question in autograder.questions:
        keys = sorted(f"{q}.{i + 1}" for q, i, _, _ in outcome.failed if q == question)
        if keys:
            failed[question] = keys
    return failed


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


__all__ = ["CACHE_VARIABLE", "RECORD_FILE", "Proof", "candidates", "failure_message", "proof_key", "prove",
           "prove_or_reuse", "write_record"]
