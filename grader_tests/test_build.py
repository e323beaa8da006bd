"""autograder build: outputs, determinism, solutions in sync, and failures that keep earlier output."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import project
from autograder.build import build_assignments
from autograder.cli import main
from autograder.master import load_master

from conftest import ASSIGNMENTS, ROOT

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_build_writes_student_copy_zip_and_solution(built, name):
    item = built[name]
    assert item.student == item.student.parent.parent / "student" / f"{name}.ipynb" and item.student.is_file()
    assert item.autograder.name == "autograder.zip"
    master = load_master(project.master_path(ROOT, name), name)
    with zipfile.ZipFile(item.autograder) as archive:
        names = set(archive.namelist())
        config = json.loads(archive.read("otter_config.json"))
    assert {f"tests/{q.name}.py" for q in master.auto_questions} <= names
    assert {"run_autograder", "run_otter.py", "setup.sh"} <= names
    assert config["assignment_name"] == name
    student = nbformat.read(item.student, as_version=4)
    assert student.metadata["otter"]["assignment_name"] == name
    assert all(not cell.get("outputs") for cell in student.cells)


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_checked_in_solution_is_in_sync_with_the_master(built, name):
    checked_in = project.solution_path(ROOT, name)
    assert checked_in.is_file(), f"{checked_in} missing: run `autograder build {name}` and commit it"
    assert checked_in.read_bytes() == built[name].solution.read_bytes(), \
        f"{checked_in} is out of sync with the master: run `autograder build {name}` and commit it"


def test_same_input_gives_the_same_bytes(built, tmp_path):
    again = build_assignments(["coin_mle"], dist=tmp_path / "dist", root=ROOT, solutions=tmp_path / "sol",
                              log=lambda m: None)[0]
    first = built["coin_mle"]
    patterns = [zip_path.with_name("mutant_patterns.json") for zip_path in (first.autograder, again.autograder)]
    for a, b in [(first.student, again.student), (first.autograder, again.autograder),
                 (first.solution, again.solution), tuple(patterns)]:
        assert a.read_bytes() == b.read_bytes(), f"{b.name} differs between two builds of the same master"
    with zipfile.ZipFile(again.autograder) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "assignments" / "coin_mle", root / "assignments" / "coin_mle")
    shutil.copytree(ROOT / "solutions", root / "solutions", ignore=shutil.ignore_patterns("[!c]*"))
    return root


def _edit_master(root: Path, edit) -> Path:
    path = root / "assignments" / "coin_mle" / "coin_mle.ipynb"
    nb = json.loads(path.read_text())
    edit(nb["cells"])
    path.write_text(json.dumps(nb))
    return path


def _index(cells, text: str, nth: int = 0) -> int:
    hits = [i for i, c in enumerate(cells) if text in "".join(c["source"])]
    return hits[nth]


def _drop_end_solution(cells):
    raw = [i for i, c in enumerate(cells) if c["cell_type"] == "raw" and "".join(c["source"]).strip() == "# END SOLUTION"]
    del cells[raw[0]]


def _duplicate_question(cells):
    cells[_index(cells, "name: q2")]["source"] = "# BEGIN QUESTION\nname: q1\n"


def _bad_yaml(cells):
    cells[0]["source"] = "# ASSIGNMENT CONFIG\nname: [coin_mle\n"


def _test_fails_on_solution(cells):
    i = _index(cells, "theta_mle is the fraction of heads")
    cells[i]["source"] = "".join(cells[i]["source"]).replace("h / (h + t)", "t / (h + t)")


@pytest.mark.parametrize(("edit", "kind", "words"), [
    (_drop_end_solution, "master-notebook", ["# BEGIN SOLUTION has no matching # END SOLUTION", "cell"]),
    (_duplicate_question, "master-notebook", ["duplicate question name 'q1'"]),
    (_bad_yaml, "master-notebook", ["ASSIGNMENT CONFIG is not valid YAML"]),
    (_test_fails_on_solution, "solution-score", ["assignment coin_mle", "question q3", "test 2",
                                                 "theta_mle is the fraction of heads"]),
], ids=["missing-end-marker", "duplicate-question", "bad-yaml", "test-fails-on-solution"])
def test_broken_master_fails_clearly_and_keeps_previous_output(tmp_path, capsys, edit, kind, words):
    root = _project_copy(tmp_path)
    dist = tmp_path / "dist"
    assert main(["--root", str(root), "build", "coin_mle", "--dist", str(dist)]) == 0
    before = {p: p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}
    solution_before = (root / "solutions" / "coin_mle.ipynb").read_bytes()
    capsys.readouterr()
    path = _edit_master(root, edit)
    assert main(["--root", str(root), "build", "coin_mle", "--dist", str(dist)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1].startswith(f"{kind}: ") or f"\n{kind}: " in err
    assert str(path) in err
    for word in words:
        assert word in err
    after = {p: p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}
    assert after == before, "a failed build changed the previous build output"
    assert (root / "solutions" / "coin_mle.ipynb").read_bytes() == solution_before


def test_check_mode_writes_nothing_and_detects_stale_solution(tmp_path, capsys):
    root = _project_copy(tmp_path)
    solution = root / "solutions" / "coin_mle.ipynb"
    dist = tmp_path / "dist"
    assert main(["--root", str(root), "build", "--check", "coin_mle", "--dist", str(dist)]) == 0
    assert not (dist / "coin_mle").exists(), "--check must write nothing"
    solution.write_text(solution.read_text().replace("Maximum-likelihood estimate", "Estimate"))
    capsys.readouterr()
    assert main(["--root", str(root), "build", "--check", "coin_mle", "--dist", str(dist)]) == 1
    err = capsys.readouterr().err
    assert "out-of-sync: " in err and "solutions/coin_mle.ipynb" in err
    solution.unlink()
    assert main(["--root", str(root), "build", "--check", "coin_mle", "--dist", str(dist)]) == 1
    assert "is missing" in capsys.readouterr().err


def test_unknown_assignment_names_the_available_ones(capsys):
    assert main(["--root", str(ROOT), "build", "no_such_assignment"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("unknown-assignment: no assignment named 'no_such_assignment'")
    assert "coin_mle" in err


def test_one_broken_assignment_does_not_stop_the_others(tmp_path, capsys):
    root = _project_copy(tmp_path)
    shutil.copytree(root / "assignments" / "coin_mle", root / "assignments" / "coin_copy")
    master = root / "assignments" / "coin_copy" / "coin_mle.ipynb"
    master.rename(master.with_name("coin_copy.ipynb"))  # config name still says coin_mle: invalid
    dist = tmp_path / "dist"
    assert main(["--root", str(root), "build", "--dist", str(dist)]) == 1
    err = capsys.readouterr().err
    assert "ASSIGNMENT CONFIG name is 'coin_mle', the folder is 'coin_copy'" in err
    assert (dist / "coin_mle" / "autograder" / "autograder.zip").is_file()
