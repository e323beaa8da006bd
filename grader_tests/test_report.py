"""report.html: self-contained, with plots, statuses and misconceptions matched to mutants."""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder import project
from autograder.grading.batch import grade_batch
from autograder.mutants import apply_variant, load_variants
from autograder.patterns import diagnose
from autograder.results import CaseResult, QuestionScore, Status, SubmissionRecord
from autograder.grading.runner import Limits, load_autograder

from conftest import ROOT

pytestmark = pytest.mark.slow
MUTANTS = {v.slug: v for v in load_variants(ROOT / "assignments/coin_mle/mutants", mutant=True)}


@pytest.fixture(scope="module")
def mutant_class(built, tmp_path_factory):
    """Three students with ddof=1, two with swapped KL... here: coin_mle mutants, plus a correct one."""
    inputs = tmp_path_factory.mktemp("inputs")
    solution = nbformat.read(built["coin_mle"].solution, as_version=4)
    plan = {"sample_std_ddof1": 3, "log_base_2": 2, "no_validation": 1}
    for slug, count in plan.items():
        for n in range(count):
            nbformat.write(apply_variant(solution, MUTANTS[slug]), inputs / f"{slug}-{n}.ipynb")
    nbformat.write(solution, inputs / "correct.ipynb")
    out = tmp_path_factory.mktemp("out")
    summary = grade_batch("coin_mle", [inputs], out=out, root=ROOT, dist=built["coin_mle"].autograder.parents[2],
                          workers=2, limits=Limits(timeout=30, cell_timeout=5), progress=lambda d, t: None)
    return summary, out, plan


def test_report_is_self_contained_with_three_plots_each_with_its_numbers(mutant_class):
    summary, out, plan = mutant_class
    text = summary.report.read_text()
    assert summary.report == out / "report.html"
    assert not re.search(r"""(src|href)=["'](https?:)?//""", text), "the report must not load anything remote"
    assert not re.search(r"<script[^>]*src=", text), "no script is loaded from anywhere"
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 3
    for image in images:
        assert base64.b64decode(image)[:8] == b"\x89PNG\r\n\x1a\n"
    for title in ("Score distribution", "Mean score per question", "Pass rate per test case"):
        figure = re.search(rf"<h3>{title}</h3>(.*?)</div>", text, re.DOTALL).group(1)
        assert "<img" in figure and f"<caption>{title}: the numbers</caption>" in figure
    histogram = re.search(r"<caption>Score distribution: the numbers</caption>(.*?)</table>", text).group(1)
    counts = [float(n) for n in re.findall(r'<td data-sort="([0-9.]+)">\d+</td>', histogram)]
    assert sum(counts) == len(summary.records), "the histogram's table counts every submission once"
    cases = re.search(r"<caption>Pass rate per test case: the numbers</caption>(.*?)</table>", text).group(1)
    assert cases.count("<tr>") == 1 + len(load_autograder(summary.autograder_zip, "coin_mle").cases)


def test_time_per_submission_is_a_table_naming_each_submission_slowest_first(mutant_class):
    summary, _, _ = mutant_class
    text = summary.report.read_text()
    table = re.search(r"<caption>Grading time per submission[^<]*</caption>(.*?)</table>", text).group(1)
    names = re.findall(r'<th scope="row">([^<]+)</th>', table)
    seconds = [float(s) for s in re.findall(r'<td data-sort="([0-9.e-]+)"><span class="bar"', table)]
    assert sorted(names) == sorted(r.submission for r in summary.records)
    assert seconds == sorted(seconds, reverse=True) and len(seconds) == len(names)
    by_name = {r.submission: r.seconds for r in summary.records}
    assert [round(by_name[n], 6) for n in names] == [round(s, 6) for s in seconds]


def test_misconceptions_are_counted_per_question(mutant_class):
    summary, _, plan = mutant_class
    text = summary.report.read_text()
    ddof = MUTANTS["sample_std_ddof1"].description
    count = r'<td data-sort="{n}\.0">{n}</td>'
    assert re.search(rf"<td>q7</td><td[^>]*>{re.escape(ddof)}</td>{count.format(n=plan['sample_std_ddof1'])}",
                     text.replace("&#x27;", "'")), "ddof=1 students are not counted on q7"
    log2 = MUTANTS["log_base_2"].description
    assert re.search(rf"<td>q2</td><td[^>]*>{re.escape(log2)}</td>{count.format(n=2)}", text)


