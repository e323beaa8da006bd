"""Integrity findings for the instructor: answers right for another student's variant, and near-identical code.

Two checks, both instructor-side (report.html and OUT/integrity.csv; nothing here reaches a student):

**Answers of another variant** (variant assignments only). The reference solution runs once per distinct
variant of the roster (``{student id: params}``), all in one trusted child process, and its contract values
(``theta_hat``, ``theta_best``... not functions) are collected. A submission's recorded value
(``SubmissionRecord.values``, kept by the runner) that is *not* its own variant's answer but *is* the answer
of other variants is reported with the students whose variants those are. Two values are equal when they
have the same type and shape and are equal under ``numpy.allclose``'s default tolerance
(``|a - b| <= 1e-8 + 1e-5 * |b|``, elementwise; strings and booleans exactly). A match is left out when it is
trivial: the value is the answer of more than ``TRIVIAL_SHARE`` of the variants.

A wrong answer can equal another variant's answer by chance (a fraction of tails that is someone's fraction
of heads); each finding therefore says how many variants share the value and whether a source student handed
in that same value themselves, so the instructor can weigh it.

**Near-identical code** (every assignment). Winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local
algorithms for document fingerprinting", SIGMOD 2003; the method of MOSS) over normalised Python tokens of
each submission's code cells: comments and whitespace are dropped, every identifier that is not a keyword,
builtin or attribute name becomes ``V``, every string ``S``. Hashes of each ``K``-token run are winnowed with
a window of ``W`` (any common run of ``K + W - 1`` tokens is certain to share a fingerprint). The parameters
cell, tooling cells (setup, ``grader.check``) and cells identical to the starter notebook's are skipped, and
fingerprints of the starter code itself are removed (the given function headers). Fingerprints found in more
than ``max(COMMON_MIN, COMMON_SHARE * n)`` of the n submissions are common idioms (what every honest solution
of a formula shares) and are removed too, as MOSS does. An inverted index from fingerprint to submissions then
counts, for each submission, the fingerprints it shares with each other one: every posting list is that short,
so this is O(n * k) (k fingerprints per submission), never a comparison of all pairs of texts. A pair is
reported when it shares at least ``MIN_SHARED`` fingerprints and its Jaccard similarity (shared fingerprints /
all fingerprints of the two) is at least ``PAIR_THRESHOLD``, with every pair of cells whose own similarity
(shared / the smaller cell's fingerprints) is at least ``CELL_THRESHOLD``.
"""

from __future__ import annotations

import ast
import bisect
import builtins
import contextlib
import hashlib
import io
import json
import keyword
import math
import sys
import tokenize
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from autograder.cells import code_cells
from autograder.localrun import run_child
from autograder.grading import codec
from autograder.notebooks import NotebookProblem, parse_notebook
from autograder.results import SubmissionRecord
from autograder.variantdraw import is_parameters_cell, parameters_source
from xentcore.errors import GradingError
from xentcore.files import atomic_write
from xentcore.safetext import clean, csv_text

RTOL, ATOL = 1e-5, 1e-8  # numpy.allclose's defaults: the tolerance of "the same answer"
TRIVIAL_SHARE = 0.5  # a value that is the answer of more than this share of variants proves nothing
MAX_REFERENCE_BYTES = 64 * 1024  # a reference value larger than this (encoded) is not kept
SHOWN_SOURCES = 5  # source students named per finding (the rest are counted)
K = 8  # tokens per hashed run
W = 4  # winnowing window (fingerprints per window: the smallest hash)
PAIR_THRESHOLD = 0.6  # Jaccard similarity of two submissions' fingerprints from which a pair is reported
CELL_THRESHOLD = 0.8  # a cell pair's similarity (shared / the smaller cell's fingerprints) shown as evidence
MIN_CELL_FINGERPRINTS = 3  # cells with fewer fingerprints (a one-line answer) are not evidence on their own
COMMON_MIN = 10  # a fingerprint in more than this many submissions (or COMMON_SHARE of them, if more)...
COMMON_SHARE = 0.02  # ...is a common idiom, not evidence (MOSS's -m), and is ignored
MIN_SHARED = 8  # a pair shares at least this many fingerprints (not common) to be reported
MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
SHOWN_CELL_CHARS = 800
_PARAMETERS_SENTINEL = "# xent-integrity: the variant's parameters cell"


