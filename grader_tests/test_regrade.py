"""Regrades: regrade.csv/.html list exactly whose score moved, before → after, which case flipped and why;
a dry run replaces nothing; an identical run lists none; manual scores are never touched."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder import project, regrade
from autograder.grading.batch import grade_batch
from autograder.grading.runner import Limits
from autograder.mutants import apply_variant, load_variants
from autograder.packet import make_packet
from autograder.results import CaseResult, QuestionScore, Status, SubmissionRecord, load_all
from autograder.testfiles import cases_from_zip, copy_with_case_points
from xentcore.safetext import csv_records

from conftest import ROOT
from grading import dist_of

NAME = "coin_mle"


def _record(name, passed, *, points=(1.0, 2.0), sha="s", zip_sha="z", status=Status.OK):
    cases = [CaseResult("q1", i, i == 1, p, ok, f"property {i}") for i, (p, ok) in enumerate(zip(points, passed))]
    score = sum(c.points for c in cases if c.passed)
    return SubmissionRecord(status=status, questions={"q1": QuestionScore(score, sum(points))}, cases=cases,
                            submission=name, sha256=sha, autograder_sha256=zip_sha)


def test_compare_lists_only_moved_scores_with_flips_and_reasons():
    before = {"same": _record("same", [True, False]), "fixed": _record("fixed", [True, False]),
              "resubmitted": _record("resubmitted", [True, True]), "crashed": _record("crashed", [True, True])}
    after = [_record("same", [True, False], zip_sha="z2"),
             _record("fixed", [True, True], zip_sha="z2"),
             _record("resubmitted", [False, True], sha="s2"),
             _record("crashed", [True, True], status=Status.CRASHED),
             _record("newcomer", [True, True])]
    changes = {c.submission: c for c in regrade.compare(before, after)}
    assert set(changes) == {"fixed", "resubmitted", "crashed", "newcomer"}
    assert changes["fixed"].why == (regrade.AUTOGRADER_CHANGED,)
    assert (changes["fixed"].score_before, changes["fixed"].after.score, changes["fixed"].delta) == (1.0, 3.0, 2.0)
    assert [f.describe() for f in changes["fixed"].flips] == ["q1.2: failed → passed"]
    assert changes["fixed"].questions == (("q1", 1.0, 3.0),)
    assert changes["resubmitted"].why == (regrade.SUBMISSION_CHANGED,) and changes["resubmitted"].delta == -1.0
    assert changes["crashed"].delta == 0 and changes["crashed"].flips == ()  # the status moved, not the score
    assert changes["newcomer"].why == (regrade.NEW,) and changes["newcomer"].before is None
    text = regrade._summary_text(list(changes.values()))
    assert text.startswith("4 changed (1 up, 1 down, 1 new)") and "largest change +2 (fixed)" in text


def test_a_points_change_names_the_case_and_its_new_worth():
    before = {"a": _record("a", [True, True])}
    after = [_record("a", [True, True], points=(1.0, 5.0), zip_sha="z2")]
    (change,) = regrade.compare(before, after)
    assert change.flips[0].describe() == "q1.2: passed → passed (worth 2 → 5 points)"


def test_feedback_note_only_when_the_score_moved():
    old, same, up = _record("a", [True, False]), _record("a", [True, False], zip_sha="z2"), _record("a", [True, True])
    assert regrade.feedback_note(old, same) == "" and regrade.feedback_note(None, up) == ""
    assert "from 1 to 3 (+2" in regrade.feedback_note(old, up)


def test_hostile_names_are_escaped_in_regrade_html(tmp_path):
    evil = '<script>alert("x")</script>'
    report = regrade.write_regrade(tmp_path, regrade.compare({}, [_record(evil, [True, True])]), assignment="a<b")
    text = report.html.read_text()
    assert evil not in text and "&lt;script&gt;" in text and "a&lt;b" in text
    assert "=1+1" not in report.csv.read_text()


# ---------------------------------------------------------------- a real regrade of a small class

def _rows(path: Path) -> dict[str, dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["submission"]: row for row in csv_records(handle)}


@pytest.fixture(scope="module")
def regraded(built, tmp_path_factory):
    """A class graded, its packet filled in, then graded again after one hidden test's points changed."""
    from autograder import patterns as patterns_module

    base = tmp_path_factory.mktemp("regrade")
    dist = dist_of(built, NAME)
    solution = nbformat.read(built[NAME].solution, as_version=4)
    mutants = {v.slug: v for v in load_variants(ROOT / "assignments" / NAME / "mutants", mutant=True)}
    inputs = base / "in"
    inputs.mkdir()
    nbformat.write(solution, inputs / "correct.ipynb")
    nbformat.write(apply_variant(solution, mutants["log_base_2"]), inputs / "log2.ipynb")
    nbformat.write(nbformat.read(built[NAME].student, as_version=4), inputs / "blank.ipynb")
    out = base / "out"

    def run(dist_folder: Path, **options):
        return grade_batch(NAME, [inputs], out=out, root=ROOT, dist=dist_folder, workers=1,
                           limits=Limits(timeout=30, cell_timeout=5), progress=lambda d, t: None, **options)

    first = run(dist)
    assert first.regrade is None, "a first run has nothing to compare with"
    make_packet(NAME, out, root=ROOT)
    manual = out / "manual_scores.csv"
    with open(manual, newline="", encoding="utf-8") as handle:
        table = list(csv.reader(handle))
    table[1][table[0].index("points")] = "1"  # a grader's mark for the first rubric item
    with open(manual, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    manual_bytes = manual.read_bytes()
    before = {r.submission: r for r in load_all(out)}

    # The planted fix: one hidden q2 case that the correct answer passes and the log-base-2 one fails.
    case = next(c for c in cases_from_zip(project.autograder_zip(dist, NAME)) if c.question == "q2" and c.hidden
                and any(x.key == c.key and x.passed for x in before["correct"].cases)
                and any(x.key == c.key and not x.passed for x in before["log2"].cases))
    planted = base / "dist"
    shutil.copytree(dist / NAME, planted / NAME, ignore=shutil.ignore_patterns("autograder.zip"))
    copy_with_case_points(project.autograder_zip(dist, NAME), project.autograder_zip(planted, NAME), "q2",
                          case.index, case.points + 2)
    measured = json.loads(project.mutant_patterns_file(dist, NAME).read_text())["patterns"]
    with pytest.MonkeyPatch.context() as patch:  # the mutants' patterns do not depend on a case's points
        patch.setattr(patterns_module, "measure_mutant_patterns", lambda *args: measured)
        results_before = {p.name: p.read_bytes() for p in (out / "results").iterdir()}
        dry = run(planted, dry_run_regrade=True)
        results_after_dry = {p.name: p.read_bytes() for p in (out / "results").iterdir()}
        second = run(planted)
        second_csv = (out / regrade.CSV_FILE).read_bytes()
        second_html = (out / regrade.HTML_FILE).read_text(encoding="utf-8")
        feedback = {p.stem: p.read_text(encoding="utf-8") for p in (out / "feedback").iterdir()}
        third = run(planted)
    return dict(out=out, first=first, dry=dry, second=second, third=third, before=before, case=case,
                manual=manual, manual_bytes=manual_bytes, results_before=results_before,
                results_after_dry=results_after_dry, second_csv=second_csv, second_html=second_html,
                feedback=feedback)


@pytest.mark.slow
def test_regrade_csv_lists_exactly_the_moved_scores_with_before_after_and_case(regraded):
    out, case, before = regraded["out"], regraded["case"], regraded["before"]
    expected = {name for name, record in before.items() for c in record.cases if c.key == case.key and c.passed}
    assert expected == {"correct"}, "only the correct answer passed the planted case"
    (out / "check.csv").write_bytes(regraded["second_csv"])
    rows = _rows(out / "check.csv")
    assert set(rows) == expected
    row = rows["correct"]
    old = before["correct"].score
    assert (float(row["score_before"]), float(row["score_after"]), row["change"]) == (old, old + 2, "+2")
    assert row["why"] == regrade.AUTOGRADER_CHANGED
    assert f"{case.key}: passed → passed (worth {case.points:g} → {case.points + 2:g} points)" in row["cases_flipped"]
    assert row["questions_changed"].startswith("q2: ")
    assert regraded["second"].regrade.describe().startswith("regrade: 1 changed (1 up, 0 down, 0 new)")


@pytest.mark.slow
def test_an_identical_second_run_lists_none_and_keeps_manual_scores(regraded):
    out = regraded["out"]
    assert regraded["third"].graded == 0
    assert _rows(out / regrade.CSV_FILE) == {}
    assert "No submission&#x27;s score or status changed" in (out / regrade.HTML_FILE).read_text() or \
        "No submission's score or status changed" in (out / regrade.HTML_FILE).read_text()
    assert regraded["manual"].read_bytes() == regraded["manual_bytes"], "a regrade never touches manual scores"
    previous = _rows(out / regrade.PREVIOUS_GRADEBOOK)
    assert float(previous["correct"]["score"]) == regraded["before"]["correct"].score


@pytest.mark.slow
def test_a_dry_run_replaces_nothing_and_shows_the_change(regraded):
    out = regraded["out"]
    assert regraded["results_after_dry"] == regraded["results_before"]
    assert set(_rows(out / f"{regrade.DRY_RUN_PREFIX}.csv")) == {"correct"}
    assert regraded["dry"].regrade.dry_run and "dry run" in regraded["dry"].describe()


@pytest.mark.slow
def test_feedback_says_what_changed_and_the_report_links_the_regrade(regraded):
    feedback = regraded["feedback"]
    assert "Changed since your last feedback" in feedback["correct"]
    assert "Changed since your last feedback" not in feedback["log2"]
    assert "Changed since your last feedback" not in feedback["blank"]
    report = (regraded["out"] / "report.html").read_text(encoding="utf-8")
    assert '<a href="regrade.html">Regrade report</a>' in report
    html = regraded["second_html"]
    assert "1 changed (1 up, 0 down, 0 new)" in html and "largest change +2 (correct)" in html
    assert 'href="report.html"' in html and not any(s in html for s in ('src="http', 'href="http'))


@pytest.mark.slow
def test_cli_dry_run_regrade_prints_what_would_change_and_replaces_nothing(regraded, built, capsys, monkeypatch):
    """Back to the original build: the correct answer would lose the 2 points again; nothing is replaced."""
    from autograder import cli
    from autograder import patterns as patterns_module

    out = regraded["out"]
    monkeypatch.setattr(patterns_module, "measure_mutant_patterns", lambda *args: pytest.fail("measured again"))
    kept = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()
            and not p.name.startswith(regrade.DRY_RUN_PREFIX)}
    code = cli.main(["--root", str(ROOT), "grade", NAME, str(out.parent / "in"), "-o", str(out),
                     "--dist", str(dist_of(built, NAME)), "--workers", "1", "--timeout", "30", "--cell-timeout", "5",
                     "--dry-run-regrade"])
    printed = capsys.readouterr().out
    assert code == 0
    assert "regrade (dry run: nothing replaced): 1 changed (0 up, 1 down, 0 new); largest change -2 (correct)" \
        in printed
    assert str(out / f"{regrade.DRY_RUN_PREFIX}.html") in printed
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()
            and not p.name.startswith(regrade.DRY_RUN_PREFIX)} == kept, "a dry run replaces nothing in OUT"
    row = _rows(out / f"{regrade.DRY_RUN_PREFIX}.csv")["correct"]
    assert row["change"] == "-2" and row["why"] == regrade.AUTOGRADER_CHANGED
