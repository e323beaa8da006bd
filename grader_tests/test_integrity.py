"""Integrity findings (autograder/integrity.py): answers right for another student's variant, and near-identical
code across submissions, in report.html and integrity.csv.

Real coin_mle notebooks are graded with the runner on their owners' parameters: A hard-codes B's theta_hat; B is
the reference solution; C is a second correct solution written independently (another style throughout); D is
C renamed, re-indented and re-commented, with a hostile comment."""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import integrity
from autograder.gradebook import feedback_markdown
from autograder.grading.runner import Limits, Zygote, grade_notebook, load_autograder
from autograder.integrity import CellMatch, CodeFinding, Integrity, VariantFinding
from autograder.report import write_report
from autograder.results import Status, SubmissionRecord

from accessibility import axe_script  # noqa: F401 - fixture
from grading import solution, with_answers, write

pytestmark = pytest.mark.slow
KEY = b"integrity-test-key-0123456789abcdef"
HOSTILE = '</pre><script>alert("x")</script><img src=x onerror=alert(1)>'

# C: every code answer written another way than the reference solution (loops, np.where, math, vectorize).
INDEPENDENT = {
    "q1": '''import math


def likelihood(theta, n_heads, n_tails):
    arr = np.array(theta, dtype=np.float64)
    out = np.power(arr, n_heads) * np.power(np.subtract(1.0, arr), n_tails)
    if np.isscalar(theta) or np.ndim(theta) == 0:
        return float(out)
    return out''',
    "q2": '''def log_likelihood(theta, n_heads, n_tails):
    t = np.atleast_1d(np.array(theta, dtype=np.float64))
    total = np.zeros(t.shape)
    for count, prob in ((n_heads, t), (n_tails, 1.0 - t)):
        if count == 0:
            continue
        safe = np.where(prob > 0, prob, 1.0)
        total = total + np.where(prob > 0, count * np.log(safe), -np.inf)
    return float(total[0]) if np.ndim(theta) == 0 else total.reshape(np.shape(theta))''',
    "q3": '''def theta_mle(n_heads, n_tails):
    flips_seen = n_heads + n_tails
    if min(n_heads, n_tails) < 0:
        raise ValueError(f"negative count: {n_heads}, {n_tails}")
    if not flips_seen:
        raise ValueError("no flips, no estimate")
    return float(n_heads) / flips_seen''',
    "q4": "theta_hat = flips.count('H') / len(flips)",
    "q5": '''xs = np.linspace(0.01, 0.99, 400)
fig = plt.figure(figsize=(5, 3))
ax = fig.add_subplot(1, 1, 1)
ax.plot(xs, [log_likelihood(x, heads, tails) for x in xs], color="black")
ax.plot([theta_hat], [log_likelihood(theta_hat, heads, tails)], "o", color="orange")
ax.set_xlabel("theta")
ax.set_ylabel("log-likelihood")''',
    "q7": '''def gaussian_mle(data):
    values = [float(v) for v in np.ravel(data)]
    count = len(values)
    centre = math.fsum(values) / count
    spread = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / count)
    return centre, spread''',
    "q8": '''def _xlogy(w, v):
    return 0.0 if w == 0 else w * math.log(v)


def bernoulli_entropy(p):
    return -(_xlogy(p, p) + _xlogy(1 - p, 1 - p))


def bernoulli_cross_entropy(p, theta):
    one = lambda t: -(_xlogy(p, t) + _xlogy(1 - p, 1 - t))
    if np.ndim(theta) == 0:
        return one(float(theta))
    return np.vectorize(one, otypes=[float])(theta)


def bernoulli_kl(p, theta):
    one = lambda t: _xlogy(p, p) - _xlogy(p, t) + _xlogy(1 - p, 1 - p) - _xlogy(1 - p, 1 - t)
    if np.ndim(theta) == 0:
        return one(float(theta))
    return np.vectorize(one, otypes=[float])(theta)''',
    "q9": '''def likelihood_curves(flips, thetas):
    h = sum(1 for c in flips if c == "H")
    n = len(flips)
    grid = np.asarray(thetas, dtype=float)
    first = np.array([-log_likelihood(t, h, n - h) / n for t in grid])
    second = np.array([bernoulli_cross_entropy(h / n, t) for t in grid])
    third = bernoulli_entropy(h / n) + np.array([bernoulli_kl(h / n, t) for t in grid])
    return first, second, third


theta_grid = np.linspace(0.005, 0.995, 199)
curves = likelihood_curves(flips, theta_grid)
theta_best = float(theta_grid[int(np.argmin(curves[1]))])''',
}
RENAMES = {"arr": "th_array", "out": "result", "t": "tt", "total": "acc", "count": "k", "prob": "q", "safe": "ok",
           "flips_seen": "num", "xs": "points", "values": "vals", "centre": "mu", "spread": "sd", "_xlogy": "xlx",
           "one": "f", "h": "nh", "n": "nn", "grid": "ts", "first": "a", "second": "b", "third": "c",
           "w": "weight", "v": "value"}