# ---------------------------------------------------------------- findings

@dataclass(frozen=True)
class VariantFinding:
    """*submission* (of *student*) holds for *name* a value that is another variant's answer, not its own."""

    submission: str
    student: str
    name: str
    value: str  # the submitted value, as text
    own_answer: str  # the answer for the student's own variant, as text
    sources: tuple[str, ...]  # students whose variant has this answer (all of them, sorted)
    source_params: str  # the first source's parameters, as text
    shared_by: int  # how many variants of the roster have this answer
    variants: int  # how many variants were compared
    handed_in_by: tuple[str, ...] = ()  # source students whose own submission holds this same value

    def sentence(self) -> str:
        shown = ", ".join(self.sources[:SHOWN_SOURCES])
        more = f" and {len(self.sources) - SHOWN_SOURCES} more" if len(self.sources) > SHOWN_SOURCES else ""
        whose = "variant" if len(self.sources) == 1 else "variants"
        text = (f"{self.student}'s {self.name} = {self.value} equals the answer for {shown}{more}'s {whose} "
                f"({self.source_params}), not {self.student}'s own ({self.own_answer})")
        if self.handed_in_by:
            text += f"; {', '.join(self.handed_in_by[:SHOWN_SOURCES])} handed in that value"
        return text


@dataclass(frozen=True)
class CellMatch:
    cell_a: int  # notebook cell numbers (1-based)
    cell_b: int
    similarity: float
    source_a: str
    source_b: str


@dataclass(frozen=True)
class CodeFinding:
    """Two submissions whose code cells are near-identical after normalisation."""

    submission_a: str
    submission_b: str
    student_a: str
    student_b: str
    similarity: float  # Jaccard similarity of their fingerprints
    shared: int  # fingerprints in common
    cells: tuple[CellMatch, ...]


@dataclass
class Integrity:
    """What the integrity checks found, and what they could not look at (notes)."""

    variant_findings: list[VariantFinding] = field(default_factory=list)
    code_findings: list[CodeFinding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked_variants: bool = False
    checked_code: bool = False

    @property
    def empty(self) -> bool:
        return not self.variant_findings and not self.code_findings


# ---------------------------------------------------------------- values: equality and display

def _is_number(value) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def same(a, b) -> bool:
    """Whether *a* (submitted) and *b* (reference) are the same answer: numbers and numeric arrays within
    numpy.allclose's default tolerance (same shape), strings and booleans exactly, lists, tuples and dicts
    elementwise. Anything else (figures, SymPy, opaque values) is never the same."""
    if isinstance(a, (bool, np.bool_)) or isinstance(b, (bool, np.bool_)):
        return isinstance(a, (bool, np.bool_)) and isinstance(b, (bool, np.bool_)) and bool(a) == bool(b)
    if _is_number(a) and _is_number(b):
        a, b = _float(a), _float(b)
        if a is None or b is None:  # an integer beyond floats: no answer here is one
            return False
        if math.isnan(a) or math.isnan(b):
            return False
        if math.isinf(a) or math.isinf(b):
            return a == b
        return abs(a - b) <= ATOL + RTOL * abs(b)
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and a == b
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape:
            return False
        if a.dtype.kind in "iuf" and b.dtype.kind in "iuf":
            return bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))
        if a.dtype.kind == b.dtype.kind == "b" or (a.dtype.kind in "US" and b.dtype.kind in "US"):
            return bool(np.array_equal(a, b))
        return False
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return False


