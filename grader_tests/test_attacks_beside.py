"""Attack catalogue, part two: each hostile input graded in one batch *beside honest work*.

The first catalogue (test_attacks.py) grades each attack alone. These attacks aim at the grader's other
promises: no marks from redefining what a test's own names mean (builtins, a test's local variables), no
harm to another submission graded at the same time, a time limit that a slow reply cannot stretch, a batch
that always finishes (odd text, odd file names, nested data), bounded memory, inputs read only as given
(links, huge files, huge notebooks), and CSV cells that stay text. For each: the row has the expected
status, no question scores above the same notebook without the attack, the honest copies graded beside it
keep exactly their honest scores, every input has exactly one row, no process it started is left
running, and grading time is bounded.
"""

from __future__ import annotations

import ast
import builtins
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from autograder.grading.runner import MAX_CELLS, load_autograder
from xentcore.safetext import csv_records

from grading import grade, scores, solution, with_answers, with_cells, write  # noqa: F401 - fixture
from test_attacks import WRONG, assert_none_left

NAME = "coin_mle"
LIMITS = {"timeout": 20, "cell_timeout": 2}
pytestmark = pytest.mark.slow


def _tests_own_names(built, name: str = NAME) -> list[str]:
    """Variables the tests of *name* assign for themselves (`grid`, `value`...), outside every contract.

    A variant assignment's parameter names (`flips`) are left out: the student's own answers are computed from
    them, so rebinding one changes the notebook's answers, not what the tests read."""
    autograder = load_autograder(built[name].autograder, name)
    contract = set().union(*autograder.contract.values())
    assigned = {node.id for case in autograder.cases for node in ast.walk(ast.parse(case.code))
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}
    parameters = set(autograder.variant.canonical) if autograder.variant else set()
    return sorted(assigned - contract - parameters - set(dir(builtins)))


# A permissive stand-in for every builtin a test might call to judge an answer: if the trusted side used
# the notebook's names, wrong or missing answers would pass.
SHADOW_BUILTINS = (
    "import numpy\nclass _Any(float):\n    def __eq__(self, other): return True\n"
    "    def __lt__(self, other): return True\n    __le__ = __gt__ = __ge__ = __lt__\n"
    "    __hash__ = float.__hash__\n"
    "def range(*a, **k): return []\ndef abs(*a, **k): return _Any(0.0)\n"
    "def float(*a, **k): return _Any(0.0)\ndef isinstance(*a, **k): return True\n"
    "def str(*a, **k): return ''\ndef len(*a, **k): return 0\ndef all(*a, **k): return True\n"
    "def any(*a, **k): return False\ndef sum(*a, **k): return _Any(0.0)\ndef max(*a, **k): return _Any(0.0)\n"
    "def min(*a, **k): return _Any(0.0)\ndef round(*a, **k): return _Any(0.0)\n"
    "def callable(*a, **k): return True\ndef hasattr(*a, **k): return True\ndef zip(*a, **k): return []\n"
    "def enumerate(*a, **k): return []\ndef sorted(*a, **k): return []\ndef list(*a, **k): return []\n"
    "def tuple(*a, **k): return ()\ndef int(*a, **k): return _Any(0.0)\n"
    "class np:\n    isclose = allclose = staticmethod(lambda *a, **k: True)\n"
    "def type(*a, **k): return object\nAssertionError = Exception\n"
)
# A channel reply dribbled out a byte at a time, with the cell's own alarm ignored: held the worker for as
# long as it liked when only each recv was timed.
DRIBBLE = (
    "import signal, socket, struct, time\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
    "for fd in range(3, 64):\n    try:\n        channel = socket.socket(fileno=fd)\n    except OSError:\n"
    "        continue\n    try:\n        channel.sendall(struct.pack('!I', 100))\n"
    "        for _ in range(45):\n            channel.sendall(b' ')\n            time.sleep(2)\n"
    "    finally:\n        channel.detach()"
)


def forged_reply(body: str) -> str:
    """A cell that writes the bytes *body* evaluates to as a reply on every socket it can find."""
    return (f"import socket, struct\n_body = {body}\n"
            "for fd in range(3, 64):\n    try:\n        channel = socket.socket(fileno=fd)\n    except OSError:\n"
            "        continue\n    try:\n        channel.sendall(struct.pack('!I', len(_body)) + _body)\n"
            "    finally:\n        channel.detach()")


