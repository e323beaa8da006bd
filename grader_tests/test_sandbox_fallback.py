"""Where namespaces are refused (forced here with XENT_SANDBOX_ISOLATION=limited), the sandbox falls back
to the strongest isolation left, each record says which it had, the command warns once, and attacks from
the catalogue (test_attacks.py) still gain nothing."""

from __future__ import annotations

import ctypes
import re

import nbformat
import pytest

from autograder.grading.sandbox import ISOLATION_VARIABLE, LANDLOCK_CREATE_RULESET

from conftest import ROOT
from grading import answer_position, grade, scores, solution, with_answers, with_cells, write  # noqa: F401
from test_attacks import COSTLESS, GAIN, LIMITS, NAME, WRONG, honest  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


def landlock_available() -> bool:
    return ctypes.CDLL(None, use_errno=True).syscall(LANDLOCK_CREATE_RULESET, None, 0, 1) >= 1


def attack(group, name: str):
    return next(a for a in group if a.id == name)


@pytest.fixture(scope="module")
def forced(built, grade, tmp_path_factory):
    """Two catalogue attacks (one trying to gain marks, one writing outside its folder) graded with the
    fallback forced: (summary, {submission: row}, {submission: attack cell index}, probe paths)."""
    folder = tmp_path_factory.mktemp("fallback")
    planted = folder / "in" / "other_student.py"  # another submission's answer, next to the inputs
    planted.parent.mkdir(parents=True)
    planted.write_text("theta_hat = 0.6\n")
    prelude = {"OUT": str(folder / "out"), "SLUG": NAME, "TOKEN": "31337.1", "ZIP": str(built[NAME].autograder),
               "SOLUTION": str(ROOT / "solutions" / f"{NAME}.ipynb"), "PLANTED": str(planted),
               "ROOT": str(ROOT), "HOST_TMP": str(folder), "PORT": 9}
    setup = "".join(f"{key} = {value!r}\n" for key, value in prelude.items())
    reading = attack(GAIN, "read-zip-solution-other-submission")
    writing = attack(COSTLESS, "write-outside-work")
    cases = {"read": (with_answers(solution(built, NAME), WRONG), reading),
             "write": (solution(built, NAME), writing)}
    paths, cells = [], {}
    for name, (base, chosen) in cases.items():
        notebook = with_cells(base, chosen.after, [setup + chosen.code])
        cells[name] = answer_position(notebook, chosen.after) + 1
        paths.append(write(notebook, folder / "in" / f"{name}.ipynb"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ISOLATION_VARIABLE, "limited")
        summary = grade(NAME, paths, folder / "out", workers=2, **LIMITS)
    return summary, {row["submission"]: row for row in summary.rows}, cells, folder


def test_each_record_names_the_fallback_isolation_and_the_command_warns_once(forced):
    summary, rows, _, _ = forced
    expected = "limited+landlock" if landlock_available() else "limited"
    assert {row["isolation"] for row in rows.values()} == {expected}
    text = summary.describe()
    assert text.count("WARNING:") == 1 and "without Linux namespaces" in text


def test_an_attack_that_reads_the_solution_gains_nothing_under_the_fallback(forced, honest):
    _, rows, cells, _ = forced
    row = rows["read"]
    assert row["status"] == "ok", row["detail"]
    got = scores(row)
    assert all(got[q] <= honest["wrong"][q] for q in got), (got, honest["wrong"])
    assert got["q4"] == honest["wrong"]["q4"] < honest["solution"]["q4"], "theta_hat = 0.6 read from disk would earn q4"
    cell = next(c for c in row["cells"] if c["index"] == cells["read"])
    blocked = "PermissionError" if landlock_available() else "(PermissionError|FileNotFoundError)"
    assert re.match(rf"RuntimeError: probe: \['{blocked}'(, '{blocked}'){{2}}\]", cell["error"]), cell


def test_writes_outside_the_private_folder_are_refused_under_the_fallback(forced, honest):
    _, rows, cells, folder = forced
    row = rows["write"]
    assert scores(row) == honest["solution"], "answers around the attack keep their points"
    cell = next(c for c in row["cells"] if c["index"] == cells["write"])
    assert cell["error"] == "RuntimeError: probe: 6 blocked", cell
    assert not list(ROOT.glob("xent-attack-*")) and not list(folder.glob("xent-attack-*"))


def test_without_the_variable_the_sandbox_uses_namespaces(built, grade, tmp_path, monkeypatch):
    monkeypatch.delenv(ISOLATION_VARIABLE, raising=False)
    notebook = write(nbformat.read(built[NAME].solution, as_version=4), tmp_path / "in" / "s.ipynb")
    summary = grade(NAME, [notebook], tmp_path / "out", **LIMITS)
    assert summary.rows[0]["isolation"] == "namespaces" and summary.warnings == []