def _float(value) -> float | None:
    try:
        return float(value)
    except OverflowError:
        return None


def _first_number(value):
    """The first number of *value* in a fixed order (the order ``same`` compares), or None."""
    if _is_number(value):
        return _float(value)
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "iuf" and value.size:
            return float(value.flat[0])
        return None
    if isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (bool, np.bool_, str)):
                return None
            return _first_number(item)
        return None
    if isinstance(value, dict):
        return None
    return None


def show(value, limit: int = 120) -> str:
    """A value as short text for the report: floats to 6 significant digits, long values cut."""
    if _is_number(value):
        text = f"{float(value):.6g}" if isinstance(value, (float, np.floating)) else str(int(value))[:limit]
    elif isinstance(value, np.ndarray):
        with np.printoptions(precision=6, threshold=20, edgeitems=3):
            text = np.array2string(value, separator=", ")
    elif isinstance(value, (list, tuple)):
        inner = ", ".join(show(item, limit) for item in value[:10]) + (", …" if len(value) > 10 else "")
        text = f"[{inner}]" if isinstance(value, list) else f"({inner})"
    else:
        text = repr(value)
    text = clean(text).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_params(params: dict, limit: int = 200) -> str:
    text = ", ".join(f"{name} {clean(value)[:60] if isinstance(value, str) else show(value, 60)}"
                     for name, value in params.items())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def params_key(params: dict) -> str:
    return json.dumps(params, sort_keys=True)


def _decoded(tree):
    try:
        return True, codec.decode(tree)
    except (codec.CodecError, RecursionError):
        return False, None


# ---------------------------------------------------------------- reference answers (trusted child)

def reference_answers(solution: Path, params_list: list[dict], names: list[str], *,
                      timeout: float | None = None) -> dict[str, dict[str, object]]:
    """{params_key: {name: codec tree}}: the reference solution's value of each of *names* for each distinct
    variant in *params_list*, all computed in one trusted child process (a variant whose solution raised
    has only the names computed before; the same for a name that is a function or too large)."""
    solution = Path(solution)
    try:
        nb = parse_notebook(solution.read_bytes())
    except (OSError, NotebookProblem) as exc:
        raise GradingError(f"{solution}: cannot read the reference solution ({exc}); build the assignment with "
                           "`autograder build NAME` first") from None
    cells = [source for _, source in code_cells(nb, parameters=_PARAMETERS_SENTINEL)]
    distinct = {params_key(p): p for p in params_list}
    if not distinct or not names:
        return {key: {} for key in distinct}
    timeout = timeout if timeout is not None else 120.0 + 2.0 * len(distinct)

    def ended(code: int, detail: str) -> str:
        return (f"{solution}: the reference run for the integrity check ended before reporting (exit {code})"
                f"{': ' + detail if detail else ''}; run `autograder build NAME` to check the solution")

    results = run_child("autograder.integrity", {"cells": cells, "sentinel": _PARAMETERS_SENTINEL,
                                                 "names": sorted(names), "params": list(distinct.values())},
                        timeout=timeout, ended=ended,
                        timed_out=f"{solution}: the reference solution did not finish for {len(distinct)} variants "
                                  f"within {timeout:g} s; look for a slow cell in the master")["results"]
    return dict(zip(distinct, results))


def _bound(target) -> tuple[set[str], set[str]]:
    """(names bound, names whose object is changed) by an assignment target."""
    if isinstance(target, ast.Name):
        return {target.id}, set()
    if isinstance(target, (ast.Tuple, ast.List)):
        bound, changed = set(), set()
        for element in target.elts:
            b, c = _bound(element.value if isinstance(element, ast.Starred) else element)
            bound, changed = bound | b, changed | c
        return bound, changed
    base = target
    while isinstance(base, (ast.Attribute, ast.Subscript)):
        base = base.value
    return set(), ({base.id} if isinstance(base, ast.Name) else set())


