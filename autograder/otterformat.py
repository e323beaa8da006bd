"""Everything xent-lab knows about Otter Grader's formats, in one place.

Otter Assign v1 masters (raw-cell markers, TEST CONFIG blocks, solution markers), the tags Otter writes on
the cells of its outputs, the cells it adds to a student copy, the placeholder of a written answer, and
the notebook metadata where it embeds public tests. Other modules import these names instead of spelling
Otter's strings themselves, so an Otter upgrade is checked here.
"""

from __future__ import annotations

import re

import nbformat

# ---------------------------------------------------------------- master notebooks (Otter Assign v1)
ASSIGNMENT_CONFIG = "# ASSIGNMENT CONFIG"  # first line of the raw cell holding the assignment's YAML config
# What the build forces in that config (it verifies the solution itself; no PDFs).
CONFIG_OVERRIDES = {"run_tests": False, "generate": True, "solutions_pdf": False, "export_cell": False}
# Markers of a raw cell that open a block, and the marker that must close it.
BLOCKS = {"QUESTION": "END QUESTION", "SOLUTION": "END SOLUTION", "TESTS": "END TESTS", "PROMPT": "END PROMPT"}
MARKER = re.compile(r"^#\s*(BEGIN|END)\s+(QUESTION|SOLUTION|TESTS|PROMPT)\b(?P<rest>.*)$", re.IGNORECASE)
TEST_CONFIG = re.compile(
    r'^\s*"""\s*#\s*BEGIN TEST CONFIG\s*\n(?P<yaml>.*?)\n\s*"""\s*#\s*END TEST CONFIG\s*\n?',
    re.DOTALL,
)
TEST_CONFIG_KEYS = {"points", "hidden", "success_message", "failure_message"}
# Solution markers inside a code cell: whole-line BEGIN/END SOLUTION, or a trailing "# SOLUTION".
SOLUTION_MARKERS = re.compile(r"#\s*(BEGIN SOLUTION|END SOLUTION|SOLUTION\b)")
SOLUTION_LINE = re.compile(r"^\s*#\s*(BEGIN|END) SOLUTION.*$")
PROMPT_LINE = re.compile(r"^\s*(?:\"\"\"|\'\'\')\s*#\s*(BEGIN|END) PROMPT.*$")
SOLUTION_SUFFIX = re.compile(r"\s*#\s*SOLUTION\s*$")

# ---------------------------------------------------------------- what Otter Assign writes
ANSWER_TAG = "otter_answer_cell"  # a student answer cell
SOLUTION_TAG = "otter_assign_solution_cell"  # a solution cell of the autograder notebook
QUESTION_MARKERS = ("<!-- END QUESTION -->", "<!-- BEGIN QUESTION -->")  # comments around a written question
ANSWER_PLACEHOLDER = "_Type your answer here, replacing this text._"  # a written answer left as given
METADATA_KEY = "otter"  # notebook metadata: assignment_name, and the public tests under "tests"

# Cells Otter writes into the student copy (initialising the grader, checks, export); the grader runs its
# tests itself after the last cell, so these are skipped wherever a student moved them.
OTTER_CELL = re.compile(
    r"^\s*(#\s*Initialize Otter\s*\n)?\s*(import otter\b.*|grader\s*=\s*otter\..*|grader\.\w+\(.*\)\s*)$",
    re.MULTILINE,
)


def is_otter_cell(source: str) -> bool:
    lines = [line for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    return bool(lines) and all(OTTER_CELL.match(line) for line in lines)


def otter_metadata(nb: nbformat.NotebookNode) -> dict:
    """The notebook's Otter metadata (assignment name, embedded public tests), or {}."""
    meta = nb.metadata.get(METADATA_KEY) if isinstance(nb.metadata, dict) else None
    return meta if isinstance(meta, dict) else {}


def embedded_tests(metadata: dict) -> dict:
    """The public tests Otter embeds in a student copy's metadata: {question: test dict}."""
    tests = (metadata.get(METADATA_KEY) or {}).get("tests") if isinstance(metadata, dict) else None
    return tests if isinstance(tests, dict) else {}