def copied(sources: dict[str, str]) -> dict[str, str]:
    """Each answer with its local names renamed, indented by 2, re-spaced and with new comments."""
    out = {}
    for question, source in sources.items():
        for old, new in RENAMES.items():
            source = re.sub(rf"(?<![.\w]){re.escape(old)}\b", new, source)
        lines = []
        for line in source.splitlines():
            stripped = line.lstrip(" ")
            depth = (len(line) - len(stripped)) // 4
            lines.append("  " * depth + stripped.replace(", ", ",  ").replace(" = ", "="))
            if stripped.startswith("def "):
                lines.append("  " * (depth + 1) + "# my own work, honestly " + HOSTILE)
        out[question] = "\n".join(lines) + "\n\n# end"
    return out


@pytest.fixture(scope="module")
def graded(built, tmp_path_factory):
    """Records of A, B, C, D graded on their own variants, the roster's variants, paths, and the result."""
    name = "coin_mle"
    autograder = load_autograder(built[name].autograder, name)
    roster = {student: autograder.variant.params_for(KEY, student) for student in
              ["s-alice", "s-bob", "s-carol", "s-dave", "s-erin", "s-frank", "s-grace", "s-heidi"]}
    fraction = {s: p["heads"] / len(p["flips"]) for s, p in roster.items()}
    assert fraction["s-alice"] != pytest.approx(fraction["s-bob"]), "pick a key that gives A and B other answers"
    reference = solution(built, name)
    folder = tmp_path_factory.mktemp("integrity-inputs")
    notebooks = {
        "A": with_answers(reference, {"q4": f"theta_hat = {fraction['s-bob']!r}  # copied"}),
        "B": reference,
        "C": with_answers(reference, INDEPENDENT),
        "D": with_answers(reference, copied(INDEPENDENT)),
    }
    owner = {"A": "s-alice", "B": "s-bob", "C": "s-carol", "D": "s-dave"}
    paths = {f"{HOSTILE}{key}" if key == "D" else key: write(nb, folder / f"{key}.ipynb")
             for key, nb in notebooks.items()}
    zygote = Zygote()
    records = []
    try:
        for submission, path in paths.items():
            student = owner[submission[-1]]
            record = grade_notebook(path, autograder, zygote, Limits(timeout=60, cell_timeout=20),
                                    params=roster[student])
            records.append(record.with_identity(submission=submission, student=student, assignment=name))
    finally:
        zygote.close()
    found = integrity.check_integrity(records, paths, solution=built[name].solution,
                                      starter=built[name].student, roster_params=roster)
    return {"records": {r.submission[-1]: r for r in records}, "roster": roster, "fraction": fraction,
            "paths": paths, "found": found, "autograder": autograder, "built": built[name]}


