"""Which cells of a submitted notebook are the student's code, and in what form to run them."""

from __future__ import annotations

import re

import nbformat

from autograder.otterformat import is_otter_cell

MAGIC_LINE = re.compile(r"^\s*[%!]")
# The student copy's setup cell (selfcheck.py) starts with this line; it only installs packages and loads the
# public tests, so graders skip it like Otter's own cells.
SETUP_MARKER = "# xent-lab setup: run this cell first; do not edit or delete it."


def is_tooling_cell(source: str) -> bool:
    """Cells the graders skip wherever a student moved them: Otter's own and the setup cell."""
    return source.lstrip().startswith(SETUP_MARKER) or is_otter_cell(source)


def runnable_source(source: str) -> str:
    """Cell source without IPython magics and shell escapes (they have no meaning outside Jupyter)."""
    return "\n".join("" if MAGIC_LINE.match(line) else line for line in source.splitlines())


def code_cells(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, runnable source) of every code cell a student wrote or kept, in order."""
    cells: list[tuple[int, str]] = []
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        if not source.strip() or is_tooling_cell(source):
            continue
        cells.append((index, runnable_source(source)))
    return cells
