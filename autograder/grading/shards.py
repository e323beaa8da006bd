"""Grading past one machine: a deterministic 1/N of the inputs per command, and merging the N shards.

`autograder grade NAME INPUTS -o OUT --shards N --shard I` grades the submissions whose identity hashes to
I (mod N) into OUT/shards/I/ and, once every one of them has its record, writes OUT/shards/I/shard.json
(the manifest: every submission of the whole batch, in gradebook order, with its shard). A shard without
a manifest is unfinished. `autograder merge OUT` reads the N manifests and shard records and writes
OUT/results/, feedback/, gradebook.csv and report.html exactly as one run over all the inputs would.

A submission's identity is its path relative to the input folder it was found in (or the file's name when
it was named directly): stable across runs and input order, never its position. Display names and slugs
are computed over all inputs before a shard picks its subset, so clashing names get the same suffixes in
every shard. Top-level imports are light: `grade` imports this module before it starts its zygote.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from autograder import results
from autograder.gradebook import (Submission, feedback_files, result_path, write_gradebook, write_plain_report,
                                  write_result)
from autograder.grading.owners import Owners, run_integrity
from autograder.results import SubmissionRecord, isolation_warnings, status_counts, variant_warnings
from xentcore.errors import InputFileError, UsageError
from xentcore.files import atomic_write

MANIFEST = "shard.json"
RETRIED = "retried"  # a marker the Slurm task script leaves in a shard folder it had to run twice
MANIFEST_VERSION = 1
MAX_SHARDS = 100_000


def shard_of(identity: str, shards: int) -> int:
    """The shard of a submission: SHA-256 of its identity, mod *shards* (Python's hash() is salted)."""
    digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % shards


def identity_of(path: Path, inputs: list[Path]) -> str:
    """*path*'s identity: relative to the first input folder it lies in, else its file name."""
    here = os.path.abspath(path)
    for item in inputs:
        if os.path.isdir(item):
            relative = os.path.relpath(here, os.path.abspath(item))
            if relative != "." and not relative.startswith(".." + os.sep) and relative != "..":
                return PurePath(relative).as_posix()
    return PurePath(path).name


def shard_folder(out: Path, shard: int) -> Path:
    return Path(out) / "shards" / str(shard)


def check_shard_options(shards: int | None, shard: int | None) -> None:
    if shards is None and shard is None:
        return
    if shards is None or shard is None:
        raise UsageError("--shards N and --shard I go together (I from 0 to N-1); give both, or neither to "
                         "grade everything in one command")
    if not 1 <= shards <= MAX_SHARDS or not 0 <= shard < shards:
        raise UsageError(f"--shards {shards} --shard {shard}: N must be 1 to {MAX_SHARDS} and I from 0 to N-1")


@dataclass(frozen=True)
class ShardPlan:
    """Which shard each submission of the whole batch belongs to, in gradebook order."""

    shards: int
    shard: int
    everyone: list[Submission]
    shard_of: list[int]

    @property
    def mine(self) -> list[Submission]:
        return [s for s, i in zip(self.everyone, self.shard_of) if i == self.shard]


def plan_shards(inputs: list[Path], submissions: list[Submission], *, shards: int, shard: int) -> ShardPlan:
    """Assign every submission (named over all inputs) to its shard by its identity's hash."""
    check_shard_options(shards, shard)
    return ShardPlan(shards=shards, shard=shard, everyone=list(submissions),
                     shard_of=[shard_of(identity_of(s.path, [Path(i) for i in inputs]), shards)
                               for s in submissions])


def start_shard(out: Path, plan: ShardPlan) -> Path:
    """The shard's folder, its old manifest removed: until this run finishes, the shard is unfinished."""
    folder = shard_folder(out, plan.shard)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)
    return folder