def test_the_honest_independent_solution_and_its_copy_earn_full_marks(graded):
    records = graded["records"]
    for key in "BCD":
        assert records[key].status == "ok", records[key].detail
        failed = [c.key for c in records[key].cases if not c.passed]
        assert failed == [], f"{key} fails {failed}"
    assert any(not c.passed for c in records["A"].cases if c.question == "q4")


def test_records_keep_small_contract_values_and_feedback_never_shows_them(graded):
    record = graded["records"]["B"]
    assert json.loads(json.dumps(record.values)) == record.values
    assert {"theta_hat", "theta_best", "theta_grid"} <= set(record.values)
    assert "curves" not in record.values and "fig" not in record.values, "larger than 4 KB: not kept"
    assert all(len(json.dumps(tree)) <= 4096 for tree in record.values.values())
    back = SubmissionRecord.from_json(json.loads(json.dumps(record.to_json())))
    assert back.values == record.values
    assert feedback_markdown(record) == feedback_markdown(dataclasses.replace(record, values={})), \
        "the student's feedback is the same with or without the kept values"


def test_a_record_without_values_is_written_as_before():
    record = SubmissionRecord(status=Status.OK, submission="x")
    assert "values" not in record.to_json()
    assert SubmissionRecord.from_json(record.to_json()).values == {}


def test_a_value_right_for_another_students_variant_names_both_students_and_both_values(graded):
    findings = [f for f in graded["found"].variant_findings if f.student == "s-alice" and f.name == "theta_hat"]
    assert len(findings) == 1, graded["found"].variant_findings
    finding = findings[0]
    fraction, roster = graded["fraction"], graded["roster"]
    assert "s-bob" in finding.sources
    assert finding.value == f"{fraction['s-bob']:.6g}" and finding.own_answer == f"{fraction['s-alice']:.6g}"
    assert "s-bob" in finding.handed_in_by, "B's own submission holds that value"
    sentence = finding.sentence()
    for text in ("s-alice", "s-bob", "theta_hat", finding.value, finding.own_answer, roster["s-bob"]["flips"]):
        assert text in sentence
    expected = sorted(s for s, f in fraction.items() if s != "s-alice" and np.isclose(f, fraction["s-bob"]))
    assert list(finding.sources) == expected and finding.shared_by == len(expected)


def test_honest_submissions_have_no_variant_findings(graded):
    assert {f.student for f in graded["found"].variant_findings} == {"s-alice"}


def test_a_renamed_respaced_copy_is_found_and_independent_solutions_are_not(graded):
    pairs = {frozenset((f.submission_a[-1], f.submission_b[-1])): f for f in graded["found"].code_findings}
    assert frozenset("CD") in pairs
    copy = pairs[frozenset("CD")]
    assert copy.similarity >= integrity.PAIR_THRESHOLD and copy.cells
    assert all(m.similarity >= integrity.CELL_THRESHOLD for m in copy.cells)
    assert frozenset("AB") in pairs, "A is B's notebook with one answer changed"
    for honest in ("BC", "AC", "BD", "AD"):
        assert frozenset(honest) not in pairs, f"{honest} are independent solutions, flagged as similar"


def test_fingerprints_ignore_names_spacing_and_comments_but_not_structure():
    a = "def f(x, y):\n    total = x * 2 + y  # note\n    return total ** 2\n"
    b = "def g(p,q):\n  # renamed\n  acc=p*2+q\n  return acc**2\n"
    c = "def f(x, y):\n    total = [x for _ in range(y)]\n    return sorted(total)\n"
    prints = [integrity.fingerprints(integrity.normalised_tokens(s)) for s in (a, b, c)]
    assert prints[0] == prints[1]
    shared = prints[0] & prints[2]
    assert len(shared) / len(prints[0] | prints[2]) < integrity.PAIR_THRESHOLD, "only the def line is shared"
    assert integrity.normalised_tokens("np.log(x)") == ["V", ".", "log", "(", "V", ")", ";"]
    assert integrity.normalised_tokens("def broken(:\n  'x") != [], "untokenizable code still has tokens"