@dataclass(frozen=True)
class Beside:
    id: str
    code: str  # the hostile cell
    status: str  # the attack row's expected status
    base: str = "solution"  # "solution" (must cost nothing) | "wrong" (tries to gain) | "blank" (no work)
    after: str | None = "q7"  # the hostile cell goes right after this question's answer (None: at the top)
    seconds: float = 12.0


BESIDE = [
    Beside("shadowed-builtins-no-work", SHADOW_BUILTINS, "ok", base="blank", after=None),
    Beside("shadowed-builtins-wrong-answers", SHADOW_BUILTINS, "ok", base="wrong"),
    Beside("kill-own-process-group", "import os, signal\nos.kill(0, signal.SIGKILL)\n"
           "os.killpg(os.getpgid(0), signal.SIGKILL)\nos.kill(os.getppid(), signal.SIGKILL)", "ok"),
    Beside("signal-parent-and-group", "import os, signal\nfor sig in (signal.SIGTERM, signal.SIGSTOP):\n"
           "    try:\n        os.kill(-os.getpgid(0), sig)\n    except OSError:\n        pass\n"
           "try:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept OSError:\n    pass", "ok"),
    Beside("dribbled-reply", DRIBBLE, "timeout", seconds=14.0),
    Beside("lone-surrogate-messages", "theta_note = '\\ud800'\nraise ValueError('lone \\udc80 surrogate \\ud800')",
           "ok"),
    Beside("lone-surrogate-in-answer", "def gaussian_mle(data):\n    raise ValueError('bad \\ud800 value')",
           "ok", base="wrong"),
    Beside("deeply-nested-reply", forged_reply("b'[' * 200000 + b']' * 200000"), "crashed"),
    Beside("deeply-nested-value", "theta_hat = []\nfor _ in range(100000):\n    theta_hat = [theta_hat]", "ok",
           base="wrong"),
    Beside("flat-reply-30mb", forged_reply("b'[' + b'0,' * 15000000 + b'0]'"), "crashed", seconds=16.0),
    Beside("huge-value", "theta_hat = list(range(10 ** 7))", "ok", base="wrong", seconds=16.0),
    Beside("oversized-header", forged_reply("b'x' * 10") .replace("len(_body)", "2 ** 30"), "crashed"),
]


@pytest.fixture(scope="module")
def honest_beside(built, grade, tmp_path_factory):
    """Per-question scores of the three base notebooks without any attack, graded together."""
    folder = tmp_path_factory.mktemp("honest-beside")
    bases = {"solution": solution(built, NAME), "wrong": with_answers(solution(built, NAME), WRONG),
             "blank": nbformat.read(built[NAME].student, as_version=4)}
    inputs = [write(nb, folder / "in" / f"{name}.ipynb") for name, nb in bases.items()]
    rows = grade(NAME, inputs, folder / "out", workers=2, **LIMITS).rows
    return bases, {row["submission"]: scores(row) for row in rows}


def test_blank_base_earns_nothing(honest_beside):
    _, honest = honest_beside
    assert sum(honest["blank"].values()) == 0 and sum(honest["solution"].values()) > 0


