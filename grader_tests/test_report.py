"""report.html: self-contained, with plots, statuses and misconceptions matched to mutants."""

from __future__ import annotations

import base64
import re

import nbformat
import pytest

from autograder.grade import grade_batch
from autograder.mutants import apply_variant, load_variants
from autograder.report import diagnose
from autograder.runner import Limits

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
    case = lambda i, ok: {"question": "q1", "index": i, "passed": ok}  # noqa: E731
    row = {"questions": {"q1": {"score": 2, "max_score": 5}},
           "cases": [case(0, True), case(1, True), case(2, False), case(3, False)]}
    assert diagnose(row, patterns) == {"q1": "base 2"}
    row["cases"][3]["passed"] = True
    assert diagnose(row, patterns) == {"q1": "swapped"}
    row["cases"][0]["passed"] = False
    assert diagnose(row, patterns) == {"q1": ""}


def test_status_table_lists_problem_submissions(sample_class_report):
    text = sample_class_report.read_text()
    for status in ("timeout", "crashed", "invalid-notebook", "wrong-assignment"):
        assert f"<td>{status}</td>" in text


@pytest.fixture
def sample_class_report(sample_class):
    return sample_class[0].report


from sample_class import sample_class  # noqa: E402,F401 - fixture