def finish_shard(out: Path, plan: ShardPlan, *, assignment: str, autograder_sha256: str, owners=None) -> Path:
    """Write the manifest that marks the shard complete (after every record of it is written). Graded with a
    roster, it also names the roster and key files and each submission's file, for the merge's integrity
    checks (the files are read again there; the key itself is never written)."""
    manifest = {"version": MANIFEST_VERSION, "assignment": assignment, "autograder_sha256": autograder_sha256,
                "shards": plan.shards, "shard": plan.shard,
                "submissions": [{"name": s.name, "slug": s.slug, "sha256": s.sha256, "shard": i}
                                for s, i in zip(plan.everyone, plan.shard_of)]}
    if owners is not None:
        manifest["owners"] = {"roster": str(Path(owners.roster.path).absolute()),
                              "key_file": str(Path(owners.key_file).absolute()),
                              "files": {s.name: str(s.path.absolute()) for s in plan.everyone if not s.outside}}
    path = shard_folder(out, plan.shard) / MANIFEST
    atomic_write(path, json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return path


@dataclass
class MergeSummary:
    out: Path
    gradebook: Path
    records: list[SubmissionRecord]
    shards: int
    retried: list[int] = field(default_factory=list)
    report: Path | None = None

    @property
    def warnings(self) -> list[str]:
        return isolation_warnings(r.isolation for r in self.records if r.graded) + variant_warnings(self.records)

    def describe(self) -> str:
        statuses = status_counts(self.records)
        lines = [f"merged {self.shards} shard(s), {len(self.records)} submission(s): {statuses}"]
        if self.retried:
            lines.append("retried once after a failure: shard(s) " + ", ".join(map(str, self.retried)))
        lines += [f"gradebook: {self.gradebook}", f"report:    {self.report}",
                  f"results:   {self.out / 'results'}/", f"feedback:  {self.out / 'feedback'}/"]
        return "\n".join(lines + [f"WARNING: {w}" for w in self.warnings])


def _manifest(out: Path, shard: int) -> dict | None:
    try:
        data = json.loads((shard_folder(out, shard) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION else None


def _shard_count(out: Path) -> int:
    """N, as the finished shards' manifests state it (they must agree)."""
    folder = Path(out) / "shards"
    if not folder.is_dir():
        raise UsageError(f"{folder}: no shards to merge; grade them first with `autograder grade NAME INPUTS "
                         f"-o {out} --shards N --shard I` for every I from 0 to N-1")
    numbers = sorted(int(p.name) for p in folder.iterdir() if p.is_dir() and p.name.isdigit())
    counts = {m["shards"] for m in (_manifest(out, i) for i in numbers) if m is not None}
    if not counts:
        raise InputFileError(f"{folder}: no shard has finished (no {MANIFEST} in shard(s) "
                             f"{', '.join(map(str, numbers)) or 'none'}); run or re-run every shard's "
                             "`autograder grade ... --shards N --shard I`, then merge")
    if len(counts) > 1:
        raise InputFileError(f"{folder}: the shards were graded with different --shards ({sorted(counts)}); "
                             f"remove {folder} and grade every shard again with one N")
    return counts.pop()


def merge_shards(out: Path, *, root: Path = Path("."), dist: Path = Path("dist")) -> MergeSummary:
    """Merge OUT/shards/0..N-1 into OUT/results/, feedback/, gradebook.csv and report.html, as one run would.

    Fails, naming them, when any shard is missing or unfinished (nothing is written then), or when the
    shards disagree about the batch (assignment, autograder or submissions)."""
    from autograder import project

    out = Path(out)
    shards = _shard_count(out)
    manifests = {i: _manifest(out, i) for i in range(shards)}
    missing = [i for i, m in manifests.items() if m is None]
    if missing:
        raise InputFileError(f"{out / 'shards'}: shard(s) {', '.join(map(str, missing))} of {shards} missing or "
                             f"unfinished (no {MANIFEST}); run `autograder grade NAME INPUTS -o {out} --shards "
                             f"{shards} --shard I` for each of them (finished submissions are reused), then merge")
    first = manifests[0]
    for i, m in manifests.items():
        same = all(m[key] == first[key] for key in ("assignment", "autograder_sha256", "submissions"))
        if not same or m["shard"] != i:
            raise InputFileError(f"{shard_folder(out, i) / MANIFEST}: this shard graded another batch than shard "
                                 "0 (other inputs, assignment or autograder); grade every shard with the same "
                                 "command and inputs, then merge")
    name = first["assignment"]
    entries = first["submissions"]
    submissions = [Submission(name=e["name"], path=Path(e["name"]), slug=e["slug"], sha256=e["sha256"])
                   for e in entries]
    rows: list[SubmissionRecord] = []
    for entry, submission in zip(entries, submissions):
        path = result_path(shard_folder(out, entry["shard"]), submission)
        record = results.load(path)
        if record is None or record.submission != submission.name:
            raise InputFileError(f"{path}: missing or not a grading record of {submission.name}; run shard "
                                 f"{entry['shard']}'s `autograder grade ... --shards {shards} --shard "
                                 f"{entry['shard']}` again, then merge")
        rows.append(record)
    # Everything is read: only now is anything written.
    dist = project.find_build(root, dist, name)
    zip_path = project.autograder_zip(dist, name)
    autograder = _load_autograder(root, name, zip_path)
    if hashlib.sha256(zip_path.read_bytes()).hexdigest() != first["autograder_sha256"]:
        raise InputFileError(f"{zip_path}: not the autograder the shards were graded with (it was rebuilt); "
                             "grade the shards again with this build, then merge")
    for submission, record in zip(submissions, rows):
        write_result(out, submission, record)
    gradebook = write_gradebook(out, rows, autograder.questions, feedback=feedback_files(submissions))
    retried = sorted(i for i in range(shards) if (shard_folder(out, i) / RETRIED).exists())
    summary = MergeSummary(out=out, gradebook=gradebook, records=rows, shards=shards, retried=retried)
    found = None
    if "owners" in first:  # graded with a roster: the integrity checks over the whole batch, as one run does
        given = first["owners"]
        owners = Owners.load(Path(given["roster"]), Path(given["key_file"]), zip_path, name)
        found = run_integrity(out, rows, {k: Path(v) for k, v in given["files"].items()}, owners, autograder,
                              root=Path(root), dist=dist, name=name)
    summary.report = write_batch_report(out, rows, autograder, root=Path(root), dist=dist, name=name,
                                        warnings=summary.warnings, integrity=found)
    return summary


def _load_autograder(root: Path, name: str, zip_path: Path):
    from autograder import project
    from autograder.grading.runner import load_autograder
    from autograder.master import load_master

    master = load_master(project.master_path(root, name), name)
    return load_autograder(zip_path, name, written={q.name: q.prompt for q in master.manual_questions})


def write_batch_report(out: Path, rows: list[SubmissionRecord], autograder, *, root: Path, dist: Path, name: str,
                       warnings: list[str], integrity=None) -> Path:
    """report.html from the records, with the same code (and the same fallback) as one `grade` run."""
    from autograder import project
    from autograder.patterns import mutant_patterns
    from autograder.report import write_report

    try:
        patterns = mutant_patterns(root, name, autograder, out, built=project.mutant_patterns_file(dist, name))
        return write_report(out, rows, autograder, patterns=patterns, warnings=warnings, integrity=integrity)
    except Exception as exc:  # noqa: BLE001 - a merge always ends with a report, if a plain one
        return write_plain_report(out, rows, autograder, exc)