def _cell_names(source: str) -> tuple[set[str], set[str]] | None:
    """(names a cell binds or may change at top level, names it uses), or None when it cannot be sliced
    (a syntax error, ``global``/``nonlocal``, ``exec``, ``globals()``...: such a cell is always run)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            return None
        if isinstance(node, ast.Name):
            if node.id in ("exec", "eval", "globals", "locals", "vars", "setattr", "__import__"):
                return None
            used.add(node.id)
    changed = set()
    for statement in tree.body:
        for node in ast.walk(statement):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                changed.add(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                changed |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor,
                                   ast.NamedExpr, ast.comprehension)):
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target]):
                    bound, base = _bound(target)
                    changed |= bound | base
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        changed |= set().union(*_bound(item.optional_vars))
            elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                # a call made for its effect: a method may change its object; a function, what it is passed
                node = node.value
                func = node.func
                while isinstance(func, (ast.Attribute, ast.Subscript)):
                    func = func.value
                if func is not node.func:
                    changed |= {func.id} if isinstance(func, ast.Name) else set()
                    continue
                for argument in list(node.args) + [k.value for k in node.keywords]:
                    changed |= {n.id for n in ast.walk(argument) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    changed |= set().union(*_bound(target))
    return changed, used


def needed_cells(cells: list[str], names: list[str], always: str) -> list[int]:
    """Positions of the cells that can affect *names*: a backward slice over what each cell binds or may
    change (a call made for its effect, as a statement: a method call its object, a function call the names
    passed to it; calls inside expressions are taken to compute values). Cells that cannot be analysed,
    and *always*, are kept. The child checks the slice against the whole notebook on one variant."""
    needed = set(names)
    keep = []
    for position in range(len(cells) - 1, -1, -1):
        source = cells[position]
        found = None if source == always else _cell_names(source)
        if found is None:
            keep.append(position)
            continue
        changed, used = found
        if changed & needed:
            keep.append(position)
            needed |= used
    return sorted(keep)


def _run_variant(cells: list[str], positions: list[int], params: dict, sentinel: str, names: list[str]) -> dict:
    namespace: dict = {"__name__": "__main__"}
    source = parameters_source(params)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for position in positions:
            cell = cells[position]
            try:
                exec(compile(source if cell == sentinel else cell, "<reference>", "exec"), namespace)
            except Exception:  # noqa: BLE001 - later cells may still define names
                pass
    values = {}
    for name in names:
        value = namespace.get(name)
        if name not in namespace or callable(value):
            continue
        try:
            tree = codec.encode(value)
            if len(json.dumps(tree)) <= MAX_REFERENCE_BYTES:
                values[name] = tree
        except (codec.CodecError, TypeError, ValueError, RecursionError):
            continue
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    return values


def _child(job_path: str) -> None:  # pragma: no cover - runs in the child; checked by its output
    job = json.loads(Path(job_path).read_text())
    cells, sentinel, names = job["cells"], job["sentinel"], job["names"]
    everything = list(range(len(cells)))
    sliced = needed_cells(cells, names, sentinel)
    if job["params"] and sliced != everything:
        # The slice must give what the whole notebook gives (checked on the first variant), else run it all.
        first = job["params"][0]
        if _run_variant(cells, sliced, first, sentinel, names) != _run_variant(cells, everything, first,
                                                                                   sentinel, names):
            sliced = everything
    results = [_run_variant(cells, sliced, params, sentinel, names) for params in job["params"]]
    Path(job["result"]).write_text(json.dumps({"results": results, "cells_run": len(sliced),
                                               "cells": len(cells)}))


# ---------------------------------------------------------------- answers of another variant

class _Answers:
    """One name's reference answers, grouped by value and searchable by their first number."""

    def __init__(self):
        self.groups: list[tuple[object, list[str]]] = []  # (value, params keys)
        self.by_text: dict[str, int] = {}
        self.numbers: list[tuple[float, int]] = []  # (first number, group), sorted
        self.other: list[int] = []  # groups without a first number

    def add(self, tree, key: str) -> None:
        text = json.dumps(tree, sort_keys=True)
        if text in self.by_text:
            self.groups[self.by_text[text]][1].append(key)
            return
        ok, value = _decoded(tree)
        if not ok:
            return
        self.by_text[text] = len(self.groups)
        self.groups.append((value, [key]))

    def index(self) -> None:
        for group, (value, _) in enumerate(self.groups):
            first = _first_number(value)
            if first is None or not math.isfinite(first):
                self.other.append(group)
            else:
                self.numbers.append((first, group))
        self.numbers.sort()

    def matching(self, value) -> list[str]:
        """The params keys whose answer is the same as *value*."""
        first = _first_number(value)
        if first is None or not math.isfinite(first):
            candidates = self.other
        else:
            reach = 2 * (ATOL + RTOL * abs(first)) + 1e-12
            low = bisect.bisect_left(self.numbers, (first - reach, -1))
            high = bisect.bisect_right(self.numbers, (first + reach, len(self.groups)))
            candidates = [group for _, group in self.numbers[low:high]]
        keys: list[str] = []
        for group in candidates:
            reference, members = self.groups[group]
            if same(value, reference):
                keys += members
        return keys