def _grade_beside(grade, folder: Path, attack: list[Path], attack_rows: int, honest_nb, copies: int = 2,
                  **limits):
    """Grade the *attack* inputs (files or folders, making *attack_rows* rows) with *copies* honest notebooks
    before and after them, two workers at once: (rows by submission name, seconds)."""
    honest = [write(honest_nb, folder / "honest" / f"honest-{i}.ipynb") for i in range(copies)]
    inputs = honest[:1] + list(attack) + honest[1:]
    started = time.monotonic()
    summary = grade(NAME, inputs, folder / "out", workers=2, **{**LIMITS, **limits})
    elapsed = time.monotonic() - started
    rows = {row["submission"]: row for row in summary.rows}
    assert len(summary.rows) == len(rows) == copies + attack_rows, "every input gets exactly one row"
    lines = (folder / "out" / "gradebook.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == copies + attack_rows + 1
    return rows, elapsed


def _assert_honest_unharmed(rows: dict, honest: dict, copies: int = 2) -> None:
    for i in range(copies):
        row = rows[f"honest-{i}"]
        assert row["status"] == "ok", row["detail"]
        assert scores(row) == honest["solution"], f"honest-{i} lost marks beside the attack"


@pytest.mark.parametrize("attack", BESIDE, ids=[a.id for a in BESIDE])
def test_attack_beside_honest(attack: Beside, built, grade, honest_beside, tmp_path):
    bases, honest = honest_beside
    token = f"31337.{uuid.uuid4().int % 10 ** 9}"
    code = attack.code.replace("TOKEN", repr(token))
    attacker = write(with_cells(bases[attack.base], attack.after, [code]), tmp_path / "in" / "attacker.ipynb")
    rows, elapsed = _grade_beside(grade, tmp_path, [attacker], 1, bases["solution"])

    row = rows["attacker"]
    assert row["status"] == attack.status, (row["status"], row["detail"])
    got, ceiling = scores(row), honest[attack.base]
    assert all(got[q] <= ceiling[q] for q in got), (got, ceiling)
    if attack.base == "solution":
        assert got == ceiling, "answers before and after the attack cell keep their points"
    if attack.base == "blank":
        assert sum(got.values()) == 0, "a notebook that answers nothing earns nothing"
    _assert_honest_unharmed(rows, honest)
    assert row["seconds"] <= attack.seconds and elapsed <= attack.seconds + 12, (row["seconds"], elapsed)
    assert_none_left(token)
    feedback = (tmp_path / "out" / "feedback" / "attacker.md").read_text(encoding="utf-8")
    assert feedback.startswith("# Feedback: attacker")
    if attack.id.startswith("lone-surrogate"):
        assert "\ufffd" in feedback + (tmp_path / "out" / "results" / "attacker.json").read_text(encoding="utf-8")


def test_undecodable_globals_named_like_test_variables_cost_nothing(built, grade, honest_beside, tmp_path):
    """A global that the grader cannot read, named like a variable the tests use for themselves (`grid`,
    `value`...), is never fetched: the tests' own variables are theirs."""
    bases, honest = honest_beside
    names = _tests_own_names(built)
    assert names, "the tests use variables of their own"
    # Reading one ends the sandbox (isinstance looks at __class__ while the value is encoded).
    code = ("class _Boom:\n    @property\n    def __class__(self):\n        import os\n        os._exit(1)\n"
            + "".join(f"{name} = _Boom()\n" for name in names))
    attacker = write(with_cells(bases["solution"], "q7", [code]), tmp_path / "in" / "attacker.ipynb")
    rows, _ = _grade_beside(grade, tmp_path, [attacker], 1, bases["solution"])
    assert rows["attacker"]["status"] == "ok"
    assert scores(rows["attacker"]) == honest["solution"]
    _assert_honest_unharmed(rows, honest)


def test_shadowed_builtins_earn_nothing_on_js_divergence(built, grade, tmp_path):
    """The first report's case: a js_divergence notebook computing nothing but defining builtins."""
    if "js_divergence" not in built:
        pytest.skip("js_divergence is not built")
    blank = nbformat.read(built["js_divergence"].student, as_version=4)
    attacker = write(with_cells(blank, None, [SHADOW_BUILTINS]), tmp_path / "in" / "attacker.ipynb")
    honest = write(solution(built, "js_divergence"), tmp_path / "in" / "honest.ipynb")
    rows = {r["submission"]: r for r in grade("js_divergence", [attacker, honest], tmp_path / "out", workers=2,
                                              timeout=30, cell_timeout=5).rows}
    assert rows["attacker"]["score"] == 0, scores(rows["attacker"])
    assert rows["honest"]["score"] == rows["honest"]["max_score"]


# ---------------------------------------------------------------- inputs the batch itself must survive

def test_links_out_of_the_folder_are_rows_of_their_own_never_read(built, grade, honest_beside, tmp_path):
    bases, honest = honest_beside
    submissions = tmp_path / "in"
    secret = tmp_path / "instructor" / "solution.ipynb"
    write(bases["solution"], secret)
    write(bases["blank"], submissions / "linked-to.ipynb")
    (submissions / "steals-solution.ipynb").symlink_to(secret)
    (submissions / "reads-shadow.ipynb").symlink_to("/etc/shadow")
    (submissions / "dangling.ipynb").symlink_to(tmp_path / "nowhere.ipynb")
    (submissions / "inside-link.ipynb").symlink_to(submissions / "linked-to.ipynb")
    (submissions / "linked-folder").symlink_to(secret.parent, target_is_directory=True)
    rows, _ = _grade_beside(grade, tmp_path, [submissions], 5, bases["solution"])
    assert set(rows) == {"honest-0", "honest-1", "linked-to", "steals-solution", "reads-shadow", "dangling",
                         "inside-link"}, "one row per path, under its own name; linked folders not entered"
    for name in ("steals-solution", "reads-shadow", "dangling"):
        assert rows[name]["status"] == "invalid-notebook" and rows[name]["score"] == 0
        assert "symbolic link" in rows[name]["detail"]
    assert rows["inside-link"]["status"] == "ok" and rows["inside-link"]["score"] == 0  # the blank it points to
    _assert_honest_unharmed(rows, honest)
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*") if p.is_file()
                      and p.suffix in (".json", ".md", ".csv"))
    assert "root:" not in written


