"""Read and validate a master notebook (Otter Assign v1 format).

Otter Assign itself reports many authoring mistakes late or not at all (a
missing ``# END SOLUTION`` can silently copy a solution into the student
notebook). This parser checks the conventions first and builds a plain model
of the assignment that the build, the audit, the grader and the report share.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from autograder.notebooks import read_notebook
from autograder.variantdraw import PARAMS_NAME, is_parameters_cell
from autograder.otterformat import (ASSIGNMENT_CONFIG, MARKER, SOLUTION_LINE, SOLUTION_MARKERS, SOLUTION_SUFFIX,
                                    TEST_CONFIG, TEST_CONFIG_KEYS)
from xentcore.errors import MasterNotebookError, NotebookReadError

QUESTION_NAME = re.compile(r"^q\d+[a-z]?$")
RUBRIC_HEADING = re.compile(r"^\s*\**\s*rubric\b", re.IGNORECASE)
RUBRIC_ITEM = re.compile(r"^\s*[-*]\s*\[(?P<points>\d+(?:\.\d+)?)\]\s*(?P<text>.+?)\s*$")
# An item's "what a grader accepts as equivalent" line: indented under the item, e.g. "  *Accept:* ...".
RUBRIC_ACCEPT = re.compile(r"^\s+[*_]{0,2}\s*accept(?:\s+as\s+equivalent)?\s*[*_]{0,2}\s*:\s*[*_]{0,2}\s*(?P<text>.+?)\s*$",
                           re.IGNORECASE)


@dataclass(frozen=True)
class TestSpec:
    """One test case of a question, as the author wrote it."""

    question: str
    index: int
    code: str
    points: float
    hidden: bool
    description: str
    cell: int


@dataclass(frozen=True)
class RubricItem:
    """One rubric line: what earns the points, and what a grader accepts as equivalent (may be empty)."""

    text: str
    points: float
    accept: str = ""


@dataclass(frozen=True)
class Question:
    name: str
    manual: bool
    points: float
    prompt: str
    solution_code: tuple[str, ...] = ()
    model_answer: str = ""
    rubric: tuple[RubricItem, ...] = ()
    tests: tuple[TestSpec, ...] = ()

    @property
    def public_tests(self) -> tuple[TestSpec, ...]:
        return tuple(t for t in self.tests if not t.hidden)

    @property
    def hidden_tests(self) -> tuple[TestSpec, ...]:
        return tuple(t for t in self.tests if t.hidden)

    @property
    def contract(self) -> tuple[str, ...]:
        """The names this question asks the student for: defined at the top level of its solution and read
        by its tests. When grading, its tests see the student's objects for these names only."""
        defined: set[str] = set()
        for code in self.solution_code:
            try:
                tree = ast.parse(code)
            except SyntaxError:
                continue  # the build reports the solution itself
            for node in tree.body:
                defined |= _top_level_names(node)
        used = {node.id for test in self.tests for node in ast.walk(ast.parse(test.code))
                if isinstance(node, ast.Name)}
        return tuple(sorted((defined & used) - {PARAMS_NAME}))