def test_same_uses_allclose_tolerance_types_and_shapes():
    assert integrity.same(0.6, 0.6 + 1e-9) and not integrity.same(0.6, 0.6001)
    assert integrity.same(np.array([1.0, 2.0]), np.array([1.0, 2.0 + 1e-9]))
    assert not integrity.same(np.array([1.0, 2.0]), np.array([[1.0, 2.0]]))
    assert not integrity.same("0.6", 0.6) and not integrity.same(True, 1) and not integrity.same(float("nan"), 0.0)
    assert integrity.same((1, "a"), (1.0, "a")) and not integrity.same([1], (1,))


def test_a_value_shared_by_most_variants_is_not_a_finding():
    roster = {f"s{i}": {"k": i} for i in range(10)}
    answers = {integrity.params_key(p): {"x": 0.5 if i < 8 else float(i)} for i, p in enumerate(roster.values())}
    answers[integrity.params_key(roster["s9"])]["y"] = 1.0
    for key in answers:
        answers[key] = {name: json.loads(json.dumps(value)) for name, value in answers[key].items()}
    common = SubmissionRecord(status=Status.OK, submission="n", student="s8", params={"k": 8}, values={"x": 0.5})
    rare = SubmissionRecord(status=Status.OK, submission="r", student="s0", params={"k": 0}, values={"x": 9.0})
    findings = integrity.other_variant_findings([common, rare], roster, answers)
    assert [(f.student, f.sources) for f in findings] == [("s0", ("s9",))]


def _hostile_integrity() -> Integrity:
    return Integrity(
        variant_findings=[VariantFinding(submission=HOSTILE, student="s-a", name="theta_hat", value=HOSTILE,
                                         own_answer="0.5", sources=("s-b",), source_params=f"flips {HOSTILE}",
                                         shared_by=1, variants=9, handed_in_by=())],
        code_findings=[CodeFinding(HOSTILE, "other", "s-a", "s-b", 0.9, 12,
                                   (CellMatch(3, 4, 1.0, f"x = 1  # {HOSTILE}", "y = 1"),))],
        notes=[f"{HOSTILE}: not compared"], checked_variants=True, checked_code=True)


def test_report_and_csv_show_findings_escaped(graded, tmp_path):
    rows = list(graded["records"].values())
    path = write_report(tmp_path, rows, graded["autograder"], patterns=[], warnings=[],
                        integrity=graded["found"])
    text = path.read_text()
    section = text[text.index('<h2 id="integrity">'):]
    assert "<script>alert" not in text and "<img src=x" not in text
    assert html.escape(HOSTILE) in section, "the hostile comment of D's copied cell is shown, escaped"
    assert "s-alice" in section and "s-bob" in section and "theta_hat" in section
    csv_path = integrity.write_csv(tmp_path, graded["found"])
    table = list(csv.DictReader(io.StringIO(csv_path.read_text())))
    assert {row["kind"] for row in table} == {"other-variant answer", "similar code"}
    assert any(row["student"] == "s-alice" and "s-bob" in row["other_students"] for row in table)

    (tmp_path / "crafted").mkdir()
    crafted = write_report(tmp_path / "crafted", rows, graded["autograder"], patterns=[], warnings=[],
                           integrity=_hostile_integrity())
    crafted_text = crafted.read_text()
    assert HOSTILE not in crafted_text and crafted_text.count(html.escape(HOSTILE)) >= 5
    rows_csv = integrity.csv_rows(_hostile_integrity())
    assert rows_csv[1][1] == HOSTILE, "csv cells are neutralised by csv_text when written, not altered here"


def test_an_empty_result_says_nothing_was_found(graded, tmp_path):
    path = write_report(tmp_path, list(graded["records"].values()), graded["autograder"], patterns=[],
                        warnings=[], integrity=Integrity(checked_variants=True, checked_code=True))
    assert "Nothing found" in path.read_text()
    assert integrity.write_csv(tmp_path, Integrity()).read_text().strip().count("\n") == 0


