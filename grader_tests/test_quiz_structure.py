"""The shape of the quizzes package: it stands on xentcore alone, its modules import one way, and it never
loads test tools at runtime.

Every ``import`` and ``from`` statement is read with ``ast`` - module level, inside functions and
under ``if TYPE_CHECKING`` alike - with relative imports resolved, so a cycle hidden in a function
body counts as much as one at the top of a file.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "quizzes"
TEST_TOOLS = ("pytest", "hypothesis", "_pytest")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imported_names(path: Path, root: Path = ROOT) -> set[str]:
    """Every module ``path`` imports, as absolute dotted names (``from a import b`` gives a and a.b)."""
    name = module_name(path, root)
    package = name if is_package(path) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def internal_graph() -> dict[str, set[str]]:
    """quizzes module -> the quizzes modules it imports (a name that is not a module, e.g. a class, is dropped)."""
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        graph[name] = {target for target in imported_names(path) if target in MODULES and target != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_the_reader_sees_local_guarded_and_relative_imports_and_cycles(tmp_path):
    """The checks below are only as good as this reading of import statements."""
    exporters = tmp_path / "quizzes" / "exporters"
    exporters.mkdir(parents=True)
    (exporters / "__init__.py").write_text("from . import gift\nfrom .common import x\n")
    gift = exporters / "gift.py"
    gift.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from quizzes.bank import Bank\n"
                    "def f():\n    from ..engine import draw\n    from . import common\n"
                    "    import hypothesis.strategies\n")
    assert {"quizzes.exporters.gift", "quizzes.exporters.common"} <= imported_names(exporters / "__init__.py",
                                                                                    tmp_path)
    assert {"quizzes.bank", "quizzes.engine", "quizzes.exporters", "quizzes.exporters.common",
            "hypothesis.strategies"} <= imported_names(gift, tmp_path)
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_quizzes_imports_nothing_from_autograder():
    offenders = {name: sorted(t for t in imported_names(path) if t == "autograder" or t.startswith("autograder."))
                 for name, path in MODULES.items()}
    assert not {name: found for name, found in offenders.items() if found}


def test_no_quizzes_module_takes_part_in_an_import_cycle():
    graph = internal_graph()
    assert "quizzes.engine" in graph and graph["quizzes.engine"], "the graph must see the engine's imports"
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


def test_the_layers_import_one_way():
    """model -> checks -> engine -> bank -> coverage / exporters: nothing below imports what is above it."""
    graph = internal_graph()
    assert not graph["quizzes.model"] & {"quizzes.checks", "quizzes.engine", "quizzes.bank"}
    assert "quizzes.engine" not in graph["quizzes.checks"]
    assert not graph["quizzes.engine"] & {"quizzes.coverage", "quizzes.bank", "quizzes.validate"}
    assert "quizzes.coverage" not in graph["quizzes.bank"]
    assert not any(name.startswith("quizzes.exporters") for name in graph["quizzes.bank"])


def test_no_quizzes_module_imports_pytest_or_hypothesis():
    offenders = {name: sorted(t for t in imported_names(path) if t.split(".")[0] in TEST_TOOLS)
                 for name, path in MODULES.items()}
    assert not {name: found for name, found in offenders.items() if found}


def test_importing_the_quiz_commands_loads_no_test_tool():
    code = ("import quizzes.bank, quizzes.exporters, quizzes.validate, quizzes.coverage; import sys; "
            "assert 'pytest' not in sys.modules and 'hypothesis' not in sys.modules")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr


def test_quiz_commands_load_no_test_tool():
    """`autograder quiz ...` as a user runs it: the CLI module plus a quiz command's library."""
    code = ("import sys; from autograder import cli; "
            "from quizzes import publish, validate, coverage; "
            "bad = [m for m in ('pytest', 'hypothesis') if m in sys.modules]; assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
