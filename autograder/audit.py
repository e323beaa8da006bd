"""Audit a built student copy: no solution, no hidden test, no hidden-only value.

The audit reads the student copy as a whole (every cell's source and outputs
and the notebook metadata, where Otter keeps the public tests) and compares it
with the master, whose solution regions, model answers and hidden tests must
not appear in it.
"""

from __future__ import annotations

import ast
import json
import math
import re
from pathlib import Path


from autograder import otterformat
from autograder.master import Master, solution_only_lines
from autograder.notebooks import read_notebook
from autograder.selfcheck import embedded_tests
from autograder.testfiles import TestCase, doctest_to_source
from xentcore.errors import AuditError, XentError

NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
MIN_LINE = 12  # shorter lines (e.g. "return x") are too common to prove anything


def _significant(line: str) -> str:
    return " ".join(line.split())


def _canonical(line: str) -> str:
    """A code line as ``ast.unparse`` prints it when it parses on its own: Otter re-renders test code (its
    quotes, for one), so a line is compared in this form as well as in its own."""
    try:
        return ast.unparse(ast.parse(line.strip()))
    except (SyntaxError, ValueError, RecursionError):
        return _significant(line)


def _line_set(lines) -> set[str]:
    return {form for line in lines for form in (_significant(line), _canonical(line))}


def _is_trivial_number(value: float) -> bool:
    return value == 0.5 or (value == int(value) and abs(value) <= 10)


def _numbers_in_code(code: str) -> set[float]:
    values: set[float] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            values.add(float(node.value))
    return values


def _numbers_in_text(text: str) -> set[float]:
    values = set()
    for token in NUMBER.findall(text):
        try:
            values.add(float(token))
        except ValueError:
            continue
    return values


def _contains(values: set[float], value: float) -> bool:
    return any(math.isclose(value, other, rel_tol=1e-9, abs_tol=0.0) for other in values)


def _student_text(path: Path) -> tuple[str, dict]:
    nb = read_notebook(path)
    parts = []
    for cell in nb.cells:
        parts.append(cell.source)
        for output in cell.get("outputs", []):
            parts.append(json.dumps(output))
    return "\n".join(parts) + "\n" + json.dumps(nb.metadata), nb


def _audit_setup_cell(nb, student_path: Path, cases: list[TestCase], params: dict | None = None) -> list[str]:
    """The setup cell must embed exactly the public cases of the autograder, and of the hidden tests only
    their descriptions (shown to students when their public tests pass)."""
    try:
        embedded, hidden = embedded_tests(nb, str(student_path))
    except XentError as exc:
        raise AuditError(f"{student_path}: the setup cell is missing or unreadable ({exc}); rebuild with "
                         "`autograder build`") from None
    problems = []
    public = {(c.question, _canonical_code(c.code)) for c in cases if not c.hidden}
    found = set()
    for question, test in embedded.items():
        for suite in test.get("suites", []):
            for case in suite.get("cases", []):
                key = (question, _canonical_code(doctest_to_source(case.get("code", ""))))
                if case.get("hidden") or key not in public:
                    problems.append(f"{question}: the setup cell embeds a test that is not one of its public tests")
                found.add(key)
    if found != public:
        problems.append("the setup cell does not embed every public test")
    descriptions = {(case.question, case.described(params)) for case in cases if case.hidden}
    if not isinstance(hidden, dict) or any(not isinstance(notes, list) or any((question, note) not in descriptions
                                                                              for note in notes)
                                           for question, notes in hidden.items()):
        problems.append("the setup cell's hidden-test notes hold text that is not a hidden test's description")
    return problems


def _canonical_code(code: str) -> str:
    try:
        return ast.unparse(ast.parse(code))
    except (SyntaxError, ValueError, RecursionError):
        return code.strip()


def audit_student_copy(master: Master, student_path: Path, cases: list[TestCase], params: dict | None = None) -> None:
    """Raise AuditError naming the first kind of leak found in the student copy (*params*: the variant it
    was built for, whose values its hidden-test notes quote)."""
    text, nb = _student_text(student_path)
    student_lines = _line_set(text.splitlines())
    # Otter stores public tests as JSON strings in the metadata: unescape them too.
    for test in otterformat.embedded_tests(nb.metadata).values():
        for suite in test.get("suites", []):
            for case in suite.get("cases", []):
                if case.get("hidden"):
                    raise AuditError(f"{student_path}: the notebook metadata holds a hidden test of "
                                     f"{test.get('name')}; rebuild with `autograder build`")
                student_lines |= _line_set(line.lstrip(">. ") for line in case.get("code", "").splitlines())
    problems = _audit_setup_cell(nb, student_path, cases, params)
    # The setup cell holds the public tests as string literals: unescape those lines too.
    embedded, _ = embedded_tests(nb, str(student_path))
    for test in embedded.values():
        for suite in test.get("suites", []):
            for case in suite.get("cases", []):
                student_lines |= _line_set(line.lstrip(">. ") for line in case.get("code", "").splitlines())

    # Public tests as the master states them and as Otter wrote them into the autograder.
    public_code = "\n".join([*master.setup_code, *(t.code for q in master.questions for t in q.public_tests),
                             *(case.code for case in cases if not case.hidden)])
    public_lines = _line_set(public_code.splitlines())
    prompt_text = "\n".join(q.prompt for q in master.questions)

    for question in master.questions:
        for line in solution_only_lines(question.solution_code):
            if len(line) >= MIN_LINE and _canonical(line) in student_lines and _canonical(line) not in public_lines:
                problems.append(f"{question.name}: solution line {line!r}")
        for raw in question.model_answer.splitlines():
            line = _significant(raw)
            if len(line) >= 20 and line in student_lines and line not in prompt_text:
                problems.append(f"{question.name}: model-answer line {line!r}")

    public_numbers = _numbers_in_code(public_code) | _numbers_in_text(prompt_text)
    student_numbers = _numbers_in_text(text)
    for case in cases:
        if not case.hidden:
            continue
        for raw in case.code.splitlines():
            line = _canonical(raw)
            if len(line) >= MIN_LINE and line in student_lines and line not in public_lines:
                problems.append(f"{case.question}: hidden test {case.index + 1} source {line!r}")
        for value in _numbers_in_code(case.code):
            if _is_trivial_number(value) or _contains(public_numbers, value):
                continue
            if _contains(student_numbers, value):
                problems.append(f"{case.question}: value {value!r} used only by hidden test {case.index + 1}")
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise AuditError(f"{student_path}: the student copy of {master.name} leaks {shown}. Check the SOLUTION "
                         "markers and hidden: true in the master, then rebuild")
