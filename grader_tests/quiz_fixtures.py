"""Fixtures for the quiz export tests: a small bank and its exports, hand-made items, and gift-pegjs.

Node packages (gift-pegjs, axe-core) are installed into the project's node_modules by ``npm_package``
when missing (``npm ci`` from the committed package-lock.json), under a file lock so parallel test
workers do not run npm at the same time.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from quizzes.bank import BANK_FORMAT, SCHEMA_VERSION, build_bank, load_bank
from quizzes.publish import build_quiz
from quizzes.model import Choice, Item

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
GIFT_PARSER = ROOT / "grader_tests" / "js" / "parse_gift.js"
SEED, VARIANTS = 11, 2


@pytest.fixture(scope="session")
def small_bank(tmp_path_factory) -> Path:
    """bank.json with every template and two variants of each (110 items)."""
    return build_bank(out_dir=tmp_path_factory.mktemp("quizbank"), seed=SEED, variants=VARIANTS).path


@pytest.fixture(scope="session")
def bank_items(small_bank) -> list[Item]:
    return load_bank(small_bank)[1]


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """`quiz build --export all` of the small bank's seed and variants: the folder written."""
    out = tmp_path_factory.mktemp("exports")
    build_quiz(out_dir=out, seed=SEED, variants=VARIANTS, formats="all")
    return out


@pytest.fixture(scope="session")
def exports(published) -> dict[str, Path]:
    """The four exports: the LMS files of the assessment bank, practice.html of the practice bank."""
    return {"moodle": published / "moodle.xml", "gift": published / "quiz.gift",
            "canvas": published / "canvas_qti.zip", "html": published / "practice.html"}


@pytest.fixture(scope="session")
def practice_items(published) -> list[Item]:
    """The practice bank's items (what practice.html holds)."""
    return load_bank(published / "practice_bank.json")[1]


# ---------------------------------------------------------------- hand-made items

def choice(text: str, value, correct: bool, weight: float, misconception: str | None = None,
           feedback: str | None = None) -> Choice:
    if feedback is None:
        feedback = "Correct." if correct else f"Not quite. Likely slip: {misconception}."
    return Choice(text=text, value=value, correct=correct, weight=weight, misconception=misconception,
                  feedback=feedback)


def item(uid: str, kind: str, stem: str, choices: list[Choice], *, answer=None, tolerance: float | None = None,
         points: float = 1.0, title: str = "Probe", topic: str = "probe", explanation: str = "Worked out.") -> Item:
    """An Item as the engine would lay it out (answer derived from the choices unless given)."""
    template, variant = uid.split(".")[0], int(uid.rsplit(".v", 1)[1])
    if answer is None:
        right = [i for i, c in enumerate(choices) if c.correct]
        answer = {"single": right[0] if right else None, "multi": right,
                  "truefalse": next((c.value for c in choices if c.correct), None),
                  "num": choices[0].value if choices else None}[kind]
    return Item(uid=uid, template=template, variant=variant, seed=0, type=kind, title=title, topic=topic,
                points=points, stem=stem, params={}, answer=answer, tolerance=tolerance, choices=tuple(choices),
                explanation=explanation, covers=("chapter.entropy",), source=f"{topic}/{template}.py")


def num_item(uid: str, answer: float, tolerance: float, slips: list[tuple[float, str]] = (), **kw) -> Item:
    choices = [choice(f"{answer}", answer, True, 1.0)]
    choices += [choice(f"{value}", value, False, 0.0, tag) for value, tag in slips]
    return item(uid, "num", kw.pop("stem", f"What is {answer}?"), choices, tolerance=tolerance, **kw)


def multi_item(uid: str, n_correct: int, n_wrong: int, **kw) -> Item:
    choices = [choice(f"right {i}", f"r{i}", True, 1 / n_correct) for i in range(n_correct)]
    choices += [choice(f"wrong {i}", f"w{i}", False, -1 / n_wrong, f"slip {i}") for i in range(n_wrong)]
    return item(uid, "multi", kw.pop("stem", "Select every right option."), choices, **kw)


def write_bank(path: Path, items: list[Item], *, seed: int = 0, purpose: str = "assessment") -> Path:
    """A bank.json holding ``items`` (header as `quiz build` writes it)."""
    data = {"format": BANK_FORMAT, "schema_version": SCHEMA_VERSION, "purpose": purpose, "seed": seed,
            "variants_per_template": 1,
            "templates": [], "items": [entry.to_json() for entry in items]}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# ---------------------------------------------------------------- gift-pegjs

def _installed(package: str) -> bool:
    return (NODE_MODULES / package / "package.json").is_file()


def npm_package(package: str) -> Path:
    """node_modules/<package>, installed by `npm ci` from the committed lock file when missing (skips without npm).

    Every Node package the tests use comes this way, so nothing installed by hand is ever relied on.
    """
    npm = shutil.which("npm")
    if not shutil.which("node") or not npm:
        pytest.skip(f"Node.js and npm are not installed, so {package} cannot be used (install the nodejs and npm "
                    "packages)")
    lock = Path(tempfile.gettempdir()) / f"xent-lab-npm-{hashlib.sha256(str(ROOT).encode()).hexdigest()[:12]}.lock"
    with open(lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)     # one npm at a time across pytest-xdist workers
        if not _installed(package):
            command = [npm, "ci", "--no-audit", "--no-fund"]
            result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
            if result.returncode != 0 or not _installed(package):
                pytest.fail(f"`npm ci` in {ROOT} could not install {package} (is the npm registry reachable?):\n"
                            f"{result.stdout[-1500:]}{result.stderr[-1500:]}")
    return NODE_MODULES / package


@pytest.fixture(scope="session")
def gift_pegjs():
    """A function parsing a GIFT file with gift-pegjs into its list of questions (dicts)."""
    npm_package("gift-pegjs")
    node = shutil.which("node")

    def parse(path: Path) -> list[dict]:
        result = subprocess.run([node, str(GIFT_PARSER), str(path)], capture_output=True, text=True, timeout=120)
        try:
            data = json.loads(result.stdout)
        except json.JSONDecodeError as exc:
            raise AssertionError(f"parse_gift.js printed no JSON for {path}: {result.stderr[-2000:]}") from exc
        if result.returncode != 0:
            raise AssertionError(f"gift-pegjs rejected {path}: {data}")
        return data

    return parse