def _top_level_names(node: ast.stmt) -> set[str]:
    """Names a top-level statement binds: functions, classes and assignment targets (imports excluded:
    a module is never the student's answer)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    targets = node.targets if isinstance(node, ast.Assign) else \
        [node.target] if isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)) else []
    if isinstance(node, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in node.items if item.optional_vars is not None]
    return {n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)}


@dataclass(frozen=True)
class Master:
    name: str
    path: Path
    config: dict
    questions: tuple[Question, ...]
    setup_code: tuple[str, ...] = field(default=())
    parameters_cell: int | None = None  # index of the '# PARAMETERS' code cell of a variant assignment

    def question(self, name: str) -> Question:
        for question in self.questions:
            if question.name == name:
                return question
        raise KeyError(name)

    @property
    def auto_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if not q.manual)

    @property
    def manual_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.manual)


class _Parser:
    def __init__(self, path: Path, name: str):
        self.path = path
        self.name = name

    def fail(self, cell: int | None, problem: str, fix: str) -> MasterNotebookError:
        where = f"{self.path}: cell {cell + 1}: " if cell is not None else f"{self.path}: "
        return MasterNotebookError(f"{where}{problem}; {fix}")

    def yaml(self, text: str, cell: int, what: str) -> dict:
        try:
            value = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError as exc:
            detail = str(exc).replace("\n", " ")
            raise self.fail(cell, f"the {what} is not valid YAML ({detail})",
                            "fix the YAML (key: value per line)") from None
        if value is None:
            value = {}
        if not isinstance(value, dict):
            raise self.fail(cell, f"the {what} must be a YAML mapping, got {type(value).__name__}",
                            "write it as key: value lines")
        return value

    def parse(self, nb: nbformat.NotebookNode) -> Master:
        cells = nb.cells
        config = None
        questions: list[Question] = []
        seen: dict[str, int] = {}
        setup: list[str] = []
        stack: list[tuple[str, int]] = []
        current: dict | None = None
        parameters_cell: int | None = None

        for i, cell in enumerate(cells):
            source = cell.source
            first = source.strip().splitlines()[0].strip() if source.strip() else ""
            if cell.cell_type == "raw" and first.upper().startswith(ASSIGNMENT_CONFIG):
                if config is not None:
                    raise self.fail(i, "a second ASSIGNMENT CONFIG cell", "keep only the first one")
                config = self.yaml(source.split("\n", 1)[1] if "\n" in source else "", i,
                                   "ASSIGNMENT CONFIG")
                continue
            marker = MARKER.match(first) if cell.cell_type == "raw" else None
            if cell.cell_type == "raw" and marker is None and first.startswith("#") and re.match(
                    r"^#\s*(begin|end)\b", first, re.IGNORECASE):
                raise self.fail(i, f"unrecognised marker {first!r}",
                                "use # BEGIN/END QUESTION, SOLUTION, TESTS or PROMPT")
            if marker:
                if marker.group(1) != marker.group(1).upper() or marker.group(2) != marker.group(2).upper():
                    raise self.fail(i, f"marker {first!r} must be upper case", f"write {first.upper()!r}")
                verb, block = marker.group(1).upper(), marker.group(2).upper()
                if verb == "BEGIN":
                    if block == "QUESTION":
                        if stack:
                            open_block, at = stack[-1]
                            raise self.fail(at, f"# BEGIN {open_block} has no matching # END {open_block} "
                                                f"before the next # BEGIN QUESTION (cell {i + 1})",
                                            f"add a raw cell '# END {open_block}'")
                        qconf = self.yaml(source.split("\n", 1)[1] if "\n" in source else "", i,
                                          "question config")
                        current = self.start_question(qconf, i, seen)
                    else:
                        if current is None:
                            raise self.fail(i, f"# BEGIN {block} outside a question",
                                            "put it between # BEGIN QUESTION and # END QUESTION")
                        if stack and stack[-1][0] != "QUESTION":
                            raise self.fail(stack[-1][1], f"# BEGIN {stack[-1][0]} has no matching "
                                                          f"# END {stack[-1][0]} before # BEGIN {block} "
                                                          f"(cell {i + 1})",
                                            f"add a raw cell '# END {stack[-1][0]}'")
                    stack.append((block, i))
                else:
                    if not stack:
                        raise self.fail(i, f"# END {block} without a matching # BEGIN {block}",
                                        f"add '# BEGIN {block}' before it or delete it")
                    open_block, at = stack[-1]
                    if open_block != block:
                        raise self.fail(at, f"# BEGIN {open_block} has no matching # END {open_block} "
                                            f"(found # END {block} at cell {i + 1} first)",
                                        f"add a raw cell '# END {open_block}' before cell {i + 1}")
                    stack.pop()
                    if block == "QUESTION":
                        questions.append(self.finish_question(current, i))
                        current = None
                continue

            inside = stack[-1][0] if stack else None
            if current is None:
                if cell.cell_type == "code":
                    if SOLUTION_MARKERS.search(source):
                        raise self.fail(i, "solution markers in a code cell outside any question",
                                        "move the cell inside # BEGIN QUESTION ... # END QUESTION")
                    if is_parameters_cell(source):
                        if parameters_cell is not None:
                            raise self.fail(i, f"a second parameters cell (the first is cell {parameters_cell + 1})",
                                            "keep one code cell starting with '# PARAMETERS'")
                        parameters_cell = i
                    setup.append(source)
                continue
            if cell.cell_type == "code" and is_parameters_cell(source):
                raise self.fail(i, "the parameters cell is inside a question",
                                "move the '# PARAMETERS' cell before the first question")
            if inside == "SOLUTION":
                if cell.cell_type == "code":
                    if not SOLUTION_MARKERS.search(source):
                        raise self.fail(i, f"solution code cell of {current['name']} has no "
                                           "# BEGIN SOLUTION / # END SOLUTION or '# SOLUTION' marker, so "
                                           "Otter would give students the whole solution",
                                        "mark the lines students must write")
                    current["solution_code"].append(source)
                elif cell.cell_type == "markdown":
                    current["model_answer"].append(source)
            elif inside == "TESTS":
                if cell.cell_type != "code":
                    continue
                current["tests"].append(self.parse_test(current["name"], len(current["tests"]), source, i))
            elif cell.cell_type == "markdown" and inside in ("QUESTION", "PROMPT"):
                current["prompt"].append(source)
            elif cell.cell_type == "code" and inside == "QUESTION" and SOLUTION_MARKERS.search(source):
                raise self.fail(i, f"code cell with solution markers in {current['name']} is not inside "
                                   "# BEGIN SOLUTION ... # END SOLUTION", "wrap it in those raw cells")

        if stack:
            block, at = stack[-1]
            raise self.fail(at, f"# BEGIN {block} has no matching # END {block} before the end of the notebook",
                            f"add a raw cell '# END {block}'")
        if config is None:
            raise self.fail(None, "no '# ASSIGNMENT CONFIG' raw cell",
                            "add a raw cell starting with '# ASSIGNMENT CONFIG' as the first cell")
        if config.get("name") != self.name:
            raise self.fail(0, f"ASSIGNMENT CONFIG name is {config.get('name')!r}, the folder is {self.name!r}",
                            f"set 'name: {self.name}'")
        if not questions:
            raise self.fail(None, "no questions", "add at least one # BEGIN QUESTION block")
        return Master(name=self.name, path=self.path, config=config, questions=tuple(questions),
                      setup_code=tuple(setup), parameters_cell=parameters_cell)

    def start_question(self, qconf: dict, cell: int, seen: dict[str, int]) -> dict:
        name = qconf.get("name")
        if not isinstance(name, str) or not QUESTION_NAME.match(name):
            raise self.fail(cell, f"question name {name!r} is not of the form q1, q2a, ...",
                            "set 'name: q<number>[letter]' in the question config")
        if name in seen:
            raise self.fail(cell, f"duplicate question name {name!r} (first used at cell {seen[name] + 1})",
                            "give every question its own name")
        seen[name] = cell
        unknown = set(qconf) - {"name", "points", "manual", "check_cell", "export"}
        if unknown:
            raise self.fail(cell, f"unknown question config key(s) {sorted(unknown)} in {name}",
                            "allowed: name, points, manual")
        manual = bool(qconf.get("manual", False))
        points = qconf.get("points")
        if manual and not isinstance(points, (int, float)):
            raise self.fail(cell, f"manual question {name} needs 'points: <number>'", "add it to the config")
        return {"name": name, "manual": manual, "points": points, "cell": cell, "prompt": [],
                "solution_code": [], "model_answer": [], "tests": []}

    def parse_test(self, question: str, index: int, source: str, cell: int) -> TestSpec:
        match = TEST_CONFIG.match(source)
        if not match:
            raise self.fail(cell, f"test {index + 1} of {question} has no TEST CONFIG block",
                            'start it with """ # BEGIN TEST CONFIG / points: N / """ # END TEST CONFIG')
        tconf = self.yaml(match.group("yaml"), cell, f"TEST CONFIG of {question} test {index + 1}")
        unknown = set(tconf) - TEST_CONFIG_KEYS
        if unknown:
            raise self.fail(cell, f"unknown TEST CONFIG key(s) {sorted(unknown)} in {question} test {index + 1}",
                            f"allowed: {', '.join(sorted(TEST_CONFIG_KEYS))}")
        points = tconf.get("points")
        if not isinstance(points, (int, float)) or isinstance(points, bool) or points < 0:
            raise self.fail(cell, f"{question} test {index + 1} has no valid 'points'",
                            "every test case carries its own points, e.g. 'points: 1'")
        code = source[match.end():].strip("\n")
        lines = code.splitlines()
        if not lines or not lines[0].lstrip().startswith("#"):
            raise self.fail(cell, f"{question} test {index + 1} does not start with a '# description' comment",
                            "begin the test with a comment saying what property it checks")
        description = lines[0].lstrip()[1:].strip()
        try:
            compile(code, f"{self.path}:{question}:test{index + 1}", "exec")
        except SyntaxError as exc:
            raise self.fail(cell, f"{question} test {index + 1} is not valid Python ({exc.msg}, line {exc.lineno})",
                            "fix the test code") from None
        return TestSpec(question=question, index=index, code=code, points=float(points),
                        hidden=bool(tconf.get("hidden", False)), description=description, cell=cell)

    def finish_question(self, current: dict, end_cell: int) -> Question:
        name = current["name"]
        tests = tuple(current["tests"])
        if current["manual"]:
            model = "\n\n".join(current["model_answer"]).strip()
            if not model:
                raise self.fail(current["cell"], f"manual question {name} has no model answer",
                                "add markdown between # BEGIN SOLUTION and # END SOLUTION")
            rubric = parse_rubric(model)
            if not rubric:
                raise self.fail(current["cell"], f"manual question {name} has no rubric in its model answer",
                                "add a '**Rubric**' line followed by items '- [points] what earns them'")
            total = sum(item.points for item in rubric)
            if abs(total - float(current["points"])) > 1e-9:
                raise self.fail(current["cell"], f"rubric of {name} adds up to {total:g} points, "
                                                 f"the question is worth {float(current['points']):g}",
                                "make the rubric items add up to the question's points")
            return Question(name=name, manual=True, points=float(current["points"]),
                            prompt="\n\n".join(current["prompt"]), model_answer=model, rubric=rubric)
        if not current["solution_code"]:
            raise self.fail(current["cell"], f"question {name} has no solution code cell",
                            "add a code cell between # BEGIN SOLUTION and # END SOLUTION")
        if not tests:
            raise self.fail(current["cell"], f"question {name} has no tests",
                            "add test cells between # BEGIN TESTS and # END TESTS, or set manual: true")
        total = sum(t.points for t in tests)
        if current["points"] is not None and abs(float(current["points"]) - total) > 1e-9:
            raise self.fail(current["cell"], f"question {name} says points: {current['points']} but its tests "
                                             f"add up to {total:g}", "drop 'points' or make them agree")
        return Question(name=name, manual=False, points=total, prompt="\n\n".join(current["prompt"]),
                        solution_code=tuple(current["solution_code"]), tests=tests)


