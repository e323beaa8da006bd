"""report.html: self-contained, with plots, statuses and misconceptions matched to mutants."""

from __future__ import annotations

import base64
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


def test_report_is_self_contained_with_four_plots(mutant_class):
    summary, out, _ = mutant_class
    text = summary.report.read_text()
    assert summary.report == out / "report.html"
    assert not re.search(r"""(src|href)=["'](https?:)?//""", text), "the report must not load anything remote"
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', text)
    assert len(images) == 4
    for image in images:
        assert base64.b64decode(image)[:8] == b"\x89PNG\r\n\x1a\n"
    for title in ("Score distribution", "Mean score per question", "Pass rate per test case", "Time per submission"):
        assert title in text


def test_misconceptions_are_counted_per_question(mutant_class):
    summary, _, plan = mutant_class
    text = summary.report.read_text()
    ddof = MUTANTS["sample_std_ddof1"].description
    assert re.search(rf"<td>q7</td><td>{re.escape(ddof)}</td><td>{plan['sample_std_ddof1']}</td>",
                     text.replace("&#x27;", "'")), "ddof=1 students are not counted on q7"
    log2 = MUTANTS["log_base_2"].description
    assert f"<td>q2</td><td>{log2}</td><td>2</td>" in text


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
