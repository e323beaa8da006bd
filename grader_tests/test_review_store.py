"""OUT/review.sqlite3 (autograder.review.store) and the commands around it, without a browser: groups,
versioned writes, rubric edits that re-score, re-grading, CSV export/import, the gradebook merge, bad input."""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3

import pytest

from autograder.cli import main
from autograder.lms import final_gradebook
from autograder.master import load_master
from autograder import project, results
from autograder.review.app import open_review, render_answer
from autograder.review.csvio import export_csv, import_csv
from autograder.review.store import DB_FILE, Conflict, Store, normalise
from xentcore.errors import InputFileError, MasterNotebookError, UnknownAssignmentError, UsageError

from conftest import ROOT
from review_fixtures import numbered_class, write_class

MASTER = load_master(project.master_path(ROOT, "coin_mle"), "coin_mle")


def open_store(out):
    return Store.open(out / DB_FILE, assignment="coin_mle", master=MASTER, records=results.load_all(out, "coin_mle"))


def rows(path):
    with path.open(newline="") as handle:
        return {r["submission"]: r for r in csv.DictReader(handle)}


def test_identical_answers_up_to_spacing_are_one_group_that_can_be_split(tmp_path):
    write_class(tmp_path, {"a": {"q6": "We get $\\hat\\theta = h / (h+t)$.", "q10": "x"},
                           "b": {"q6": "We   get\n$\\hat\\theta=h/(h+t)$.", "q10": "y"},
                           "c": {"q6": "We get $\\hat\\theta \\, = h/(h + t)$.", "q10": "z"},
                           "d": {"q6": "Something else.", "q10": "x"}})
    assert normalise("a  b\n$x \\, + y$") == "a b $x+y$"
    store = open_store(tmp_path)
    order = store.order("q6")
    assert len(order) == 2 and store.progress("q6") == (0, 2)
    big = next(store.group(g) for g in order if len(store.group(g).answer_ids) == 3)
    assert sorted(big.submissions) == ["a", "b", "c"]
    item = store.rubric("q6")[0].id
    store.grade(big.id, items=[item], comment="ok", adjust=0, reason="", base_version=0, grader="g1")
    assert store.manual_scores() == {("a", "q6"): 1.0, ("b", "q6"): 1.0, ("c", "q6"): 1.0}
    split = store.split(big.answer_ids[1], grader="g1")
    assert len(store.group(split).answer_ids) == 1 and len(store.group(big.id).answer_ids) == 2
    assert len(store.order("q6")) == 3
    assert store.manual_scores()[("b", "q6")] == 1.0  # the split answer keeps its grade
    assert [r["action"] for r in store.audit_rows()] == ["split group"]


def test_order_is_shuffled_stable_and_seeded_per_question(tmp_path):
    numbered_class(tmp_path, 30)
    store = open_store(tmp_path)
    first = [store.group(g).submissions[0] for g in store.order("q6")]
    assert first != sorted(first)  # shuffled
    assert first == [store.group(g).submissions[0] for g in store.order("q6")]
    store.close()
    again = open_store(tmp_path)
    assert first == [again.group(g).submissions[0] for g in again.order("q6")]
    assert first != [again.group(g).submissions[0] for g in again.order("q10")]


def test_stale_write_is_refused_with_the_current_version_and_changes_nothing(tmp_path):
    numbered_class(tmp_path, 3)
    store = open_store(tmp_path)
    group = store.order("q6")[0]
    items = [i.id for i in store.rubric("q6")]
    store.grade(group, items=items[:2], comment="first", adjust=0, reason="", base_version=0, grader="ann")
    with pytest.raises(Conflict) as info:
        store.grade(group, items=items[:1], comment="second", adjust=0, reason="", base_version=0, grader="bob")
    assert info.value.current["comment"] == "first" and info.value.current["grader"] == "ann"
    assert store.group(group).score == 2.0 and store.group(group).comment == "first"
    with pytest.raises(UsageError, match="needs a reason"):
        store.grade(group, items=[], comment="", adjust=1, reason="", base_version=1, grader="ann")
    after = store.grade(group, items=items, comment="", adjust=-0.5, reason="sloppy", base_version=1, grader="ann")
    assert after.score == 2.5 and after.version == 2