@pytest.mark.browser
def test_the_report_with_findings_passes_axe(browser, axe_script, graded, tmp_path):
    from accessibility import axe_violations, describe
    from browser import open_page

    path = write_report(tmp_path, list(graded["records"].values()), graded["autograder"], patterns=[],
                        warnings=[], integrity=_hostile_integrity())
    page = open_page(browser, path.as_uri())
    violations = axe_violations(page, axe_script)
    assert violations == [], describe(violations)
    assert page.problems == []


def test_reference_answers_skip_the_plot_but_never_change_a_value(built, tmp_path):
    from autograder.integrity import _PARAMETERS_SENTINEL
    from autograder.cells import code_cells
    from autograder.notebooks import parse_notebook

    nb = parse_notebook(built["coin_mle"].solution.read_bytes())
    cells = [source for _, source in code_cells(nb, parameters=_PARAMETERS_SENTINEL)]
    kept = integrity.needed_cells(cells, ["theta_hat", "theta_best"], _PARAMETERS_SENTINEL)
    skipped = [cells[i] for i in range(len(cells)) if i not in kept]
    assert any("subplots" in source for source in skipped), "the plot does not make theta_hat or theta_best"
    assert any("theta_best =" in cells[i] for i in kept) and any(c == _PARAMETERS_SENTINEL for c in
                                                                  (cells[i] for i in kept))
    # A cell that changes `data` through a function the slice cannot see: the check on the first variant
    # notices the difference and the whole notebook runs.
    tricky = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in (
        "# PARAMETERS: x\nk = 1\nPARAMS = {'k': k}", "data = [k]", "def grow():\n    data.append(data[-1] + k)",
        "grow()", "import matplotlib.pyplot as plt\nplt.plot([1, 2])")])
    path = tmp_path / "tricky.ipynb"
    nbformat.write(tricky, path)
    assert 3 not in integrity.needed_cells([c.source for c in tricky.cells], ["data"], ""), "grow() looks inert"
    answers = integrity.reference_answers(path, [{"k": 1}, {"k": 5}], ["data"])
    assert [answers[integrity.params_key({"k": k})]["data"] for k in (1, 5)] == [[1, 2], [5, 10]]


def test_hostile_values_in_records_never_crash_the_check():
    roster = {"s0": {"k": 0}, "s1": {"k": 1}}
    answers = {integrity.params_key({"k": 0}): {"x": 0.25, "y": [True, False]},
               integrity.params_key({"k": 1}): {"x": 0.75, "y": [False, True]}}
    deep: object = 1.0
    for _ in range(150):
        deep = [deep]
    hostile = {"x": {"t": "int", "v": "9" * 400}, "y": {"t": "ndarray", "dtype": "bool", "shape": [2], "b": "AQA="},
               "z": deep}
    for values in (hostile, {"x": {"t": "nonsense"}, "y": "<b>"}, {"x": [0.75], "y": None}):
        record = SubmissionRecord(status=Status.OK, submission="h", student="s0", params={"k": 0}, values=values)
        assert integrity.other_variant_findings([record], roster, answers) == []
    bool_array = SubmissionRecord(status=Status.OK, submission="b", student="s0", params={"k": 0},
                                  values={"y": [False, True]})
    assert [f.sources for f in integrity.other_variant_findings([bool_array], roster, answers)] == [("s1",)]


def test_a_reference_that_cannot_run_is_a_note_not_a_crash(tmp_path):
    records = [SubmissionRecord(status=Status.OK, submission="a", student="s0", params={"k": 0}, values={"x": 1.0})]
    found = integrity.check_integrity(records, {}, solution=tmp_path / "missing.ipynb", starter=tmp_path / "nope",
                                      roster_params={"s0": {"k": 0}, "s1": {"k": 1}})
    assert not found.checked_variants and found.checked_code
    assert any("missing.ipynb" in note and "autograder build" in note for note in found.notes)
    assert any("nope" in note for note in found.notes)
