"""docs/kubernetes.md: the Indexed Job manifest parses and runs the shard command and the merge."""

from __future__ import annotations

import re
import shlex

import yaml

from autograder import cli

from conftest import ROOT


def manifests() -> list[dict]:
    text = (ROOT / "docs" / "kubernetes.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 1, "one manifest block"
    return list(yaml.safe_load_all(blocks[0]))


def command_of(job: dict, index: int | None = None):
    """The container's shell command as the CLI would parse it (the pod's index substituted)."""
    (container,) = job["spec"]["template"]["spec"]["containers"]
    shell, flag, line = container["command"]
    assert (shell, flag) == ("sh", "-c")
    if index is not None:
        line = line.replace('"$JOB_COMPLETION_INDEX"', str(index))
    assert "$" not in line, "only the completion index is substituted"
    words = shlex.split(line)
    assert words[0] == "autograder"
    return cli._parser().parse_args(words[1:])


def test_the_grading_job_is_indexed_and_every_pod_grades_its_own_shard():
    grade, _ = manifests()
    spec = grade["spec"]
    assert (grade["apiVersion"], grade["kind"], spec["completionMode"]) == ("batch/v1", "Job", "Indexed")
    n = spec["completions"]
    assert spec["backoffLimitPerIndex"] == 1, "a failed shard is retried once"
    shards = set()
    for index in range(n):
        args = command_of(grade, index)
        assert args.func is cli._cmd_grade and args.name == "coin_mle"
        assert args.shards == n and args.shard == index
        shards.add(args.shard)
    assert shards == set(range(n))


def test_the_merge_job_merges_the_folder_the_shards_were_graded_into():
    grade, merge = manifests()
    graded = command_of(grade, 0)
    args = command_of(merge)
    assert merge["kind"] == "Job" and args.func is cli._cmd_merge
    assert args.out == graded.out and args.dist == graded.dist
    volumes = [job["spec"]["template"]["spec"]["volumes"] for job in (grade, merge)]
    assert volumes[0] == volumes[1], "both jobs mount the same volume"
