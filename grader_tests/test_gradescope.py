"""Gradescope for per-student variants: the roster build's zip grades each submission on its submitter's numbers.

The session's build of coin_mle gives the base zip; `gradescope.zip_entries` (a test key, a three-student
roster) is merged into a copy. Each case lays out a fake Gradescope folder (source/ = the unzipped zip,
submission/<notebook>, submission_metadata.json, results/) and runs the zip's own run_otter.py in a
subprocess with XENT_AUTOGRADER_DIR pointing at it: Otter's run_autograder executes the notebook for real
(nbconvert and ipykernel of this venv, offline). The cases run concurrently, once per module.

The local grader (`grade_notebook` with the owner's parameters) grades the same notebooks, and its score
per question must equal Gradescope's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import gradescope, gradescope_runtime, project, variantdraw, variants
from autograder.cells import code_cells
from autograder.grading.runner import Limits, Zygote, grade_notebook, load_autograder
from autograder.master import load_master
from autograder.testfiles import cases_from_zip
from autograder.variants import VariantError

from conftest import ROOT
from grading import with_answers

pytestmark = pytest.mark.slow

NAME = "coin_mle"
KEY = b"gradescope-test-key-0123456789abcdef"
ROSTER = """id,name,email,SIS User ID
s001,Ada Lovelace,ada@uni.example,9001
s002,Bo Peep,bo@uni.example,9002
s003,Cy Young,cy@uni.example,
"""
OWNER, OTHER, EMAIL_ONLY = "s001", "s002", "s003"
RUN_TIMEOUT = 300


def _user(*, email: str, sid=None) -> dict:
    """One entry of submission_metadata.json's "users" (Gradescope's fields; "id" is Gradescope's own)."""
    return {"email": email, "id": 4242, "name": "A Student", "sid": sid,
            "assignment": {"release_date": None, "due_date": None, "late_due_date": None}, "sections": []}


def _metadata(*users: dict) -> dict:
    return {"id": 123456, "created_at": "2026-12-01T10:00:00.000000-08:00",
            "assignment": {"id": 25828, "title": NAME, "total_points": "46.0"},
            "submission_method": "upload", "users": list(users), "previous_submissions": []}


def _roster_zip(base: Path, target: Path, entries: dict[str, bytes]) -> None:
    """*base* with *entries* added or replaced (what a roster build writes)."""
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.namelist():
            if member not in entries:
                dst.writestr(src.getinfo(member), src.read(member))
        for member, data in entries.items():
            dst.writestr(member, data)


def _theta(params: dict) -> float:
    return params["heads"] / (params["heads"] + params["tails"])


def _personalised(solution: nbformat.NotebookNode, spec, student: str) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(solution)))
    variants.personalise(nb, spec.params_for(KEY, student), assignment=NAME, student=student,
                         tag=variantdraw.tag(KEY, NAME, student))
    return nb


def _answer(nb: nbformat.NotebookNode, question: str) -> str:
    (source,) = [c.source for c in nb.cells if c.cell_type == "code" and (c.metadata.get("xent") or {}).get("question")
                 == question]
    return source


def _without_parameters_cell(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and variantdraw.is_parameters_cell(c.source))]
    return nb


