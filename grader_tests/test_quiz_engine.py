"""quizzes.engine: discovery, META checks, seeded drawing, layout, and errors that name the file."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from autograder.cli import main as cli_main
from xentcore.errors import QuizTemplateError
from quizzes import engine, tolerance
from quizzes.engine import discover_templates, draw, load_template, stable_hash

ROOT = Path(__file__).resolve().parents[1]

GOOD_META = {"id": "probe", "title": "Probe", "topic": "demo", "type": "num", "points": 1,
             "covers": ["chapter.entropy"]}
GOOD_FUNCTIONS = """
def generate(rng):
    return {"x": int(rng.integers(1, 1000))}

def solve(params):
    return params["x"] / 10

def distractors(params):
    return [(params["x"] / 10 + 1, "added one")]

def render(params):
    return f"What is \\\\({params['x']} / 10\\\\)?"

def explain(params):
    return "Divide by ten."
"""


def write_template(folder: Path, *, meta: dict | None = None, body: str = GOOD_FUNCTIONS, slug: str = "probe",
                   topic: str = "demo", raw: str | None = None) -> Path:
    """A template file folder/topic/slug.py; ``raw`` replaces the whole text."""
    path = folder / topic / f"{slug}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {**GOOD_META, "id": slug, "topic": topic} if meta is None else meta
    path.write_text(raw if raw is not None else f"META = {meta!r}\n{textwrap.dedent(body)}", encoding="utf-8")
    return path


def with_meta(**changes) -> dict:
    meta = dict(GOOD_META)
    for key, value in changes.items():
        if value is None:
            meta.pop(key)
        else:
            meta[key] = value
    return meta


# ---------------------------------------------------------------- discovery

def test_package_templates_are_discovered_one_per_file():
    templates = discover_templates()
    assert len(templates) >= 30
    assert len({t.id for t in templates}) == len(templates)
    for template in templates:
        assert template.path.parent.parent == engine.TEMPLATES_DIR
        assert template.path.stem == template.id and template.path.parent.name == template.topic


def test_a_good_tmp_template_loads_and_draws(tmp_path):
    write_template(tmp_path)
    [template] = discover_templates(tmp_path)
    item = draw(template, seed=1, variant=0)
    assert item.answer == item.params["x"] / 10
    assert item.choices[1].misconception == "added one"


def test_empty_or_missing_folder_is_an_error(tmp_path):
    with pytest.raises(QuizTemplateError, match="no templates found"):
        discover_templates(tmp_path)
    with pytest.raises(QuizTemplateError, match="no such templates folder"):
        discover_templates(tmp_path / "absent")


def test_template_outside_a_topic_folder_is_named(tmp_path):
    (tmp_path / "stray.py").write_text("META = {}\n")
    with pytest.raises(QuizTemplateError, match=r"stray\.py.*topic folder"):
        discover_templates(tmp_path)


def test_duplicate_ids_across_topics_are_named(tmp_path):
    write_template(tmp_path, topic="one")
    write_template(tmp_path, topic="two")
    with pytest.raises(QuizTemplateError, match="also used by"):
        discover_templates(tmp_path)


# ---------------------------------------------------------------- bad templates name their file

BAD_META = {
    "num with its own tolerance": (with_meta(tolerance=0.01), "remove it: num items are graded by the bank's"),
    "missing covers": (with_meta(covers=None), "META is missing 'covers'"),
    "missing title": (with_meta(title=None), "META is missing 'title'"),
    "unknown type": (with_meta(type="numeric"), "unknown type 'numeric'"),
    "misspelt field": ({**GOOD_META, "tolerence": 0.01}, "did you mean 'tolerance'"),
    "negative gap": (with_meta(type="single", choices=3, tolerance=-1), "least gap between options"),
    "id differs from file": (with_meta(id="other"), "make the id the file name"),
    "unknown coverage key": (with_meta(covers=["chapter.entropi"]), "did you mean 'chapter.entropy'"),
    "zero points": (with_meta(points=0), "positive number"),
    "single without choices": (with_meta(type="single"), "META['choices']"),
}


@pytest.mark.parametrize("case", sorted(BAD_META))
def test_bad_meta_fails_naming_the_file_and_the_fix(tmp_path, case):
    meta, expected = BAD_META[case]
    path = write_template(tmp_path, meta=meta)
    with pytest.raises(QuizTemplateError) as caught:
        load_template(path)
    message = str(caught.value)
    assert path.name in message and expected in message
    assert ";" in message          # problem; fix


BAD_FILES = {
    "syntax error": ("META = {\n", "importing the template failed"),
    "no META": (GOOD_FUNCTIONS, "no META dict"),
    "missing explain": (f"META = {GOOD_META!r}\n" + GOOD_FUNCTIONS.split("def explain")[0], "explain()"),
    "import error": ("import no_such_module_xyz\n", "ModuleNotFoundError"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_broken_files_fail_naming_the_file(tmp_path, case):
    raw, expected = BAD_FILES[case]
    path = write_template(tmp_path, raw=raw)
    with pytest.raises(QuizTemplateError) as caught:
        discover_templates(tmp_path)
    assert path.name in str(caught.value) and expected in str(caught.value)


BAD_DRAWS = {
    "generate raises": (GOOD_FUNCTIONS.replace('return {"x": int(rng.integers(1, 1000))}', "return 1 / 0"),
                        "generate() raised ZeroDivisionError"),
    "generate returns a set": (GOOD_FUNCTIONS.replace('return {"x": int(rng.integers(1, 1000))}',
                                                      'return {"x": {1, 2}}'), "holds a set"),
    "solve returns text": (GOOD_FUNCTIONS.replace('return params["x"] / 10\n', 'return "ten"\n', 1),
                           "return a number"),
    "distractor without tag": (GOOD_FUNCTIONS.replace('"added one"', '""'), "no misconception"),
    "repeated tag": (GOOD_FUNCTIONS.replace('[(params["x"] / 10 + 1, "added one")]',
                                            '[(1e6, "added one"), (2e6, "added one")]'), "used by two distractors"),
    "distractor always equals answer": (GOOD_FUNCTIONS.replace('params["x"] / 10 + 1,', 'params["x"] / 10,'),
                                        "200 parameter draws in a row were unusable"),
    "solve returns infinity": (GOOD_FUNCTIONS.replace('return params["x"] / 10\n', 'return float("inf")\n', 1),
                               "non-finite number inf"),
    "render returns nothing": (GOOD_FUNCTIONS.replace("return f\"What is", "return ''  # f\"What is"),
                               "render() returned"),
}


@pytest.mark.parametrize("case", sorted(BAD_DRAWS))
def test_failures_while_drawing_name_the_file_and_the_variant(tmp_path, case):
    body, expected = BAD_DRAWS[case]
    path = write_template(tmp_path, body=body)
    [template] = discover_templates(tmp_path)
    with pytest.raises(QuizTemplateError) as caught:
        draw(template, seed=4, variant=2)
    assert path.name in str(caught.value) and expected in str(caught.value)


def test_truefalse_needs_the_opposite_as_its_one_distractor(tmp_path):
    body = """
    def generate(rng):
        return {"x": int(rng.integers(10))}
    def solve(params):
        return params["x"] > 4
    def distractors(params):
        return [(solve(params), "same as the answer")]
    def render(params):
        return "Is x > 4?"
    def explain(params):
        return "Compare."
    """
    path = write_template(tmp_path, meta=with_meta(type="truefalse"), body=body)
    [template] = discover_templates(tmp_path)
    with pytest.raises(QuizTemplateError, match=f"{path.name}.*opposite of the answer"):
        draw(template, seed=0, variant=0)


# ---------------------------------------------------------------- seeding

def test_stable_hash_is_sha256_not_pythons_salted_hash():
    expected = int.from_bytes(hashlib.sha256(b"kl_value").digest()[:8], "big")
    assert stable_hash("kl_value") == expected
    assert stable_hash("kl_value") != stable_hash("kl_values")


def test_generator_is_seeded_from_template_id_seed_and_variant(tmp_path):
    body = (GOOD_FUNCTIONS.replace('return {"x": int(rng.integers(1, 1000))}',
                                   'return {"x": int(rng.integers(0, 2**62))}')
            .replace('return params["x"] / 10\n', 'return 1.0\n', 1).replace('params["x"] / 10 + 1', '2.0'))
    write_template(tmp_path, body=body)
    [template] = discover_templates(tmp_path)
    item = draw(template, seed=7, variant=3)
    expected = np.random.default_rng([stable_hash("probe"), 7, 3]).integers(0, 2**62)
    assert item.params["x"] == int(expected)


def test_same_seed_same_item_other_variant_other_item():
    template = next(t for t in discover_templates() if t.id == "kl_value")
    first, again = draw(template, seed=11, variant=0), draw(template, seed=11, variant=0)
    assert json.dumps(first.to_json()) == json.dumps(again.to_json())
    others = {json.dumps(draw(template, seed=11, variant=v).params) for v in range(1, 8)}
    assert json.dumps(first.params) not in others and len(others) > 4


def test_items_do_not_depend_on_pythons_hash_seed():
    code = ("import json; from quizzes.engine import discover_templates, draw; "
            "t = [t for t in discover_templates() if t.id == 'entropy_ranking'][0]; "
            "print(json.dumps(draw(t, seed=5, variant=1).to_json()))")
    outputs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(outputs) == 1 and outputs.pop().startswith("{")


def test_degenerate_draws_are_replaced_from_the_same_generator(tmp_path):
    body = GOOD_FUNCTIONS + """