def other_variant_findings(records: list[SubmissionRecord], roster_params: dict[str, dict],
                           answers: dict[str, dict[str, object]]) -> list[VariantFinding]:
    """Findings of submitted values that are another roster student's answer and not the owner's own.

    *roster_params*: {student id: params} of every roster student (a source need not have submitted);
    *answers*: reference_answers() for (at least) those params and the submitters' own."""
    owners: dict[str, list[str]] = defaultdict(list)  # params key -> roster students
    for student, params in roster_params.items():
        owners[params_key(params)].append(student)
    tables: dict[str, _Answers] = defaultdict(_Answers)
    for key in owners:
        for name, tree in answers.get(key, {}).items():
            tables[name].add(tree, key)
    for table in tables.values():
        table.index()
    variants = len(owners)
    handed_in: dict[tuple[str, str], list] = defaultdict(list)  # (student, name) -> their decoded values
    for record in records:
        if record.student:
            for name, tree in record.values.items():
                ok, value = _decoded(tree)
                if ok:
                    handed_in[(record.student, name)].append(value)
    findings = []
    for record in records:
        if not record.student or record.params is None or not record.values:
            continue
        own_key = params_key(record.params)
        own = answers.get(own_key, {})
        for name in sorted(record.values):
            if name not in own or name not in tables:
                continue
            ok, value = _decoded(record.values[name])
            ok_own, own_value = _decoded(own[name])
            if not (ok and ok_own) or same(value, own_value):
                continue
            keys = [key for key in tables[name].matching(value) if key != own_key]
            shared = sum(len(owners[key]) for key in keys)
            if not keys or variants == 0 or shared / max(1, len(roster_params)) > TRIVIAL_SHARE:
                continue
            sources = sorted({s for key in keys for s in owners[key]} - {record.student})
            if not sources:
                continue
            first = roster_params[sources[0]]
            by = tuple(s for s in sources if any(same(v, value) for v in handed_in.get((s, name), [])))
            findings.append(VariantFinding(
                submission=record.submission, student=record.student, name=name, value=show(value),
                own_answer=show(own_value), sources=tuple(sources), source_params=show_params(first),
                shared_by=shared, variants=len(roster_params), handed_in_by=by))
    return sorted(findings, key=lambda f: (f.shared_by, -len(f.handed_in_by), f.student, f.name))


# ---------------------------------------------------------------- near-identical code

_KEEP_NAMES = (frozenset(dir(builtins)) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)) - {"_"}
_SKIP_TOKENS = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER, tokenize.TYPE_COMMENT}