def test_size_and_cell_limits_are_checked_before_grading(built, grade, honest_beside, tmp_path):
    bases, honest = honest_beside
    submissions = tmp_path / "in"
    submissions.mkdir(parents=True)
    with open(submissions / "sparse-1gb.ipynb", "wb") as handle:
        handle.truncate(1 << 30)  # a gigabyte that costs no disk: never read whole
    many = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1") for _ in range(MAX_CELLS + 1)])
    write(many, submissions / "many-cells.ipynb")
    os.mkfifo(submissions / "fifo.ipynb")  # a name that would block a reader for ever
    for attempt in range(2):  # the same file gets the same status every time
        folder = tmp_path / f"run{attempt}"
        rows, elapsed = _grade_beside(grade, folder, [submissions], 3, bases["solution"])
        assert rows["sparse-1gb"]["status"] == "invalid-notebook" and "larger than" in rows["sparse-1gb"]["detail"]
        assert rows["many-cells"]["status"] == "invalid-notebook" and "cells" in rows["many-cells"]["detail"]
        assert rows["fifo"]["status"] == "invalid-notebook"
        _assert_honest_unharmed(rows, honest)
        assert elapsed < 30


def test_odd_file_names_make_rows_and_csv_cells_stay_text(built, grade, honest_beside, tmp_path):
    bases, honest = honest_beside
    submissions = tmp_path / "in"
    submissions.mkdir(parents=True)
    raw = nbformat.writes(bases["wrong"]).encode()
    names = [b"caf\xe9.ipynb", b"\xff\xfe.ipynb", b"=1+1.ipynb", b"@SUM(A1).ipynb", b"+cmd.ipynb",
             b"-2+3.ipynb", b"\tTAB.ipynb", b"=HYPERLINK(\"http---x\").ipynb"]
    for name in names:
        with open(os.path.join(os.fsencode(submissions), name), "wb") as handle:
            handle.write(raw)
    rows, _ = _grade_beside(grade, tmp_path, [submissions], len(names), bases["solution"])
    assert {"caf\\xe9", "\\xff\\xfe"} <= set(rows)
    for name, row in rows.items():
        if not name.startswith("honest"):
            assert row["status"] == "ok" and scores(row) == honest["wrong"], name
    _assert_honest_unharmed(rows, honest)
    text = (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        assert not line.lstrip('"').startswith(("=", "+", "-", "@", "\t", "\r")), line
    with open(tmp_path / "out" / "gradebook.csv", newline="", encoding="utf-8") as handle:
        assert {r["submission"] for r in csv_records(handle)} == set(rows), "read back, the names are intact"
    leftovers = [p for p in (tmp_path / "out").rglob(".*") if p.is_file()]
    assert not leftovers, "no temporary file is left"


def test_a_result_that_cannot_be_written_is_that_submissions_row(built, grade, honest_beside, tmp_path,
                                                                  monkeypatch):
    """One submission's failure to write is its own grader-error row; the batch finishes with a gradebook
    and a report, and leaves no temporary file."""
    from autograder import gradebook

    bases, honest = honest_beside
    original = gradebook.feedback_markdown

    def failing(record, *args, **kwargs):
        if record.submission == "attacker" and record.status != "grader-error":
            raise OSError(28, "No space left on device")
        return original(record, *args, **kwargs)

    monkeypatch.setattr(gradebook, "feedback_markdown", failing)
    attacker = write(bases["solution"], tmp_path / "in" / "attacker.ipynb")
    rows, _ = _grade_beside(grade, tmp_path, [attacker], 1, bases["solution"])
    assert rows["attacker"]["status"] == "grader-error" and "No space left" in rows["attacker"]["detail"]
    _assert_honest_unharmed(rows, honest)
    assert (tmp_path / "out" / "report.html").is_file()
    assert not [p for p in (tmp_path / "out").rglob(".*") if p.is_file()]