def degenerate(params):
    return "odd" if params["x"] % 2 else None
"""
    write_template(tmp_path, body=body)
    [template] = discover_templates(tmp_path)
    values = [draw(template, seed=0, variant=v).params["x"] for v in range(40)]
    assert all(x % 2 == 0 for x in values) and len(set(values)) > 30


# ---------------------------------------------------------------- layout

def test_single_choice_positions_vary_and_weights_are_one_or_zero():
    template = next(t for t in discover_templates() if t.id == "support_mismatch")
    items = [draw(template, seed=s, variant=0) for s in range(40)]
    assert len({item.answer for item in items}) == 4
    for item in items:
        assert [c.weight for c in item.choices].count(1.0) == 1 and item.choices[item.answer].correct


def test_multi_weights_reward_right_and_penalise_wrong_options():
    template = next(t for t in discover_templates() if t.id == "gibbs_statements")
    item = draw(template, seed=3, variant=0)
    right = [c.weight for c in item.choices if c.correct]
    wrong = [c.weight for c in item.choices if not c.correct]
    assert sum(right) == pytest.approx(1.0) and sum(wrong) == pytest.approx(-1.0)
    assert item.answer == [i for i, c in enumerate(item.choices) if c.correct]


def test_truefalse_shows_true_then_false_and_num_lists_the_answer_first():
    tf = draw(next(t for t in discover_templates() if t.id == "entropy_facts"), seed=2, variant=0)
    assert [c.text for c in tf.choices] == ["True", "False"]
    num = draw(next(t for t in discover_templates() if t.id == "coin_mle"), seed=2, variant=0)
    assert num.choices[0].correct and num.choices[0].value == num.answer
    assert num.stem.endswith(tolerance.STEM_NOTE) and num.tolerance == tolerance.tolerance_for(num.answer)


def test_numpy_values_in_params_become_plain_json(tmp_path):
    body = GOOD_FUNCTIONS.replace('return {"x": int(rng.integers(1, 1000))}',
                                  'return {"x": rng.integers(1, 1000), "v": rng.random(3), "ok": np.bool_(True)}')
    write_template(tmp_path, body="import numpy as np\n" + body)
    [template] = discover_templates(tmp_path)
    item = draw(template, seed=0, variant=0)
    assert type(item.params["x"]) is int and type(item.params["ok"]) is bool
    assert all(type(v) is float for v in item.params["v"])


# ---------------------------------------------------------------- CLI

def test_cli_quiz_build_prints_the_summary(tmp_path, capsys):
    assert cli_main(["quiz", "build", "--seed", "3", "--variants", "1", "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "quiz bank:" in out and "coverage:" in out and (tmp_path / "bank.json").is_file()


def test_cli_rejects_a_negative_seed_with_a_usage_error(tmp_path, capsys):
    assert cli_main(["quiz", "build", "--seed", "-1", "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("usage:") and "--seed" in err and not (tmp_path / "bank.json").exists()


def test_covers_params_narrows_the_item_covers_and_must_stay_inside_meta(tmp_path):
    meta = with_meta(covers=["chapter.entropy", "chapter.surprisal"])
    narrowing = '\ndef covers(params):\n    return ["chapter.surprisal"] if params["x"] % 2 else META["covers"]\n'
    template = load_template(write_template(tmp_path, meta=meta, body=GOOD_FUNCTIONS + narrowing))
    items = [draw(template, seed=0, variant=v) for v in range(20)]
    assert {item.covers for item in items} == {("chapter.surprisal",), ("chapter.entropy", "chapter.surprisal")}
    assert all(item.covers == ("chapter.surprisal",) for item in items if item.params["x"] % 2)
    outside = '\ndef covers(params):\n    return ["chapter.kl"]\n'
    broken = load_template(write_template(tmp_path, meta={**meta, "id": "broken"}, slug="broken",
                                          body=GOOD_FUNCTIONS + outside))
    with pytest.raises(QuizTemplateError, match=r"broken\.py: covers\(\) returned \['chapter.kl'\]"):
        draw(broken, seed=0, variant=0)
