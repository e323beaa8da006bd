"""docs/architecture.md stays true: no import cycle between modules, no import against the declared layers."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGES = ("xentcore", "quizzes", "autograder")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "templates" in path.relative_to(ROOT / package).parts:
                continue  # quiz templates are data loaded by the engine, not modules of the package
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Project modules *name* imports anywhere in its file (function-local imports included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layers() -> dict[str, int]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"```layers\n(.*?)```", text, re.DOTALL)
    assert block, "docs/architecture.md has no ```layers block"
    patterns = []
    for line in block.group(1).splitlines():
        number, *names = line.split()
        patterns += [(name, int(number)) for name in names]
    layers = {}
    for module in MODULES:
        matches = [layer for pattern, layer in patterns
                   if module == pattern or (pattern.endswith(".*") and module.startswith(pattern[:-1]))]
        if matches:
            layers[module] = matches[0]
    return layers


def test_every_module_has_a_declared_layer():
    missing = sorted(set(MODULES) - set(_layers()))
    assert not missing, f"add these modules to the layers table of docs/architecture.md: {missing}"


def test_no_import_against_the_declared_direction():
    layers = _layers()
    wrong = [f"{module} (layer {layers[module]}) imports {target} (layer {layers[target]})"
             for module, targets in GRAPH.items() for target in sorted(targets)
             if module in layers and target in layers and layers[target] > layers[module]]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle_between_modules():
    state: dict[str, int] = {}
    cycles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycles.append(" -> ".join(trail[trail.index(target):] + [target]))
            elif target not in state:
                visit(target, trail + [target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])
    assert not cycles, "\n".join(cycles)


def test_the_graph_is_read_correctly():
    """The reader sees function-local imports and `from package import module` forms."""
    assert "autograder.grading.runner" in GRAPH["autograder.grading.batch"]  # imported inside functions
    assert "autograder.grading.codec" in GRAPH["autograder.grading.sandbox"]  # `from autograder.grading import codec`
    assert "quizzes.bank" in GRAPH["autograder.cli"] or "quizzes.publish" in GRAPH["autograder.cli"]


@pytest.mark.parametrize("module", ["autograder", "autograder.cli", "autograder.grading.batch", "quizzes.bank",
                                    "autograder.report"])
def test_importing_the_package_loads_no_test_tool(module):
    code = (f"import sys, {module}\n"
            "loaded = sorted(m for m in ('pytest', 'hypothesis', '_pytest') if m in sys.modules)\n"
            "assert not loaded, loaded")
    done = subprocess.run([sys.executable, "-c", code], cwd="/", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_grading_command_starts_its_zygote_before_heavy_imports():
    """`autograder grade` imports batch, which must not import numpy or nbformat at module level."""
    code = ("import sys, autograder.cli, autograder.grading.batch\n"
            "heavy = sorted(m for m in ('numpy', 'nbformat', 'matplotlib', 'sympy') if m in sys.modules)\n"
            "assert not heavy, heavy")
    done = subprocess.run([sys.executable, "-c", code], cwd="/", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
