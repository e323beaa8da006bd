"""Mutants (plausible wrong answers) and alternative correct solutions of an assignment.

A file ``assignments/<name>/mutants/<slug>.py`` (or ``alternatives/<slug>.py``)
starts with a docstring: its first line describes the mistake (the report shows
it as the likely misconception), and a ``Loses: q3, q4`` line names the
questions that must lose marks (mutants only). The rest is split by
``# %% q3`` lines into replacement answers: each replaces every answer cell of
that question in the reference solution.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from xentcore.errors import MutantFileError

SECTION = re.compile(r"^# %% (?P<question>q\d+[a-z]?)\s*$", re.MULTILINE)
LOSES = re.compile(r"^\s*Loses:\s*(?P<questions>.*)$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True)
class Variant:
    slug: str
    path: Path
    description: str
    loses: tuple[str, ...]
    answers: dict[str, str]


def parse_variant(path: Path, *, mutant: bool) -> Variant:
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    try:
        module = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        raise MutantFileError(f"{path}: not valid Python ({exc.msg}, line {exc.lineno}); fix the file") from None
    doc = ast.get_docstring(module)
    if not doc:
        raise MutantFileError(f"{path}: no docstring; start the file with a docstring whose first line "
                              "describes the mistake or the style")
    description = doc.strip().splitlines()[0].strip()
    match = LOSES.search(doc)
    loses = tuple(q.strip() for q in match.group("questions").split(",") if q.strip()) if match else ()
    if mutant and not loses:
        raise MutantFileError(f"{path}: a mutant must say which questions lose marks, e.g. 'Loses: q3, q4' "
                              "in its docstring")
    if not mutant and loses:
        raise MutantFileError(f"{path}: an alternative solution must earn full marks; remove its 'Loses:' line")
    parts = SECTION.split(text)
    answers: dict[str, str] = {}
    for question, body in zip(parts[1::2], parts[2::2]):
        if question in answers:
            raise MutantFileError(f"{path}: two '# %% {question}' sections; merge them")
        answers[question] = body.strip("\n") + "\n"
    if not answers:
        raise MutantFileError(f"{path}: no '# %% q<N>' section with a replacement answer")
    return Variant(slug=path.stem, path=path, description=description, loses=loses, answers=answers)


def load_variants(directory: Path, *, mutant: bool) -> list[Variant]:
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return [parse_variant(p, mutant=mutant) for p in sorted(directory.glob("*.py"))]


def apply_variant(solution_nb: nbformat.NotebookNode, variant: Variant) -> nbformat.NotebookNode:
    """The reference solution with the variant's answers in place of the question's answer cells."""
    nb = copy.deepcopy(solution_nb)
    owned = {}
    for index, cell in enumerate(nb.cells):
        question = (cell.metadata.get("xent") or {}).get("question")
        if question and cell.cell_type == "code":
            owned.setdefault(question, []).append(index)
    unknown = sorted(set(variant.answers) - set(owned))
    if unknown:
        raise MutantFileError(f"{variant.path}: no code answer cell for {', '.join(unknown)} in the reference "
                              f"solution; questions with code answers: {', '.join(sorted(owned))}")
    drop = set()
    for question, source in variant.answers.items():
        first, *rest = owned[question]
        nb.cells[first].source = source.rstrip("\n")
        drop.update(rest)
    nb.cells = [cell for index, cell in enumerate(nb.cells) if index not in drop]
    return nb
