"""`autograder slurm`: grade on a Slurm cluster as a job array of shards plus a merge job.

Task I of the array runs `autograder grade NAME INPUTS -o OUT --shards N --shard I` (grading/shards.py);
a task that fails is run once more and leaves OUT/shards/I/retried, which the merge summary names. The
merge job depends on the whole array (`afterany`: it runs even when a task failed, and then fails naming
the shards that did not finish) and runs `autograder merge OUT`. Job scripts and logs go to OUT/slurm/.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from xentcore.errors import GradingError, UsageError
from xentcore.files import atomic_write

TIME_FORMAT = re.compile(r"^(\d+-)?\d+(:\d{1,2}){0,2}$|^\d+-\d+$")  # Slurm's --time forms


@dataclass
class SlurmRun:
    out: Path
    grade_script: Path
    merge_script: Path
    array_job: str = ""
    merge_job: str = ""
    merge_status: int | None = None  # with --wait: the merge job's exit status
    merge_log: str = ""
    grade_text: str = ""
    merge_text: str = ""

    def describe(self) -> str:
        lines = [f"grade script: {self.grade_script}", f"merge script: {self.merge_script}"]
        if self.array_job:
            lines.append(f"submitted job array {self.array_job} and merge job {self.merge_job} (after the array)")
        if self.merge_status is not None:
            lines.append(f"merge job {self.merge_job} ended with status {self.merge_status}")
            lines.append(self.merge_log.rstrip())
        elif self.array_job:
            lines.append(f"when merge job {self.merge_job} has ended: {self.out / 'gradebook.csv'}")
        return "\n".join(lines)


def _command(*parts: str | Path) -> str:
    return " ".join(shlex.quote(str(part)) for part in parts)


def job_scripts(name: str, inputs: list[Path], *, out: Path, shards: int, root: Path = Path("."),
                dist: Path = Path("dist"), partition: str | None = None, time: str | None = None,
                python: str = sys.executable, roster: Path | None = None,
                key_file: Path | None = None) -> tuple[str, str]:
    """The array job's script and the merge job's script (every path absolute: jobs start elsewhere)."""
    if not 1 <= shards <= 10_000:
        raise UsageError(f"--shards {shards}: give 1 to 10000 array tasks")
    if time is not None and not TIME_FORMAT.match(time):
        raise UsageError(f"--time {time!r}: not a Slurm time limit; use minutes, MM:SS, HH:MM:SS or D-HH:MM:SS")
    if partition is not None and not re.fullmatch(r"[A-Za-z0-9_.,-]+", partition):
        raise UsageError(f"--partition {partition!r}: not a partition name; see `sinfo -s` for the partitions")
    root, out, dist = Path(root).absolute(), Path(out).absolute(), Path(dist).absolute()
    logs = out / "slurm"
    options = ([f"#SBATCH --partition={partition}"] if partition else []) + ([f"#SBATCH --time={time}"] if time else [])
    cli = [python, "-m", "autograder.cli", "--root", root]
    owners = [] if roster is None else ["--roster", Path(roster).absolute(), "--key-file", Path(key_file).absolute()]
    grade = _command(*cli, "grade", name, *(Path(i).absolute() for i in inputs), "-o", out, "--dist", dist,
                     *owners, "--shards", str(shards))
    folder = _command(out / "shards")
    grade_script = "\n".join([
        "#!/bin/bash",
        f"#SBATCH --job-name=xent-grade-{name}",
        f"#SBATCH --array=0-{shards - 1}",
        f"#SBATCH --output={logs}/grade-%A_%a.log",
        *options,
        "# One shard per array task; a failed task is run once more, and the merge summary names it.",
        'shard="${SLURM_ARRAY_TASK_ID:?run this script as a Slurm array task}"',
        'workers="${SLURM_CPUS_PER_TASK:-1}"  # the CPUs Slurm gave this task (sbatch --cpus-per-task)',
        f'{grade} --shard "$shard" --workers "$workers" && exit 0',
        'echo "shard $shard failed; running it once more" >&2',
        f'mkdir -p {folder}/"$shard" && touch {folder}/"$shard"/retried',
        f'exec {grade} --shard "$shard" --workers "$workers"',
        ""])
    merge_script = "\n".join([
        "#!/bin/bash",
        f"#SBATCH --job-name=xent-merge-{name}",
        f"#SBATCH --output={logs}/merge-%j.log",
        *options,
        f"exec {_command(*cli, 'merge', out, '--dist', dist)}",
        ""])
    return grade_script, merge_script


def submit_to_slurm(name: str, inputs: list[Path], *, out: Path, shards: int, root: Path = Path("."),
                    dist: Path = Path("dist"), partition: str | None = None, time: str | None = None,
                    wait: bool = False, dry_run: bool = False, roster: Path | None = None,
                    key_file: Path | None = None) -> SlurmRun:
    """Write OUT/slurm/grade.sh and merge.sh; unless *dry_run*, submit the array (`sbatch --array`) and
    the merge job depending on it; with *wait*, block until the merge has ended (its status in the run)."""
    from autograder import project

    project.resolve_assignments(root, [name])
    dist = project.find_build(root, dist, name)  # fail here, not in 4,000 array tasks
    if roster is not None or key_file is not None:  # the same checks as `grade`, here rather than in every task
        from autograder.grading.batch import Owners

        Owners.load(roster, key_file, project.autograder_zip(dist, name), name)
    grade_text, merge_text = job_scripts(name, inputs, out=out, shards=shards, root=root, dist=dist,
                                         partition=partition, time=time, roster=roster, key_file=key_file)
    logs = Path(out).absolute() / "slurm"
    run = SlurmRun(out=Path(out).absolute(), grade_script=logs / "grade.sh", merge_script=logs / "merge.sh",
                   grade_text=grade_text, merge_text=merge_text)
    if dry_run:
        return run
    if shutil.which("sbatch") is None:
        raise UsageError("sbatch: not found; run `autograder slurm` on a Slurm login node (or use --dry-run to "
                         "see the job scripts)")
    atomic_write(run.grade_script, grade_text)
    atomic_write(run.merge_script, merge_text)
    run.array_job = _sbatch([str(run.grade_script)])
    merge = ["--dependency=afterany:" + run.array_job, "--kill-on-invalid-dep=yes"]
    if not wait:
        run.merge_job = _sbatch(merge + [str(run.merge_script)])
        return run
    # `sbatch --wait` blocks until the job ends and exits with its status; --parsable prints its id first.
    done = subprocess.run(["sbatch", "--parsable", "--wait", *merge, str(run.merge_script)], capture_output=True,
                          text=True)
    run.merge_job = done.stdout.strip().split(";")[0].splitlines()[0] if done.stdout.strip() else "?"
    if not run.merge_job.isdigit():
        raise GradingError(f"{run.merge_script}: sbatch did not accept the merge job ({done.stderr.strip()}); "
                           "check the partition and time limit with `sinfo`")
    run.merge_status = done.returncode
    log = logs / f"merge-{run.merge_job}.log"
    run.merge_log = log.read_text(encoding="utf-8", errors="replace") if log.is_file() else ""
    return run


def _sbatch(arguments: list[str]) -> str:
    done = subprocess.run(["sbatch", "--parsable", *arguments], capture_output=True, text=True)
    job = done.stdout.strip().split(";")[0]
    if done.returncode != 0 or not job.isdigit():
        raise GradingError(f"{arguments[-1]}: sbatch refused the job ({done.stderr.strip() or done.stdout.strip()}); "
                           "check the partition and time limit with `sinfo`, then run `autograder slurm` again")
    return job
