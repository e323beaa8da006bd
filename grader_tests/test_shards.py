"""`autograder grade --shards N --shard I` and `autograder merge OUT`: N shards merge into one run's files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograder import cli
from autograder.grading.batch import grade_batch
from autograder.grading.runner import Limits
from autograder.grading.shards import MANIFEST, RETRIED, identity_of, shard_of
from autograder.mutants import apply_variant, load_variants

from conftest import ROOT
from grading import dist_of, solution, write

NAME = "coin_mle"
LIMITS = Limits(timeout=30, cell_timeout=5)
pytestmark = pytest.mark.slow


def mixed_submissions(built, folder: Path, count: int) -> list[Path]:
    """*count* coin_mle notebooks: the solution, mutants, the unanswered student copy and a broken file,
    with a name that clashes across two folders."""
    sol = solution(built, NAME)
    student = nbformat.read(built[NAME].student, as_version=4)
    mutants = load_variants(ROOT / "assignments" / NAME / "mutants", mutant=True)
    paths = []
    for i in range(count):
        sub = folder / ("a" if i % 2 else "b")
        kind = i % 5
        if i in (0, 1):  # the same file name in two folders: suffixes must agree in every shard
            paths.append(write(sol, sub / "alice.ipynb"))
        elif kind == 2:
            paths.append(write(apply_variant(sol, mutants[i % len(mutants)]), sub / f"m{i:03d}.ipynb"))
        elif kind == 3:
            paths.append(write(student, sub / f"u{i:03d}.ipynb"))
        elif kind == 4:
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"x{i:03d}.ipynb").write_text("{ not a notebook", encoding="utf-8")
            paths.append(sub / f"x{i:03d}.ipynb")
        else:
            paths.append(write(sol, sub / f"s{i:03d}.ipynb"))
    return paths


def grade_all(built, inputs, out: Path, **shard) -> object:
    return grade_batch(NAME, [Path(p) for p in inputs], out=out, root=ROOT, dist=dist_of(built, NAME), workers=1,
                       limits=LIMITS, progress=lambda done, total: None, **shard)


def merge(built, out: Path) -> int:
    return cli.main(["--root", str(ROOT), "merge", str(out), "--dist", str(dist_of(built, NAME))])


def files(out: Path, folder: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / folder).glob("*"))}


def without_timing(record: bytes) -> dict:
    data = json.loads(record)
    data.pop("seconds")
    for cell in data["cells"]:
        cell.pop("seconds")
    return data


def report_without_timing(out: Path) -> str:
    """report.html without its timing: the time-per-submission table (its seconds and order are this run's)."""
    text = (out / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"<h3>Time per submission</h3>.*?</table>", "<h3>Time per submission</h3>", text, flags=re.DOTALL)
    assert "data-sort=\"" in text, "the rest of the report is compared"
    return text


@pytest.fixture(scope="module")
def one_run(built, tmp_path_factory):
    """Ten mixed submissions under two folders, graded by one command: (inputs, out)."""
    folder = tmp_path_factory.mktemp("shards")
    mixed_submissions(built, folder / "in", 10)
    inputs = [folder / "in" / "b", folder / "in" / "a"]
    out = folder / "one"
    grade_all(built, inputs, out)
    return inputs, out


def test_three_shards_merge_into_one_runs_files(built, one_run, tmp_path, capsys):
    inputs, single = one_run
    out = tmp_path / "out"
    for shard in range(3):
        summary = grade_all(built, inputs, out, shards=3, shard=shard)
        assert summary.out == out / "shards" / str(shard)
    sizes = [len(list((out / "shards" / str(i) / "results").glob("*.json"))) for i in range(3)]
    assert sum(sizes) == 10 and max(sizes) < 10, "each submission is graded in exactly one shard"
    assert not (out / "gradebook.csv").exists()
    assert merge(built, out) == 0
    assert "merged 3 shard(s), 10 submission(s)" in capsys.readouterr().out
    assert (out / "gradebook.csv").read_bytes() == (single / "gradebook.csv").read_bytes()
    assert files(out, "feedback") == files(single, "feedback")
    merged, one = files(out, "results"), files(single, "results")
    assert merged.keys() == one.keys()
    assert {k: without_timing(v) for k, v in merged.items()} == {k: without_timing(v) for k, v in one.items()}
    shard_records = {p.name: p.read_bytes() for p in (out / "shards").glob("*/results/*.json")}
    assert merged == shard_records, "merge writes each shard's record unchanged"
    assert report_without_timing(out) == report_without_timing(single)


def test_a_missing_or_unfinished_shard_fails_naming_it_and_writes_no_gradebook(built, one_run, tmp_path, capsys):
    inputs, _ = one_run
    out = tmp_path / "out"
    for shard in (0, 2, 3):
        grade_all(built, inputs, out, shards=4, shard=shard)
    (out / "shards" / "2" / MANIFEST).unlink()  # as if shard 2 were killed before it finished
    assert merge(built, out) == 1
    error = capsys.readouterr().err
    assert error.startswith("input: ") and "shard(s) 1, 2 of 4 missing or unfinished" in error
    assert "--shards 4 --shard I" in error
    assert not (out / "gradebook.csv").exists() and not (out / "results").exists()
    assert not (out / "report.html").exists()
    # Resume per shard: shard 2 reuses its records, shard 1 grades its own; then the merge works.
    again = grade_all(built, inputs, out, shards=4, shard=2)
    assert again.graded == 0 and again.reused == len(again.records) > 0
    grade_all(built, inputs, out, shards=4, shard=1)
    (out / "shards" / "3" / RETRIED).touch()
    assert merge(built, out) == 0
    assert "retried once after a failure: shard(s) 3" in capsys.readouterr().out
    assert (out / "gradebook.csv").read_bytes() == (one_run[1] / "gradebook.csv").read_bytes()


def test_shard_options_are_checked_and_name_the_fix(built, one_run, tmp_path, capsys):
    inputs, _ = one_run
    argv = ["--root", str(ROOT), "grade", NAME, *map(str, inputs), "-o", str(tmp_path / "o"),
            "--dist", str(dist_of(built, NAME))]
    assert cli.main(argv + ["--shards", "4"]) == 1
    assert "usage: --shards N and --shard I go together" in capsys.readouterr().err
    assert cli.main(argv + ["--shards", "4", "--shard", "4"]) == 1
    assert "I from 0 to N-1" in capsys.readouterr().err
    assert cli.main(["--root", str(ROOT), "merge", str(tmp_path / "nothing")]) == 1
    assert "no shards to merge" in capsys.readouterr().err


def test_identity_is_the_path_under_its_input_folder_and_the_shard_its_stable_hash(tmp_path):
    folder = tmp_path / "in"
    (folder / "x").mkdir(parents=True)
    assert identity_of(folder / "x" / "a.ipynb", [tmp_path / "other", folder]) == "x/a.ipynb"
    assert identity_of(tmp_path / "loose.ipynb", [folder]) == "loose.ipynb"
    # SHA-256 of the identity, first 8 bytes big-endian, mod N: the same in every process and run.
    assert shard_of("x/a.ipynb", 1) == 0
    assert [shard_of(f"s{i}.ipynb", 8) for i in range(4)] == [
        int.from_bytes(__import__("hashlib").sha256(f"s{i}.ipynb".encode()).digest()[:8], "big") % 8
        for i in range(4)]


@pytest.fixture(scope="module")
def reorderable(built, tmp_path_factory):
    """Eight mixed notebooks named one by one (so the order given is the gradebook's order)."""
    folder = tmp_path_factory.mktemp("reorder")
    return folder, mixed_submissions(built, folder / "in", 8)


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(shards=st.integers(min_value=1, max_value=8), order=st.randoms(use_true_random=False))
def test_any_shard_count_and_input_order_merge_into_one_runs_gradebook(built, reorderable, shards, order):
    folder, paths = reorderable
    inputs = list(paths)
    order.shuffle(inputs)
    # Each output folder lives across examples: stored records are reused (resume), so every example
    # grades only what it has not met, and merges for real.
    single = folder / "single"
    grade_all(built, inputs, single)
    out = folder / f"sharded-{shards}"
    for shard in range(shards):
        grade_all(built, inputs, out, shards=shards, shard=shard)
    assert merge(built, out) == 0
    assert (out / "gradebook.csv").read_bytes() == (single / "gradebook.csv").read_bytes()
    seen, expected = set(), []
    for path in inputs:  # the order given, a clashing name suffixed where it comes second
        expected.append(path.stem + ("-2" if path.stem in seen else ""))
        seen.add(path.stem)
    rows = (out / "gradebook.csv").read_text(encoding="utf-8").splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == expected
    shutil.rmtree(out / "results")  # the next example with this N merges again from the shards alone