def test_rubric_edit_rescores_every_graded_answer_and_is_audited(tmp_path):
    numbered_class(tmp_path, 12)
    store = open_store(tmp_path)
    first, second, third = store.rubric("q6")
    graded = store.order("q6")[:10]
    for group in graded:
        store.grade(group, items=[first.id, third.id], comment="", adjust=0, reason="", base_version=0, grader="g")
    assert store.edit_rubric("q6", item_id=first.id, points=2.5, base_version=0, grader="ann") == 10
    assert [store.group(g).score for g in graded] == [3.5] * 10
    assert all(not store.group(g).graded for g in store.order("q6")[10:])
    audit = store.audit_rows()[-1]
    assert (audit["grader"], audit["action"], audit["question"]) == ("ann", "edit item", "q6")
    assert json.loads(audit["before"])[0]["points"] == 1.0 and json.loads(audit["after"])[0]["points"] == 2.5
    store.edit_rubric("q6", item_id=third.id, delete=True, base_version=1, grader="ann")
    assert [store.group(g).score for g in graded] == [2.5] * 10
    store.edit_rubric("q6", item_id=None, text="Extra insight", points=1, base_version=2, grader="ann")
    assert [i.text for i in store.rubric("q6")][-1] == "Extra insight"
    store.close()
    with final_gradebook("coin_mle", tmp_path, root=ROOT).path.open(newline="") as handle:
        book = list(csv.DictReader(handle))
    assert {r["manual_max"] for r in book} == {str(2.5 + 1 + 1 + 4)}  # q6 as edited, q10 as in the master
    store = open_store(tmp_path)
    with pytest.raises(Conflict):
        store.edit_rubric("q6", item_id=second.id, points=0, base_version=0, grader="bob")
    assert [r["action"] for r in store.audit_rows()] == ["edit item", "delete item", "add item"]


def test_grading_again_keeps_scores_and_marks_changed_answers(tmp_path):
    answers = numbered_class(tmp_path, 4)
    store = open_store(tmp_path)
    item = store.rubric("q6")[0].id
    for group in store.order("q6"):
        store.grade(group, items=[item], comment="", adjust=0, reason="", base_version=0, grader="g")
    store.close()
    answers["s001"]["q6"] = "A rewritten answer."
    write_class(tmp_path, answers)  # what `grade` writes again into the same OUT
    store = open_store(tmp_path)
    assert store.manual_scores() == {(s, "q6"): 1.0 for s in answers}
    changed = {store.group(g).submissions[0]: store.group(g).changed for g in store.order("q6")}
    assert changed == {"s000": False, "s001": True, "s002": False, "s003": False}


def test_gradebook_merges_database_scores_and_csv_round_trips(tmp_path):
    numbered_class(tmp_path, 3)
    store = open_store(tmp_path)
    q6, q10 = store.rubric("q6"), store.rubric("q10")
    by_submission = {store.group(g).submissions[0]: g for g in store.order("q6")}
    store.grade(by_submission["s000"], items=[q6[0].id, q6[1].id], comment="good", adjust=0, reason="",
                base_version=0, grader="g")
    store.grade(by_submission["s001"], items=[q6[2].id], comment="", adjust=0.5, reason="nice idea",
                base_version=0, grader="g")
    g10 = next(g for g in store.order("q10") if store.group(g).submissions[0] == "s000")
    store.grade(g10, items=[i.id for i in q10], comment="", adjust=0, reason="", base_version=0, grader="g")
    store.close()
    book = rows(final_gradebook("coin_mle", tmp_path, root=ROOT).path)
    assert (book["s000"]["q6"], book["s000"]["q10"], book["s000"]["manual_score"]) == ("2", "4", "6")
    assert book["s000"]["manual_complete"] == "yes" and book["s001"]["manual_complete"] == "no"
    assert (book["s001"]["q6"], book["s002"]["q6"]) == ("1.5", "")
    assert book["s000"]["total"] == str(8 + 6)

    exported = export_csv("coin_mle", tmp_path, root=ROOT)
    csv_rows = list(csv.DictReader(exported.read_text().splitlines()))
    s0 = [r["points"] for r in csv_rows if r["submission"] == "s000" and r["question"] == "q6"]
    assert s0 == ["1", "1", "0"]
    other = tmp_path / "other"
    numbered_class(other, 3)
    assert import_csv("coin_mle", other, exported, root=ROOT) == 3
    imported = rows(final_gradebook("coin_mle", other, root=ROOT).path)
    assert [imported[s]["q6"] for s in ("s000", "s002")] == ["2", ""] and imported["s000"]["q10"] == "4"
    assert imported["s001"]["q6"] == "1"  # the adjustment travels in the comment only

    # --manual still works and wins for the answers it fills
    filled = [dict(r) for r in csv_rows]
    for r in filled:
        if r["submission"] == "s002" and r["question"] == "q6":
            r["points"] = "1"
    manual = tmp_path / "filled.csv"
    with manual.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(filled[0]))
        writer.writeheader()
        writer.writerows(filled)
    assert rows(final_gradebook("coin_mle", tmp_path, root=ROOT, manual=manual).path)["s002"]["q6"] == "3"


