"""quizzes.validate: its checks catch the faults they are meant to catch."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

from autograder.cli import main as cli_main
from quizzes.checks import latex_problems
from quizzes.engine import discover_templates, draw
from quizzes.validate import oracle_problems, position_problems, validate_template

TEMPLATES = {t.id: t for t in discover_templates()}


def one_template(tmp_path: Path, meta: str, body: str):
    path = tmp_path / "demo" / "probe.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"META = {meta}\n" + textwrap.dedent(body), encoding="utf-8")
    [template] = discover_templates(tmp_path)
    return template


NUM_META = ('{"id": "probe", "title": "P", "topic": "demo", "type": "num", "points": 1, '
            '"covers": ["chapter.entropy"]}')


def test_a_wrong_answer_is_caught_by_the_oracle():
    template = TEMPLATES["kl_value"]
    problems = validate_template(template, seeds=range(5), oracle=lambda item: item.answer + 0.02)
    assert len(problems) == 5 and all("oracle gives" in p and "kl_value.py" in p for p in problems)


def test_a_distractor_inside_the_tolerance_is_reported(monkeypatch):
    template = TEMPLATES["coin_mle"]
    item = draw(template, seed=0, variant=0)
    close = dataclasses.replace(item.choices[1], value=item.answer + item.tolerance / 2)
    broken = dataclasses.replace(item, choices=(item.choices[0], close) + item.choices[2:])
    monkeypatch.setattr("quizzes.validate.draw", lambda *a, **k: broken)
    problems = validate_template(template, seeds=range(1))
    assert any("within the tolerance" in p for p in problems)


def test_an_untagged_distractor_and_bad_latex_are_reported(monkeypatch):
    template = TEMPLATES["kl_value"]
    item = draw(template, seed=0, variant=0)
    untagged = dataclasses.replace(item.choices[1], misconception=None)
    broken = dataclasses.replace(item, stem=item.stem + " \\(x", choices=(item.choices[0], untagged) + item.choices[2:])
    monkeypatch.setattr("quizzes.validate.draw", lambda *a, **k: broken)
    problems = " ".join(validate_template(template, seeds=range(1)))
    assert "names no misconception" in problems and "'\\('" in problems


def test_wrong_number_of_correct_choices_is_reported(monkeypatch):
    template = TEMPLATES["support_mismatch"]
    item = draw(template, seed=0, variant=0)
    all_right = tuple(dataclasses.replace(c, correct=True, misconception=None) for c in item.choices)
    monkeypatch.setattr("quizzes.validate.draw", lambda *a, **k: dataclasses.replace(item, choices=all_right))
    assert any("4 correct choices" in p for p in validate_template(template, seeds=range(1)))


def test_position_imbalance_and_low_variety_are_reported(tmp_path):
    body = """
    def generate(rng):
        return {"x": 1}
    def solve(params):
        return 0.5
    def distractors(params):
        return [(0.9, "guessed high")]
    def render(params):
        return "Always the same question."
    def explain(params):
        return "Same."
    """
    problems = validate_template(one_template(tmp_path, NUM_META, body), seeds=range(100))
    assert any("distinct questions" in p for p in problems)
    assert position_problems([0] * 90 + [1] * 10, 4)          # one slot almost always right
    assert not position_problems([i % 4 for i in range(200)], 4)


def test_unbalanced_truefalse_is_reported(tmp_path):
    meta = NUM_META.replace('"num"', '"truefalse"')
    body = """
    def generate(rng):
        return {"x": int(rng.integers(1000))}
    def solve(params):
        return True
    def distractors(params):
        return [(False, "doubted it")]
    def render(params):
        return f"Is {params['x']} a number?"
    def explain(params):
        return "Yes."
    """
    problems = validate_template(one_template(tmp_path, meta, body), seeds=range(60))
    assert any("True in 100%" in p for p in problems)


def test_a_degenerate_case_reaching_an_item_is_reported(monkeypatch):
    template = TEMPLATES["kl_asymmetry"]
    item = draw(template, seed=0, variant=0)
    mirror = dataclasses.replace(item, params={"p": [0.4, 0.3, 0.2, 0.1], "q": [0.1, 0.2, 0.3, 0.4]})
    monkeypatch.setattr("quizzes.validate.draw", lambda *a, **k: mirror)
    assert any("degenerate" in p for p in validate_template(template, seeds=range(1)))


def test_latex_and_oracle_helpers():
    assert latex_problems("\\(a\\) and \\[b\\]") == []
    assert latex_problems("$x$")
    assert latex_problems("\\(\\frac{1}{2\\)")
    item = draw(TEMPLATES["gibbs_statements"], seed=1, variant=0)
    right = [c.value for c in item.correct_choices]
    assert oracle_problems(item, right) == [] and oracle_problems(item, right[:1])


def main(argv: list[str]) -> int:
    return cli_main(["quiz", "validate", *argv])


def test_command_line_validates_named_templates(capsys):
    assert main(["surprisal", "--seeds", "30"]) == 0
    assert "1 template(s), 30 seeds each: 0 problem(s)" in capsys.readouterr().out
    assert main(["no_such_template"]) == 2
    assert "usage: unknown template id(s) no_such_template" in capsys.readouterr().err
