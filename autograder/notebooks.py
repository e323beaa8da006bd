"""Reading notebooks: the one reader, with one set of checks, for masters, student copies and submissions.

A master or a student's own copy is read with :func:`read_notebook` (errors name the file and the fix); a
submission is read by the trusted runner with :func:`parse_notebook` on bytes it read itself, capped
(its problems become the submission's `invalid-notebook` detail). Written answers are taken from a notebook
here too, so grading reads each submission once.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import nbformat

from autograder.otterformat import ANSWER_PLACEHOLDER, QUESTION_MARKERS
from xentcore.errors import NotebookReadError

MAX_CELLS = 2000  # a submission may have at most this many cells (checked on the raw JSON, before nbformat)


class NotebookProblem(ValueError):
    """What is wrong with a notebook's bytes (a short phrase; callers add the file and the fix)."""


def parse_notebook(raw: bytes, *, max_cells: int | None = None) -> nbformat.NotebookNode:
    """A notebook (nbformat v4) from the bytes of an .ipynb file, or NotebookProblem saying what is wrong."""
    if not raw.strip():
        raise NotebookProblem("the file is empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError, MemoryError):
        raise NotebookProblem("not a notebook: the file is not valid JSON (truncated or binary?)") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells", data.get("worksheets")), list):
        raise NotebookProblem("not a notebook: JSON without notebook cells (is this really an .ipynb file?)")
    if max_cells is not None:
        count = len(data["cells"]) if isinstance(data.get("cells"), list) else sum(
            len(sheet["cells"]) if isinstance(sheet, dict) and isinstance(sheet.get("cells"), list) else 0
            for sheet in data["worksheets"])
        if count > max_cells:
            raise NotebookProblem(f"the notebook has {count} cells, more than the {max_cells} a submission may have")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(json.dumps(data), as_version=4)
    except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds; all mean "not a readable notebook"
        raise NotebookProblem(f"not a readable notebook ({type(exc).__name__})") from None
    for cell in nb.cells:
        if not isinstance(cell.get("source", ""), str):
            raise NotebookProblem("a cell's source is not text")
    return nb


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook as nbformat v4, with errors that name the file and the fix."""
    path = Path(path)
    if not path.is_file():
        raise NotebookReadError(f"{path}: no such notebook")
    try:
        return parse_notebook(path.read_bytes())
    except NotebookProblem as problem:
        raise NotebookReadError(f"{path}: {problem}; save the notebook again from Jupyter") from None


def _squash(text: str) -> str:
    return " ".join(re.sub(r"<!--.*?-->", " ", text, flags=re.DOTALL).split())


def written_answers(nb: nbformat.NotebookNode, prompts: dict[str, str]) -> dict[str, str]:
    """Each written question's answer (*prompts*: question name -> its prompt in Markdown): the Markdown
    cells after the cell holding the prompt, up to the question's end; "" when there is none."""
    answers: dict[str, str] = {}
    cells = nb.cells
    for name, prompt_text in prompts.items():
        prompt = _squash(prompt_text.split("{{")[0])[:120]  # up to a variant's first {{ placeholder }}
        start = next((i for i, c in enumerate(cells) if c.get("cell_type") == "markdown" and prompt
                      and prompt in _squash(str(c.get("source", "")))), None)
        if start is None:
            answers[name] = ""
            continue
        parts = []
        for cell in cells[start + 1:]:
            source = str(cell.get("source", ""))
            if any(marker in source for marker in QUESTION_MARKERS) or cell.get("cell_type") != "markdown":
                break
            parts.append(source)
        text = "\n\n".join(parts).strip()
        answers[name] = "" if text == ANSWER_PLACEHOLDER else text
    return answers