@pytest.fixture(scope="module")
def setup(built, tmp_path_factory):
    """The roster zip, the notebooks of each case, and every case run through Gradescope's entry point."""
    tmp = tmp_path_factory.mktemp("gradescope")
    base = Path(built[NAME].autograder)
    spec = variants.spec_from_zip(base, NAME)
    (tmp / "roster.csv").write_text(ROSTER, encoding="utf-8")
    roster = variants.read_roster(tmp / "roster.csv")
    zip_path = tmp / "autograder.zip"
    _roster_zip(base, zip_path, gradescope.zip_entries(spec, KEY, roster))
    unzipped = tmp / "unzipped"
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(unzipped)

    params = {student: spec.params_for(KEY, student) for student in (OWNER, OTHER, EMAIL_ONLY)}
    assert _theta(params[OWNER]) != _theta(params[OTHER]), "the test key must give s001 and s002 different MLEs"
    solution = nbformat.read(built[NAME].solution, as_version=4)
    # q4's answer hard-coded to s002's MLE; q5 (which plots theta_hat) computes its own, so only q4 can suffer.
    q5 = _answer(solution, "q5")
    assert "theta_hat" in q5
    hard_coded = {"q4": f"theta_hat = {_theta(params[OTHER])!r}  # right for s002's flips only",
                  "q5": q5.replace("theta_hat", "theta_mle(heads, tails)")}
    notebooks = {
        "own": _personalised(solution, spec, OWNER),
        "hard_coded": with_answers(_personalised(solution, spec, OWNER), hard_coded),
        "others_notebook": with_answers(_personalised(solution, spec, OTHER), hard_coded),
        "deleted_parameters": _without_parameters_cell(_personalised(solution, spec, EMAIL_ONLY)),
        "unknown": _personalised(solution, spec, OWNER),
        "group": _personalised(solution, spec, OWNER),
    }
    metadata = {
        "own": _metadata(_user(email="someone.else@uni.example", sid=9001)),  # sid = SIS id (a number)
        "hard_coded": _metadata(_user(email="ada@uni.example", sid="s001")),  # sid = roster id
        "others_notebook": _metadata(_user(email="ADA@Uni.Example")),  # no sid: email, any case
        "deleted_parameters": _metadata(_user(email="cy@uni.example", sid="")),
        "unknown": _metadata(_user(email="stranger@elsewhere.example", sid="777")),
        "group": _metadata(_user(email="ada@uni.example"), _user(email="bo@uni.example")),
    }
    folders, processes = {}, {}
    for case, nb in notebooks.items():
        folder = tmp / case
        shutil.copytree(unzipped, folder / "source")
        (folder / "submission").mkdir()
        (folder / "results").mkdir()
        nbformat.write(nb, folder / "submission" / f"{NAME}.ipynb")
        (folder / "submission_metadata.json").write_text(json.dumps(metadata[case]), encoding="utf-8")
        env = {**os.environ, gradescope.DIR_VARIABLE: str(folder)}
        processes[case] = subprocess.Popen([sys.executable, str(folder / "source" / "run_otter.py")], cwd=folder,
                                           env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        folders[case] = folder
    runs = {}
    deadline = time.monotonic() + RUN_TIMEOUT
    for case, process in processes.items():
        try:
            output, _ = process.communicate(timeout=max(deadline - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            for other in processes.values():
                other.kill()
            raise
        results = folders[case] / "results" / "results.json"
        assert results.is_file(), f"{case}: no results.json (exit {process.returncode}):\n{output[-3000:]}"
        runs[case] = {"results": json.loads(results.read_text(encoding="utf-8")), "stdout": output,
                      "returncode": process.returncode, "folder": folders[case], "notebook": notebooks[case]}
    return {"zip": zip_path, "base": base, "spec": spec, "params": params, "runs": runs}


def _scores(results: dict) -> dict[str, float]:
    return {t["name"]: float(t["score"]) for t in results["tests"] if t["name"] != "Public Tests"}


def _full_marks() -> dict[str, float]:
    return {q.name: q.points for q in load_master(project.master_path(ROOT, NAME), NAME).auto_questions}


def _params_dependent_points(zip_path: Path, question: str) -> float:
    return sum(c.points for c in cases_from_zip(zip_path) if c.question == question and "PARAMS" in c.code)


@pytest.fixture(scope="module")
def local(setup):
    """The local grader's scores per question for the graded cases, on the submitter's (s001's) numbers."""
    autograder = load_autograder(setup["base"], NAME)
    zygote = Zygote()
    try:
        scores = {}
        for case in ("own", "hard_coded", "others_notebook"):
            path = setup["runs"][case]["folder"] / f"local-{NAME}.ipynb"
            nbformat.write(setup["runs"][case]["notebook"], path)
            record = grade_notebook(path, autograder, zygote, Limits(timeout=120, cell_timeout=30),
                                    params=setup["params"][OWNER])
            assert record.status == "ok", record.detail
            scores[case] = {q: s.score for q, s in record.questions.items()}
        return scores
    finally:
        zygote.close()


def test_own_notebook_earns_full_marks_and_says_whose_numbers(setup):
    run = setup["runs"]["own"]
    assert run["returncode"] == 0, run["stdout"][-3000:]
    assert _scores(run["results"]) == _full_marks()
    assert run["results"]["output"].startswith(f"Graded on the numbers issued to student {OWNER}.")
    assert "another student" not in run["results"]["output"]


def test_the_graded_notebook_holds_the_owners_parameters_and_the_secrets_are_gone(setup):
    run = setup["runs"]["own"]
    graded = nbformat.read(run["folder"] / "submission" / f"{NAME}.ipynb", as_version=4)
    cells = [c.source for c in graded.cells if c.cell_type == "code" and variantdraw.is_parameters_cell(c.source)]
    assert cells == [variantdraw.parameters_source(setup["params"][OWNER])]
    for case, run in setup["runs"].items():
        assert not (run["folder"] / "source" / gradescope.SECRETS_FILE).exists(), case
        assert (setup["zip"].parent / "unzipped" / gradescope.SECRETS_FILE).is_file()  # only the copies lost it


def test_answer_hard_coded_for_another_variant_loses_exactly_the_tests_that_check_the_numbers(setup):
    full = _full_marks()
    lost = _params_dependent_points(setup["zip"], "q4")
    assert 0 < lost < full["q4"]
    assert _scores(setup["runs"]["hard_coded"]["results"]) == {**full, "q4": full["q4"] - lost}
    q4 = next(t for t in setup["runs"]["hard_coded"]["results"]["tests"] if t["name"] == "q4")
    assert "{{" not in q4.get("output", "")


def test_gradescope_scores_equal_the_local_graders_question_by_question(setup, local):
    for case in ("own", "hard_coded", "others_notebook"):
        assert _scores(setup["runs"][case]["results"]) == pytest.approx(local[case], abs=1e-9), case


def test_another_students_notebook_is_graded_on_the_submitters_numbers_and_says_so(setup):
    run = setup["runs"]["others_notebook"]  # s002's genuine notebook (tag, numbers) submitted by s001, by email
    assert run["returncode"] == 0, run["stdout"][-3000:]
    assert _scores(run["results"]) == _scores(setup["runs"]["hard_coded"]["results"])
    output = run["results"]["output"]
    assert f"student {OWNER}" in output and "issued to another student" in output
    graded = nbformat.read(run["folder"] / "submission" / f"{NAME}.ipynb", as_version=4)
    assert variantdraw.parameters_source(setup["params"][OWNER]) in [c.source for c in graded.cells]
    shown = json.dumps(run["results"]) + run["stdout"]
    for secret in (OTHER, "bo@uni.example", KEY.decode()):
        assert secret not in shown, f"{secret!r} shown to the student"


def test_a_deleted_parameters_cell_is_put_back_and_email_alone_finds_the_student(setup):
    run = setup["runs"]["deleted_parameters"]
    assert run["returncode"] == 0, run["stdout"][-3000:]
    assert _scores(run["results"]) == _full_marks()  # the answers use `heads`, `tails`, `flips`: NameError without
    assert run["results"]["output"].startswith(f"Graded on the numbers issued to student {EMAIL_ONLY}.")
    graded = nbformat.read(run["folder"] / "submission" / f"{NAME}.ipynb", as_version=4)
    code = [c.source for c in graded.cells if c.cell_type == "code"]
    inserted = code.index(variantdraw.parameters_source(setup["params"][EMAIL_ONLY]))
    assert inserted == 1  # after the setup cell, before the student's first cell (the imports)


def test_student_not_on_the_roster_scores_zero_with_the_reason_and_the_fix(setup):
    run = setup["runs"]["unknown"]
    results = run["results"]
    assert results["score"] == 0
    assert "stranger@elsewhere.example" in results["output"] and "not on this assignment's roster" in results["output"]
    assert "add you to the roster" in results["output"]
    assert all(t.get("score", 0) == 0 for t in results["tests"])
    shown = json.dumps(results) + run["stdout"]
    for secret in (OWNER, OTHER, "ada@uni.example", KEY.decode()):
        assert secret not in shown


def test_group_submission_scores_zero_and_asks_for_one_notebook_each(setup):
    results = setup["runs"]["group"]["results"]
    assert results["score"] == 0 and "group submission of 2 students" in results["output"]


@pytest.mark.parametrize(("user", "expected"), [
    ({"sid": 9002, "email": "nobody@x.example"}, OTHER),  # numeric SIS id
    ({"sid": "s003", "email": ""}, EMAIL_ONLY),  # roster id
    ({"sid": None, "email": " Bo@UNI.example "}, OTHER),  # email, case and spaces ignored
    ({"sid": "424242", "email": "ada@uni.example"}, OWNER),  # unknown sid: the email decides
])
def test_find_owner_matches_like_the_roster(tmp_path, user, expected):
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    roster = variants.read_roster(tmp_path / "roster.csv")
    ids, aliases = gradescope.roster_maps(roster)
    found = gradescope_runtime.find_owner({"users": [user]}, {"ids": set(ids), "aliases": aliases})
    assert found == expected
    on_the_instructors_machine = (roster.find(str(user["sid"])) if user["sid"] is not None else None) \
        or roster.find(user["email"])
    assert on_the_instructors_machine.id == expected


def _roster() -> variants.Roster:
    return variants.Roster(path="<test>", students=[variants.Student(id="s001")], by_id={})


def test_zip_entries_refuse_a_short_key(built):
    spec = variants.spec_from_zip(Path(built[NAME].autograder), NAME)
    with pytest.raises(VariantError, match="at least 16 bytes"):
        gradescope.zip_entries(spec, b"short", _roster())


@pytest.mark.parametrize("change", ["edited", "deleted", "second"])
def test_the_rewritten_notebook_runs_the_cells_the_local_grader_runs(built, change):
    """After set_parameters, the notebook's own cells are what the local grader runs for it (code_cells with
    the issued parameters): the edited cell replaced, a deleted one put first, a second one dropped."""
    nb = nbformat.read(built[NAME].solution, as_version=4)
    (index,) = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and variantdraw.is_parameters_cell(c.source)]
    if change == "edited":
        nb.cells[index].source = nb.cells[index].source.replace("heads = ", "heads = 100 + ")
    elif change == "deleted":
        del nb.cells[index]
    else:
        nb.cells.append(nbformat.v4.new_code_cell(variantdraw.parameters_source({"flips": "HT", "heads": 1, "tails": 1})))
    issued = variantdraw.parameters_source({"flips": "HHTHHT", "heads": 4, "tails": 2})
    local = [source for _, source in code_cells(nb, issued)]
    data = json.loads(nbformat.writes(nb))
    tooling = json.loads(gradescope.zip_entries(variants.spec_from_zip(Path(built[NAME].autograder), NAME), KEY,
                                                _roster())[gradescope.SECRETS_FILE])["tooling"]
    done = gradescope_runtime.set_parameters(data, issued, variantdraw.is_parameters_cell, tooling)
    assert done == ("inserted" if change == "deleted" else "replaced")
    rewritten = nbformat.reads(json.dumps(data), as_version=4)
    nbformat.validate(rewritten)
    assert [source for _, source in code_cells(rewritten)] == local


@pytest.mark.parametrize(("claimed", "tag", "assignment", "expected"), [
    (OWNER, variantdraw.tag(KEY, NAME, OWNER), NAME, ""),
    (OTHER, variantdraw.tag(KEY, NAME, OTHER), NAME, "issued to another student"),
    (OTHER, variantdraw.tag(b"another course's key!!", NAME, OTHER), NAME, "not one the course issued"),
    (OTHER, variantdraw.tag(KEY, "js_divergence", OTHER), "js_divergence", "not one the course issued"),
])
def test_tag_note_tells_a_genuine_tag_from_a_forged_one(claimed, tag, assignment, expected):
    nb = {"metadata": {variantdraw.METADATA_KEY: {"variant": {"assignment": assignment, "student": claimed,
                                                              "tag": tag}}}}
    note = gradescope_runtime.tag_note(nb, variantdraw, KEY, NAME, OWNER)
    assert (expected in note) if expected else note == ""
    assert OTHER not in note
