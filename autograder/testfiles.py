"""Otter test files as plain test cases.

Otter stores each question's tests as a Python file assigning ``test = {...}``
with doctest-formatted code. The files inside an autograder zip are written by
our own build, so the trusted side may evaluate them; the code of each case is
turned back into the plain ``assert`` source the author wrote.
"""

from __future__ import annotations

import ast
import builtins
import doctest
import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder.otterformat import embedded_tests
from autograder.variantdraw import VariantProblem, render
from xentcore.errors import AutograderZipError


@dataclass(frozen=True)
class TestCase:
    question: str
    index: int
    code: str
    points: float
    hidden: bool
    success_message: str | None = None
    failure_message: str | None = None

    @property
    def description(self) -> str:
        """What property the case checks (the author's comment, kept by the build as failure message)."""
        return self.failure_message or f"{self.question} test {self.index + 1}"

    @property
    def key(self) -> str:
        return f"{self.question}.{self.index + 1}"

    def described(self, params: dict | None) -> str:
        """The description quoting a variant's parameters where it names them (``{{ heads }}``), as feedback
        and the student copy show it; unchanged without parameters or when it names none of them."""
        if not params or "{{" not in self.description:
            return self.description
        try:
            return render(self.description, params)
        except VariantProblem:
            return self.description


def doctest_to_source(code: str) -> str:
    """Plain Python from doctest examples (``>>>`` / ``...`` prompts)."""
    examples = doctest.DocTestParser().get_examples(code)
    return "".join(example.source for example in examples)


def _literal_test_dict(text: str, origin: str) -> dict:
    """The ``test = {...}`` literal of an Otter test file, read without executing it."""
    try:
        module = ast.parse(text, filename=origin)
    except SyntaxError as exc:
        raise AutograderZipError(f"{origin}: test file is not valid Python ({exc.msg}); rebuild the autograder") \
            from None
    for node in module.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "test" for t in node.targets):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                break
            if isinstance(value, dict):
                return value
    raise AutograderZipError(f"{origin}: no literal 'test = {{...}}' found; rebuild the autograder")


def cases_from_test_dict(test: dict, origin: str) -> list[TestCase]:
    name = test.get("name")
    if not isinstance(name, str):
        raise AutograderZipError(f"{origin}: test has no name; rebuild the autograder")
    cases: list[TestCase] = []
    for suite in test.get("suites", []):
        for case in suite.get("cases", []):
            points = case.get("points")
            if not isinstance(points, (int, float)):
                raise AutograderZipError(f"{origin}: a case of {name} has no points; every case needs its own")
            cases.append(TestCase(
                question=name, index=len(cases), code=doctest_to_source(case["code"]),
                points=float(points), hidden=bool(case.get("hidden", False)),
                success_message=case.get("success_message"), failure_message=case.get("failure_message"),
            ))
    return cases


def cases_from_zip(zip_path: Path) -> list[TestCase]:
    """Every test case in an autograder zip, question by question in file order."""
    zip_path = Path(zip_path)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            names = sorted((n for n in archive.namelist() if n.startswith("tests/") and n.endswith(".py")),
                           key=natural_key)
            if not names:
                raise AutograderZipError(f"{zip_path}: no tests/*.py inside; rebuild with `autograder build`")
            cases: list[TestCase] = []
            for member in names:
                text = archive.read(member).decode("utf-8")
                cases.extend(cases_from_test_dict(_literal_test_dict(text, f"{zip_path}:{member}"),
                                                  f"{zip_path}:{member}"))
    except (OSError, zipfile.BadZipFile) as exc:
        raise AutograderZipError(f"{zip_path}: cannot read the autograder zip ({exc}); "
                                 "rebuild it with `autograder build`") from None
    return cases


def free_names(code: str) -> frozenset[str]:
    """Names a test reads without defining them: not builtins, not imported, not assigned by the test
    (the student names it relies on, when no master says which ones the question asks for)."""
    tree = ast.parse(code)
    read, own = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else own).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            own |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, (ast.FunctionDef, ast.Lambda, ast.AsyncFunctionDef)):
            own |= {arg.arg for arg in ast.walk(node.args) if isinstance(arg, ast.arg)}
            if not isinstance(node, ast.Lambda):
                own.add(node.name)
    return frozenset(read - own - set(dir(builtins)))


CONTRACT_FILE = "xent_contract.json"  # in the autograder zip: question -> the student names its tests may see


def contract_from_zip(zip_path: Path) -> dict[str, frozenset[str]]:
    """The question contract the build stored in the zip (see master.Question.contract)."""
    zip_path = Path(zip_path)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            data = json.loads(archive.read(CONTRACT_FILE).decode("utf-8"))
    except KeyError:
        raise AutograderZipError(f"{zip_path}: no {CONTRACT_FILE} inside (built by an older xent-lab); "
                                 "rebuild it with `autograder build`") from None
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise AutograderZipError(f"{zip_path}: cannot read {CONTRACT_FILE} ({exc}); rebuild it with "
                                 "`autograder build`") from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, list) and
                                             all(isinstance(n, str) for n in v) for k, v in data.items()):
        raise AutograderZipError(f"{zip_path}: {CONTRACT_FILE} is not a map of questions to names; rebuild it")
    return {question: frozenset(names) for question, names in data.items()}


def cases_from_notebook_metadata(metadata: dict, origin: str) -> list[TestCase]:
    """Public test cases that Otter embeds in a student notebook's metadata."""
    tests = embedded_tests(metadata)
    cases: list[TestCase] = []
    for test in tests.values():
        cases.extend(cases_from_test_dict(test, origin))
    return cases


def natural_key(text: str) -> list:
    """Sort key that puts q2 before q10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def question_order(cases: list[TestCase]) -> list[str]:
    return list(dict.fromkeys(case.question for case in cases))


def copy_with_case_points(zip_path: Path, dest: Path, question: str, index: int, points: float) -> None:
    """A copy of an autograder zip at *dest* in which case *index* (0-based) of *question* is worth *points*:
    the "fixed a test" change an instructor regrades after (used by `make demo` and the regrade tests)."""
    member = f"tests/{question}.py"
    with zipfile.ZipFile(zip_path) as source:
        if member not in source.namelist():
            raise AutograderZipError(f"{zip_path}: no {member}; name a question of this autograder")
        Path(dest).parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as copy:
            for info in source.infolist():
                data = source.read(info)
                if info.filename == member:
                    test = _literal_test_dict(data.decode("utf-8"), f"{zip_path}:{member}")
                    cases = [case for suite in test.get("suites", []) for case in suite.get("cases", [])]
                    if not 0 <= index < len(cases):
                        raise AutograderZipError(f"{zip_path}:{member}: no case {index + 1} "
                                                 f"({len(cases)} cases)")
                    cases[index]["points"] = points
                    data = f"test = {test!r}\n".encode()
                copy.writestr(info, data)