@pytest.fixture(scope="module")
def crafted_report(mutant_class, built, tmp_path_factory):
    """report.html over real records plus crafted ones: two mutants that share a pattern, a blank answer,
    a submission whose later cell crashed after full marks."""
    from dataclasses import replace

    from autograder import results
    from autograder.report import write_report
    from autograder.results import CellResult

    _, out, _ = mutant_class
    rows = {r.submission: r for r in results.load_all(out)}
    patterns = json.loads((out / "mutant_patterns.json").read_text())["patterns"]
    log2 = next(p for p in patterns if p["slug"] == "log_base_2")
    twin = {"slug": "twin", "description": "<b>a twin</b> misconception", "failed": {"q2": log2["failed"]["q2"]}}
    correct = rows["correct"]
    blank_cases = [replace(c, passed=False) if c.question == "q3" else c for c in correct.cases]
    blank = replace(correct, submission="blank-q3", cases=blank_cases,
                    questions={**correct.questions, "q3": QuestionScore(0.0, correct.questions["q3"].max_score)})
    crashed = replace(correct, submission="crashed-late", status=Status.CRASHED, detail="a cell ended its process",
                      cells=[*correct.cells, CellResult(len(correct.cells), "crashed", 0.1, "killed")])
    chosen = [rows["log_base_2-0"], rows["log_base_2-1"], correct, blank, crashed]
    folder = tmp_path_factory.mktemp("crafted")
    path = write_report(folder, chosen, load_autograder(built["coin_mle"].autograder, "coin_mle"),
                        patterns=[*patterns, twin], warnings=[])
    return path.read_text(encoding="utf-8"), log2["description"]


def test_several_misconceptions_are_listed_not_joined(crafted_report):
    text, log2 = crafted_report
    both = f"<ul class=\"labels\"><li>{html.escape(log2)}</li><li>&lt;b&gt;a twin&lt;/b&gt; misconception</li></ul>"
    assert both in text, "two mutants matching one answer are a list"
    assert "<b>a twin</b>" not in text, "descriptions are escaped"
    table = re.search(r"<caption>Likely misconceptions.*?</table>", text, re.DOTALL).group(0)
    shown = re.sub(r'data-sort="[^"]*"', "", table)
    assert " / " not in shown and shown.count(both) == 1


def test_an_unanswered_question_is_no_answer_not_an_unrecognised_pattern(crafted_report):
    text, _ = crafted_report
    table = re.search(r"<caption>Likely misconceptions.*?</table>", text, re.DOTALL).group(0)
    assert re.search(r"<td>q3</td><td[^>]*>no answer \(every test failed\)</td><td data-sort=\"1\.0\">1</td>", table)
    assert "unrecognised failure pattern" not in table


def test_a_late_crash_after_full_marks_says_so(crafted_report):
    text, _ = crafted_report
    row = re.search(r"<th scope=\"row\">crashed-late</th><td>crashed</td><td>([^<]*)</td>", text)
    assert row and row.group(1).startswith("Every question earned full marks; a later cell (notebook cell ")
    assert "which cost no points" in row.group(1)


def test_diagnose_labels_only_exact_patterns():
    patterns = [{"description": "swapped", "failed": {"q1": ["q1.3"]}},
                {"description": "base 2", "failed": {"q1": ["q1.3", "q1.4"]}}]
    case = lambda i, ok: CaseResult("q1", i, False, 1.0, ok)  # noqa: E731
    row = SubmissionRecord(status=Status.OK, questions={"q1": QuestionScore(2, 5)},
                           cases=[case(0, True), case(1, True), case(2, False), case(3, False)])
    assert diagnose(row, patterns) == {"q1": ["base 2"]}
    row.cases[3].passed = True
    assert diagnose(row, patterns) == {"q1": ["swapped"]}
    row.cases[0].passed = False
    assert diagnose(row, patterns) == {"q1": []}


def test_status_table_lists_problem_submissions(sample_class_report):
    text = sample_class_report.read_text()
    for status in ("timeout", "crashed", "invalid-notebook", "wrong-assignment"):
        assert f"<td>{status}</td>" in text


@pytest.fixture
def sample_class_report(sample_class):
    return sample_class[0].report


from sample_class import sample_class  # noqa: E402,F401 - fixture