def normalised_tokens(source: str) -> list[str]:
    """The cell's tokens with comments and whitespace dropped, identifiers (not keywords, builtins or attribute
    names) as ``V`` and strings as ``S``. Code that does not tokenize is split on whitespace instead."""
    tokens: list[str] = []
    previous = ""
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in _SKIP_TOKENS:
                continue
            if token.type == tokenize.NAME:
                text = token.string if (token.string in _KEEP_NAMES or previous == ".") else "V"
            elif token.type == tokenize.STRING or token.type in _FSTRING_TOKENS:
                text = "S"
            elif token.type == tokenize.NEWLINE:
                text = ";"
            elif token.type == tokenize.INDENT:
                text = "{"
            elif token.type == tokenize.DEDENT:
                text = "}"
            else:
                text = token.string
            if text == "S" and tokens and tokens[-1] == "S":
                continue  # an f-string's parts, or implicitly joined strings: one string
            tokens.append(text)
            previous = token.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source.split()
    return tokens


_FSTRING_TOKENS = {getattr(tokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
                   if hasattr(tokenize, name)}


def fingerprints(tokens: list[str]) -> set[int]:
    """Winnowed fingerprints of *tokens*: hashes of every K-token run, the smallest of each W consecutive
    hashes (the rightmost on ties). A text shorter than K tokens has one fingerprint (its whole)."""
    if not tokens:
        return set()
    runs = [" ".join(tokens[i:i + K]) for i in range(max(1, len(tokens) - K + 1))]
    hashes = [int.from_bytes(hashlib.blake2b(run.encode(), digest_size=8).digest(), "big") for run in runs]
    if len(hashes) <= W:
        return {min(hashes)}
    chosen = set()
    for start in range(len(hashes) - W + 1):
        window = hashes[start:start + W]
        chosen.add(min(window))
    return chosen


@dataclass
class _Document:
    submission: str
    student: str
    cells: list[tuple[int, str, set[int]]]  # (notebook cell number, source, fingerprints)
    prints: set[int]


def _student_cells(nb, starter_cells: set[str]) -> list[tuple[int, str]]:
    """(notebook cell number, runnable source) of the cells the graders run, less the parameters cell and
    cells identical to the starter code."""
    return [(index + 1, source) for index, source in code_cells(nb)
            if not is_parameters_cell(source) and source.strip() not in starter_cells]


def _read(path: Path):
    from autograder.grading.runner import read_capped  # the same capped, non-blocking read as grading

    raw = read_capped(Path(path), MAX_NOTEBOOK_BYTES)
    if raw is None:
        raise NotebookProblem("larger than the limit")
    return parse_notebook(raw)


def similar_code_findings(notebooks: dict[str, Path], *, starter: Path | None = None,
                          students: dict[str, str] | None = None,
                          notes: list[str] | None = None) -> list[CodeFinding]:
    """Pairs of submissions (*notebooks*: {submission: path}) whose code cells are near-identical.

    *starter*: the student copy; its cells and fingerprints are not evidence (GradingError when it cannot be
    read). *students*: {submission: student id}; two submissions of the same student are never a pair.
    Unreadable notebooks are skipped (named in *notes*)."""
    index = CodeIndex(starter, notes=notes)
    for submission, path in sorted(notebooks.items()):
        index.add(submission, path)
    return index.findings(students or {}, set(notebooks))


class CodeIndex:
    """Fingerprinted submissions, added one at a time (`grade` adds each as its record arrives, while the
    workers grade the rest), then paired once (:meth:`findings`)."""

    def __init__(self, starter: Path | None = None, *, notes: list[str] | None = None):
        self.notes = notes if notes is not None else []
        self.starter_cells: set[str] = set()
        self.starter_prints: set[int] = set()
        self.documents: dict[str, tuple[list[tuple[int, str, set[int]]], set[int]]] = {}
        self.seen: dict[str, frozenset[int]] = {}  # many students keep the same cell: tokenized once
        if starter is not None:
            try:
                starter_nb = _read(starter)
            except (OSError, NotebookProblem) as exc:
                raise GradingError(f"{starter}: cannot read the student copy ({exc}); build the assignment "
                                   "with `autograder build NAME` first") from None
            for _, source in _student_cells(starter_nb, set()):
                self.starter_cells.add(source.strip())
                self.starter_prints |= fingerprints(normalised_tokens(source))

    def add(self, submission: str, path: Path) -> None:
        """Read and fingerprint one submission (an unreadable one is a note, never an error)."""
        try:
            nb = _read(path)
        except (OSError, NotebookProblem, ValueError) as exc:
            self.notes.append(f"{submission}: not compared for similar code ({clean(str(exc))[:200]})")
            return
        cells = []
        for number, source in _student_cells(nb, self.starter_cells):
            if source not in self.seen:
                self.seen[source] = frozenset(fingerprints(normalised_tokens(source)) - self.starter_prints)
            prints = set(self.seen[source])
            if prints:
                cells.append((number, source, prints))
        self.documents[submission] = (cells, set().union(*(c[2] for c in cells)) if cells else set())

    def findings(self, students: dict[str, str], only: set[str]) -> list[CodeFinding]:
        """The near-identical pairs among the submissions in *only* (those fingerprinted)."""
        documents = [_Document(submission, students.get(submission, "") or submission,
                               [(n, source, set(prints)) for n, source, prints in cells], set(union))
                     for submission, (cells, union) in sorted(self.documents.items()) if submission in only]
        return _pairs(documents)


def _pairs(documents: list[_Document]) -> list[CodeFinding]:
    index: dict[int, list[int]] = defaultdict(list)
    for number, document in enumerate(documents):
        for fingerprint in document.prints:
            index[fingerprint].append(number)
    limit = max(COMMON_MIN, math.ceil(COMMON_SHARE * len(documents)))
    common = {fingerprint for fingerprint, postings in index.items() if len(postings) > limit}
    for document in documents:
        document.prints -= common
        document.cells = [(n, source, prints - common) for n, source, prints in document.cells]
    findings = []
    for number, document in enumerate(documents):
        shared: dict[int, int] = defaultdict(int)
        for fingerprint in document.prints:  # each posting list holds at most `limit` submissions
            for other in index[fingerprint]:
                if other > number:
                    shared[other] += 1
        for other, count in shared.items():
            partner = documents[other]
            if partner.student == document.student or count < MIN_SHARED:
                continue
            union = len(document.prints | partner.prints)
            if union == 0 or count / union < PAIR_THRESHOLD:
                continue
            findings.append(CodeFinding(document.submission, partner.submission, document.student,
                                        partner.student, round(count / union, 3), count,
                                        _cell_matches(document, partner)))
    return sorted(findings, key=lambda f: (-f.similarity, f.submission_a, f.submission_b))


def _cell_matches(a: _Document, b: _Document) -> tuple[CellMatch, ...]:
    matches = []
    for number_a, source_a, prints_a in a.cells:
        best = None
        for number_b, source_b, prints_b in b.cells:
            smaller = min(len(prints_a), len(prints_b))
            if smaller < MIN_CELL_FINGERPRINTS:
                continue
            similarity = len(prints_a & prints_b) / smaller
            if similarity >= CELL_THRESHOLD and (best is None or similarity > best.similarity):
                best = CellMatch(number_a, number_b, round(similarity, 3), _cut(source_a), _cut(source_b))
        if best is not None:
            matches.append(best)
    return tuple(matches)


def _cut(source: str) -> str:
    source = clean(source.strip())
    return source if len(source) <= SHOWN_CELL_CHARS else source[:SHOWN_CELL_CHARS - 1] + "…"


# ---------------------------------------------------------------- the one call, and the CSV

def check_integrity(records: list[SubmissionRecord], notebooks: dict[str, Path], *, solution: Path | None,
                    starter: Path | None, roster_params: dict[str, dict] | None = None,
                    code_index: CodeIndex | None = None) -> Integrity:
    """Both checks over a finished grading run (call it once every submission is graded).

    *records*: every record of the run (a variant assignment's carry student, params and values);
    *notebooks*: {record.submission: path of its notebook} (those missing are not compared for code);
    *solution*: the reference solution (``project.solution_path(root, NAME)``); *starter*: the student copy
    (``project.student_notebook(dist, NAME)``); *roster_params*: {student id: params} of every roster
    student, or None when the assignment has no variants (then only the code is compared); *code_index*:
    submissions already fingerprinted while grading (the others in *notebooks* are added here).

    Never raises for what a submission holds. When the reference solution cannot run, or the starter is
    unreadable, the finding says so in ``notes`` (shown in the report) and the rest is still checked."""
    integrity = Integrity()
    graded = [r for r in records if r.graded]
    # The reference run is a child process: it runs while this process compares the code (two cores, one wait).
    with ThreadPoolExecutor(max_workers=1) as pool:
        reference = None
        if roster_params and solution is not None:
            names = sorted({name for r in graded for name in r.values})
            own = [r.params for r in graded if r.params is not None]
            reference = pool.submit(reference_answers, solution, list(roster_params.values()) + own, names)
        code_notes: list[str] = []
        students = {r.submission: r.student for r in records if r.student}
        wanted = {r.submission: notebooks[r.submission] for r in graded if r.submission in notebooks}
        missing = sum(1 for r in graded if r.submission not in notebooks)
        if missing:
            code_notes.append(f"{missing} graded submissions had no notebook to compare for similar code")
        if code_index is None:
            try:
                code_index = CodeIndex(starter, notes=code_notes)
            except GradingError as exc:  # the starter notebook is unreadable: compare without leaving it out
                code_notes.append(f"{exc}; code was compared without leaving the starter code out")
                code_index = CodeIndex(None, notes=code_notes)
        else:
            code_notes += code_index.notes
            code_index.notes = code_notes
        for submission, path in sorted(wanted.items()):
            if submission not in code_index.documents:
                code_index.add(submission, path)
        integrity.code_findings = code_index.findings(students, set(wanted))
        if reference is not None:
            try:
                answers = reference.result()
            except GradingError as exc:
                integrity.notes.append(f"answers of other variants were not checked: {exc}")
            else:
                integrity.variant_findings = other_variant_findings(graded, dict(roster_params), answers)
                integrity.checked_variants = True
        integrity.notes += code_notes
    integrity.checked_code = True
    return integrity


CSV_HEADER = ["kind", "submission", "student", "other_submission", "other_students", "name", "value",
              "own_answer", "similarity", "evidence"]


def csv_rows(integrity: Integrity) -> list[list]:
    rows: list[list] = [CSV_HEADER]
    for f in integrity.variant_findings:
        rows.append(["other-variant answer", f.submission, f.student, "", " ".join(f.sources), f.name, f.value,
                     f.own_answer, "", f"{f.sentence()} (the answer of {f.shared_by} of {f.variants} variants)"])
    for f in integrity.code_findings:
        cells = "; ".join(f"cell {m.cell_a} ~ cell {m.cell_b} ({m.similarity:.0%})" for m in f.cells)
        rows.append(["similar code", f.submission_a, f.student_a, f.submission_b, f.student_b, "", "", "",
                     f"{f.similarity:.3f}", f"{f.shared} shared fingerprints; {cells or 'spread over cells'}"])
    return rows


def write_csv(out: Path, integrity: Integrity) -> Path:
    """OUT/integrity.csv: one row per finding (cells neutralised for spreadsheets)."""
    path = Path(out) / "integrity.csv"
    atomic_write(path, csv_text(csv_rows(integrity)))
    return path


if __name__ == "__main__":  # pragma: no cover - the reference child
    _child(sys.argv[1])
