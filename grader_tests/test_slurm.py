"""`autograder slurm`: job scripts, and a real single-node Slurm grading 40 submissions as a 4-task array
plus a merge job, with the gradebook one machine writes."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from autograder import cli

from conftest import ROOT
from grading import dist_of, grade  # noqa: F401 - fixture
from slurm_cluster import slurm  # noqa: F401 - fixture
from test_shards import NAME, mixed_submissions

pytestmark = pytest.mark.slow


def test_dry_run_prints_an_array_of_shard_commands_and_a_merge_job(built, tmp_path, capsys):
    dist = dist_of(built, NAME)
    argv = ["--root", str(ROOT), "slurm", NAME, str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--shards", "4",
            "--dist", str(dist), "--partition", "short", "--time", "30:00", "--dry-run"]
    assert cli.main(argv) == 0
    text = capsys.readouterr().out
    grade_part, merge_part = text.split("(sbatch --dependency=afterany:ARRAY)")
    assert "#SBATCH --array=0-3" in grade_part and "#SBATCH --partition=short" in grade_part
    assert "#SBATCH --time=30:00" in grade_part and "#SBATCH --time=30:00" in merge_part
    shard = (f"{sys.executable} -m autograder.cli --root {ROOT} grade {NAME} {tmp_path / 'in'} -o {tmp_path / 'out'} "
             f'--dist {dist} --shards 4 --shard "$shard" --workers "$workers"')
    assert grade_part.count(shard) == 2, "the shard command, and the one retry"
    assert f"touch {tmp_path / 'out' / 'shards'}/\"$shard\"/retried" in grade_part
    assert f"exec {sys.executable} -m autograder.cli --root {ROOT} merge {tmp_path / 'out'} --dist {dist}" in merge_part
    assert not (tmp_path / "out").exists(), "a dry run writes nothing"
    assert cli.main(argv[:-3] + ["--time", "half an hour", "--dry-run"]) == 1
    assert "usage: --time 'half an hour': not a Slurm time limit" in capsys.readouterr().err


def test_a_real_slurm_grades_40_submissions_as_one_machine_does(built, grade, slurm, tmp_path, capsys):
    # Jobs read the build from a path of their own, as on a cluster's shared storage.
    dist = tmp_path / "shared" / "dist"
    shutil.copytree(dist_of(built, NAME), dist)
    mixed_submissions(built, tmp_path / "shared" / "in", 40)
    inputs = tmp_path / "shared" / "in"
    one = grade(NAME, [inputs], tmp_path / "one", workers=2, timeout=30, cell_timeout=5)
    assert len(one.rows) == 40
    out = tmp_path / "shared" / "out"
    code = cli.main(["--root", str(ROOT), "slurm", NAME, str(inputs), "-o", str(out), "--shards", "4",
                     "--dist", str(dist), "--time", "20:00", "--wait"])
    printed = capsys.readouterr()
    assert code == 0, printed.out + printed.err
    assert "merged 4 shard(s), 40 submission(s)" in printed.out
    assert sorted(p.name for p in (out / "shards").iterdir()) == ["0", "1", "2", "3"]
    assert len(list((out / "slurm").glob("grade-*_*.log"))) == 4, "one log per array task"
    assert (out / "gradebook.csv").read_bytes() == (tmp_path / "one" / "gradebook.csv").read_bytes()
    assert sorted(p.name for p in (out / "feedback").iterdir()) == sorted(p.name for p in (tmp_path / "one" /
                                                                                           "feedback").iterdir())
    jobs = subprocess.run(["squeue", "-h"], capture_output=True, text=True, env=slurm, timeout=30)
    assert jobs.returncode == 0 and jobs.stdout.strip() == "", "no job is left queued or running"


def test_a_failed_task_runs_once_more_and_leaves_the_mark_merge_names(tmp_path):
    """The array task's own script under bash, with a Python that fails on its first run."""
    from autograder.grading.slurm import job_scripts

    calls = tmp_path / "calls"
    flaky = tmp_path / "flaky-python"
    flaky.write_text(f'#!/bin/bash\necho "$@" >> {calls}\n[ "$(wc -l < {calls})" -ge 2 ]\n')
    flaky.chmod(0o755)
    script, _ = job_scripts(NAME, [tmp_path / "in"], out=tmp_path / "out", shards=3, root=ROOT,
                            dist=tmp_path / "dist", python=str(flaky))
    (tmp_path / "grade.sh").write_text(script)
    env = {"PATH": "/usr/bin:/bin", "SLURM_ARRAY_TASK_ID": "2", "SLURM_CPUS_PER_TASK": "3"}
    done = subprocess.run(["bash", str(tmp_path / "grade.sh")], env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "shard 2 failed; running it once more" in done.stderr
    runs = calls.read_text().splitlines()
    assert len(runs) == 2 and all(run.endswith("--shards 3 --shard 2 --workers 3") for run in runs)
    assert (tmp_path / "out" / "shards" / "2" / "retried").exists()
    flaky.write_text("#!/bin/bash\nexit 1\n")  # failing twice: the task fails, and merge will name the shard
    again = subprocess.run(["bash", str(tmp_path / "grade.sh")], env=env, capture_output=True, text=True, timeout=30)
    assert again.returncode == 1