def parse_rubric(markdown: str) -> tuple[RubricItem, ...]:
    """Rubric items (``- [points] text``) listed after a 'Rubric' heading line.

    An indented line ``Accept: ...`` (``*Accept:*`` in Markdown) under an item says what a grader accepts as
    equivalent for that item; it is kept in ``RubricItem.accept``, apart from the item's text.
    """
    items: list[RubricItem] = []
    in_rubric = False
    for line in markdown.splitlines():
        if RUBRIC_HEADING.match(line):
            in_rubric = True
            continue
        if in_rubric:
            match = RUBRIC_ITEM.match(line)
            if match:
                items.append(RubricItem(text=match.group("text"), points=float(match.group("points"))))
                continue
            accept = RUBRIC_ACCEPT.match(line)
            if accept and items:
                previous = items[-1]
                joined = f"{previous.accept} {accept.group('text')}".strip()
                items[-1] = RubricItem(text=previous.text, points=previous.points, accept=joined)
    return tuple(items)


def load_master(path: Path, name: str | None = None) -> Master:
    """Parse and validate the master notebook at *path*."""
    path = Path(path)
    try:
        nb = read_notebook(path)
    except NotebookReadError as exc:
        raise MasterNotebookError(str(exc)) from None
    return _Parser(path, name or path.stem).parse(nb)


def solution_only_lines(cells: tuple[str, ...]) -> list[str]:
    """Lines students must not receive: inside BEGIN/END SOLUTION, or ending in '# SOLUTION'."""
    hidden: list[str] = []
    for source in cells:
        inside = False
        for line in source.splitlines():
            stripped = line.strip()
            marker = SOLUTION_LINE.match(stripped)
            if marker:
                inside = marker.group(1) == "BEGIN"
            elif inside or SOLUTION_SUFFIX.search(stripped):
                text = SOLUTION_SUFFIX.sub("", stripped)
                if text and not text.startswith("#"):
                    hidden.append(" ".join(text.split()))
    return hidden