def test_import_of_a_bad_csv_changes_nothing(tmp_path):
    numbered_class(tmp_path, 2)
    exported = export_csv("coin_mle", tmp_path, root=ROOT)
    table = list(csv.DictReader(exported.read_text().splitlines()))
    table[0]["points"], table[5]["points"] = "1", "9"
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(table[0]))
        writer.writeheader()
        writer.writerows(table)
    with pytest.raises(InputFileError, match="outside 0..1"):
        import_csv("coin_mle", tmp_path, bad, root=ROOT)
    store = open_store(tmp_path)
    assert store.manual_scores() == {}


def test_bad_input_is_named_with_the_fix_and_leaves_no_database(tmp_path, capsys):
    with pytest.raises(UnknownAssignmentError):
        open_review("no_such_assignment", tmp_path, root=ROOT)
    with pytest.raises(UsageError, match="run `autograder grade"):
        open_review("coin_mle", tmp_path, root=ROOT)
    assert not (tmp_path / DB_FILE).exists()
    assert main(["--root", str(ROOT), "review", "coin_mle", str(tmp_path), "--no-browser"]) == 1
    assert capsys.readouterr().err.startswith("usage: ")

    numbered_class(tmp_path, 2)
    (tmp_path / DB_FILE).write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(InputFileError, match=f"{DB_FILE}: not a xent-lab review database.*move it away"):
        open_review("coin_mle", tmp_path, root=ROOT)
    foreign = sqlite3.connect(tmp_path / DB_FILE.replace(".", "-other."))
    foreign.execute("CREATE TABLE t (x)")
    foreign.commit()
    foreign.close()
    shutil.move(tmp_path / DB_FILE.replace(".", "-other."), tmp_path / DB_FILE)
    with pytest.raises(InputFileError, match="not a xent-lab review database"):
        open_review("coin_mle", tmp_path, root=ROOT)
    assert main(["--root", str(ROOT), "review", "coin_mle", str(tmp_path), "--no-browser"]) == 1
    assert capsys.readouterr().err.startswith("input: ")
    assert not list(tmp_path.glob("*.creating-*"))


def test_a_rubric_that_does_not_add_up_is_refused_before_any_database(tmp_path):
    root = tmp_path / "root"
    shutil.copytree(ROOT / "assignments" / "coin_mle", root / "assignments" / "coin_mle")
    master = root / "assignments" / "coin_mle" / "coin_mle.ipynb"
    text = master.read_text()
    assert text.count("- [1] Differentiates correctly") == 1
    master.write_text(text.replace("- [1] Differentiates correctly", "- [2] Differentiates correctly"))
    out = tmp_path / "out"
    numbered_class(out, 2)
    with pytest.raises(MasterNotebookError, match="adds up to 4 points"):
        open_review("coin_mle", out, root=root)
    assert not (out / DB_FILE).exists()


def test_hostile_answers_render_inert_and_bounded():
    html = render_answer("<script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3)) "
                         "![pic](http://example.com/p.png)")
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "onerror=alert" not in html.replace("onerror=alert(2)&gt;", "")
    huge = render_answer("word " * 250_000)
    assert len(huge) < 120_000 and "Answer cut at" in huge


def test_cli_exports_and_imports_manual_scores(tmp_path, capsys):
    numbered_class(tmp_path, 2)
    store = open_store(tmp_path)
    group = store.order("q6")[0]
    store.grade(group, items=[store.rubric("q6")[1].id], comment="fine", adjust=0, reason="", base_version=0,
                grader="g")
    graded = store.group(group).submissions[0]
    store.close()
    target = tmp_path / "exported.csv"
    assert main(["--root", str(ROOT), "review", "coin_mle", str(tmp_path), "--export-csv", str(target)]) == 0
    assert f"manual scores written: {target}" in capsys.readouterr().out
    other = tmp_path / "other"
    numbered_class(other, 2)
    assert main(["--root", str(ROOT), "review", "coin_mle", str(other), "--import-csv", str(target),
                 "--grader", "importer"]) == 0
    assert "imported 1 graded answers" in capsys.readouterr().out
    store = open_store(other)
    assert store.manual_scores() == {(graded, "q6"): 1.0}
    store.close()
