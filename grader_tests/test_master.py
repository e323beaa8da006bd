"""The master-notebook parser: what it reads, and a clear error for each authoring mistake."""

from __future__ import annotations

import nbformat
import pytest

from xentcore.errors import MasterNotebookError
from autograder.master import load_master, parse_rubric, solution_only_lines

from conftest import ASSIGNMENTS, ROOT

CONFIG = "# ASSIGNMENT CONFIG\nname: demo\n"
TEST = '""" # BEGIN TEST CONFIG\npoints: {points}\n{extra}""" # END TEST CONFIG\n# {description}\nassert f(1) == 2, "f doubles"'


def _write(tmp_path, cells, name="demo"):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_raw_cell(s[4:]) if s.startswith("raw:") else
                nbformat.v4.new_markdown_cell(s[3:]) if s.startswith("md:") else nbformat.v4.new_code_cell(s)
                for s in cells]
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def _question(name="q1", test=None, solution="def f(x):\n    return 2 * x  # SOLUTION"):
    return [f"raw:# BEGIN QUESTION\nname: {name}", "md:Write f.", "raw:# BEGIN SOLUTION", solution,
            "raw:# END SOLUTION", "raw:# BEGIN TESTS",
            test or TEST.format(points=1, extra="", description="f doubles"),
            TEST.format(points=2, extra="hidden: true\n", description="f doubles at 3"),
            "raw:# END TESTS", "raw:# END QUESTION"]


MANUAL = ["raw:# BEGIN QUESTION\nname: q2\nmanual: true\npoints: 3", "md:Prove it.", "raw:# BEGIN SOLUTION",
          "md:Because.\n\n**Rubric**\n\n- [1] states it\n- [2] proves it", "raw:# END SOLUTION",
          "raw:# END QUESTION"]


def test_reads_questions_tests_points_and_rubric(tmp_path):
    master = load_master(_write(tmp_path, [f"raw:{CONFIG}", "import numpy as np", *_question(), *MANUAL]))
    q1, q2 = master.questions
    assert (q1.name, q1.manual, q1.points) == ("q1", False, 3.0)
    assert [(t.points, t.hidden, t.description) for t in q1.tests] == [(1.0, False, "f doubles"),
                                                                         (2.0, True, "f doubles at 3")]
    assert (q2.manual, q2.points, [(r.points, r.text) for r in q2.rubric]) == (
        True, 3.0, [(1.0, "states it"), (2.0, "proves it")])
    assert master.setup_code == ("import numpy as np",)


def test_real_master_parses():
    master = load_master(ROOT / "assignments" / "coin_mle" / "coin_mle.ipynb")
    assert [q.name for q in master.questions][:2] == ["q1", "q2"]
    assert any(q.manual and q.rubric for q in master.questions)


@pytest.mark.parametrize(("cells", "words"), [
    ([f"raw:{CONFIG}", *_question()[:-2]], ["# BEGIN TESTS has no matching # END TESTS"]),
    ([f"raw:{CONFIG}", *[c for c in _question() if c != "raw:# END SOLUTION"]],
     ["# BEGIN SOLUTION has no matching # END SOLUTION"]),
    ([f"raw:{CONFIG}", *_question(), *_question()], ["duplicate question name 'q1'"]),
    (["raw:# ASSIGNMENT CONFIG\nname: [demo", *_question()], ["ASSIGNMENT CONFIG is not valid YAML"]),
    ([f"raw:{CONFIG}", *_question(name="Q one")], ["question name 'Q one'"]),
    ([f"raw:{CONFIG}", *_question(test=TEST.format(points="x", extra="", description="d"))], ["no valid 'points'"]),
    ([f"raw:{CONFIG}", *_question(test=TEST.format(points=1, extra="hiden: true\n", description="d"))],
     ["unknown TEST CONFIG key(s) ['hiden']"]),
    ([f"raw:{CONFIG}", *_question(test='""" # BEGIN TEST CONFIG\npoints: 1\n""" # END TEST CONFIG\nassert True')],
     ["does not start with a '# description' comment"]),
    ([f"raw:{CONFIG}", *_question(solution="def f(x):\n    return 2 * x")], ["no # BEGIN SOLUTION"]),
    ([f"raw:{CONFIG}", *_question(), *[c.replace("- [2]", "- [1]") for c in MANUAL]],
     ["rubric of q2 adds up to 2 points, the question is worth 3"]),
    ([f"raw:{CONFIG}", *_question(), *[c.replace("**Rubric**", "") for c in MANUAL]], ["has no rubric"]),
    (["raw:# ASSIGNMENT CONFIG\nname: other", *_question()], ["name is 'other', the folder is 'demo'"]),
    ([*_question()], ["no '# ASSIGNMENT CONFIG' raw cell"]),
    ([f"raw:{CONFIG}", "raw:# END QUESTION"], ["# END QUESTION without a matching # BEGIN QUESTION"]),
    ([f"raw:{CONFIG}", "raw:# begin question\nname: q1"], ["must be upper case"]),
], ids=["missing-end-tests", "missing-end-solution", "duplicate", "bad-yaml", "bad-name", "bad-points",
        "unknown-key", "no-description", "no-solution-marker", "rubric-sum", "no-rubric", "name-mismatch",
        "no-config", "stray-end", "lowercase"])
def test_authoring_mistakes_are_named(tmp_path, cells, words):
    path = _write(tmp_path, cells)
    with pytest.raises(MasterNotebookError) as info:
        load_master(path)
    message = str(info.value)
    assert str(path) in message
    for word in words:
        assert word in message


def test_unreadable_master_is_reported_with_its_path(tmp_path):
    path = tmp_path / "demo.ipynb"
    path.write_text("{not json")
    with pytest.raises(MasterNotebookError, match="not valid JSON"):
        load_master(path)


def test_rubric_and_solution_lines():
    assert [i.points for i in parse_rubric("x\n**Rubric**\n- [1.5] a\n* [2] b\n- not an item")] == [1.5, 2.0]


def test_rubric_items_carry_what_graders_accept_as_equivalent():
    markdown = ("**Rubric**\n\n- [1] Differentiates.\n  *Accept:* any correct form,\n  *Accept:* or a table.\n"
                "- [2] Solves.\n  **Accept as equivalent:** $h/(h+t)$ written as $1 - t/N$.\n- [1] Bare item.\n"
                "Accept: not indented, so not part of an item")
    items = parse_rubric(markdown)
    assert [(i.points, i.text, i.accept) for i in items] == [
        (1.0, "Differentiates.", "any correct form, or a table."),
        (2.0, "Solves.", "$h/(h+t)$ written as $1 - t/N$."),
        (1.0, "Bare item.", ""),
    ]


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_every_rubric_item_says_what_to_accept(name):
    master = load_master(ROOT / "assignments" / name / f"{name}.ipynb", name)
    for question in master.manual_questions:
        for number, item in enumerate(question.rubric, start=1):
            assert item.accept, f"{name} {question.name} rubric item {number} has no 'Accept:' line"
    cell = "def f(x):\n    # BEGIN SOLUTION\n    y = 2 * x\n    return y\n    # END SOLUTION\nz = 3  # SOLUTION"
    assert solution_only_lines((cell,)) == ["y = 2 * x", "return y", "z = 3"]
