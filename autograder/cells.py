"""Which cells of a submitted notebook are the student's code, and in what form to run them."""

from __future__ import annotations

import re

import nbformat

from autograder.otterformat import is_otter_cell
from autograder.variantdraw import is_parameters_cell

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


def code_cells(nb: nbformat.NotebookNode, parameters: str | None = None) -> list[tuple[int, str]]:
    """(cell index, runnable source) of every code cell a student wrote or kept, in order.

    *parameters*: for a variant assignment, the source of the parameters cell the grader issues (the
    owner's numbers). It replaces the notebook's own parameters cell, whatever the student did to it; a
    notebook without one gets it first (index -1)."""
    cells: list[tuple[int, str]] = []
    replaced = parameters is None
    for index, cell in enumerate(nb.cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(source)
        if not source.strip() or is_tooling_cell(source):
            continue
        if parameters is not None and is_parameters_cell(source):
            if not replaced:
                cells.append((index, parameters))
                replaced = True
            continue
        cells.append((index, runnable_source(source)))
    if not replaced:
        cells.insert(0, (-1, parameters))
    return cells