def test_the_report_reads_the_patterns_the_build_measured(built, tmp_path, monkeypatch):
    """Grading never grades the mutants again while the build's file matches; a stale file is not trusted."""
    from autograder import patterns as report  # mutant patterns live in autograder.patterns

    dist = built["coin_mle"].autograder.parents[2]
    measured = json.loads((dist / "coin_mle" / "autograder" / "mutant_patterns.json").read_text())
    autograder = load_autograder(built["coin_mle"].autograder, "coin_mle")
    mutants = list(MUTANTS.values())
    assert measured["key"] == report.patterns_key(autograder, project.solution_path(ROOT, "coin_mle").read_bytes(),
                                                  mutants)
    assert {p["slug"] for p in measured["patterns"]} == set(MUTANTS)
    assert all(p["failed"] for p in measured["patterns"]), "every mutant should fail some test"

    def must_not_run(*args, **kwargs):
        raise AssertionError("the mutants were graded again")

    monkeypatch.setattr(report, "measure_mutant_patterns", must_not_run)
    inputs = tmp_path / "in"
    inputs.mkdir()
    nbformat.write(apply_variant(nbformat.read(built["coin_mle"].solution, as_version=4), MUTANTS["log_base_2"]),
                   inputs / "s.ipynb")
    summary = grade_batch("coin_mle", [inputs], out=tmp_path / "out", root=ROOT, dist=dist, workers=1,
                          limits=Limits(timeout=30, cell_timeout=5), progress=lambda d, t: None)
    assert json.loads((tmp_path / "out" / "mutant_patterns.json").read_text()) == measured  # OUT keeps a copy
    assert MUTANTS["log_base_2"].description in summary.report.read_text()

    # A build file from another solution or zip: its key does not match, so the patterns are measured anew.
    stale = tmp_path / "stale"
    shutil.copytree(dist / "coin_mle", stale / "coin_mle")
    patterns_file = stale / "coin_mle" / "autograder" / "mutant_patterns.json"
    patterns_file.write_text(json.dumps({"key": "0" * 64, "patterns": [{"slug": "x", "description": "WRONG",
                                                                        "failed": {"q2": ["q2.1"]}}]}))
    fresh = [{"slug": "y", "description": "measured again", "failed": {}}]
    monkeypatch.setattr(report, "measure_mutant_patterns", lambda *args: fresh)
    assert report.mutant_patterns(ROOT, "coin_mle", autograder, tmp_path / "out2",
                                  built=patterns_file) == fresh


PLOTS_BOTH_WAYS = """
import json, os, sys
from pathlib import Path
from autograder import report, results
from autograder.grading.runner import load_autograder
assert report.can_fork(), "a fresh process runs one thread: the plots are drawn in two processes"
rows = results.load_all(Path(sys.argv[1]).parent)
autograder = load_autograder(Path(sys.argv[2]), "coin_mle")
shared = report._plots(rows, autograder)
parent, real = os.getpid(), report._question_plot
def fails_in_the_child(*args):  # a child that fails part-way sends nothing usable
    if os.getpid() != parent:
        raise RuntimeError("broken child")
    return real(*args)
report.PLOTS = tuple((t, fails_in_the_child if m is real else m) for t, m in report.PLOTS)
recovered = report._plots(rows, autograder)
report.can_fork = lambda: False
alone = report._plots(rows, autograder)
print(json.dumps({"shared": shared, "recovered": recovered, "alone": alone}))
"""


def test_plots_drawn_in_two_processes_equal_plots_drawn_in_one(mutant_class, built):
    """Run in a fresh process: drawing in a forked child needs a process with one thread."""
    from autograder import report

    _, out, _ = mutant_class
    done = subprocess.run([sys.executable, "-c", PLOTS_BOTH_WAYS, str(out / "results"), str(built["coin_mle"].autograder)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    drawn = json.loads(done.stdout)
    assert [title for title, _ in drawn["shared"]] == [title for title, _ in report.PLOTS]
    assert all(base64.b64decode(png)[:8] == b"\x89PNG\r\n\x1a\n" for _, png in drawn["shared"])
    assert drawn["shared"] == drawn["recovered"] == drawn["alone"]


def test_the_blank_sample_counts_as_no_answer(sample_class_report):
    """ivan submitted the untouched student copy: no question of his is an "unrecognised failure pattern"."""
    text = sample_class_report.read_text()
    table = re.search(r"<caption>Every submission's scores</caption>(.*?)</table>", text.replace("&#x27;", "'"),
                      re.DOTALL).group(1)
    row = re.search(r'<th scope="row">ivan</th>(.*?)</tr>', table).group(1)
    assert "no answer (every test failed)" in row and "unrecognised failure pattern" not in row
