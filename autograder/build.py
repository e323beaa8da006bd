"""Build an assignment: Otter Assign → student copy, autograder zip, reference solution.

Every step writes into a temporary folder first; ``dist/<name>`` and
``solutions/<name>.ipynb`` are replaced only when the whole assignment built,
verified and passed the audit, so a failed build leaves the previous output
intact.
"""

from __future__ import annotations

import ast
import builtins
import copy
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml

from autograder import project
from autograder.audit import audit_student_copy
from autograder.cells import code_cells
from xentcore.errors import BuildError, OutOfSyncError, SolutionScoreError, UsageError, XentError
from xentcore.files import atomic_write
from xentcore.safetext import csv_text
from autograder.localrun import run_locally
from autograder.master import Master, load_master
from autograder.notebooks import read_notebook
from autograder.otterformat import (ANSWER_TAG, embedded_tests, ASSIGNMENT_CONFIG, CONFIG_OVERRIDES, PROMPT_LINE, SOLUTION_LINE,
                                    SOLUTION_SUFFIX, SOLUTION_TAG, TEST_CONFIG)
from autograder.mutants import load_variants
from autograder import selfcheck
from autograder.catch import catch_share
from autograder.testfiles import CONTRACT_FILE, TestCase, cases_from_zip
from autograder import gradescope, variantdraw, variants

# What the build relies on, whatever the master's config says: tests are run by
# our own check (clearer errors, per test), PDFs need LaTeX we do not ship.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Sampled variants on which a variant assignment's build proves its grader (autograder/validity.py).
DEFAULT_VARIANTS = 20


@dataclass(frozen=True)
class BuiltAssignment:
    name: str
    student: Path
    autograder: Path
    solution: Path
    questions: int
    points: float


def build_assignments(names: list[str] | None, *, dist: Path = Path("dist"), check_only: bool = False,
                      root: Path = Path("."), solutions: Path | None = None,
                      log: Callable[[str], None] | None = None, roster: Path | None = None,
                      key_file: Path | None = None,
                      validity_variants: int = DEFAULT_VARIANTS) -> list[BuiltAssignment]:
    """Build the named assignments (all when none) into *dist*, or with *check_only* verify solutions/.

    *solutions* is where reference solutions are written (default ``<root>/solutions``);
    tests point it elsewhere to build without touching the checkout. *validity_variants*: how many
    sampled variants a variant assignment's validity proof grades (autograder/validity.py).

    With *roster* and *key_file*, a variant assignment also gets one notebook per student,
    ``dist/<name>/students/<id>/<name>.ipynb``, and the instructor's per-student reference solutions,
    ``dist/<name>/solutions/<id>.ipynb`` (docs/variants.md).

    Every assignment is attempted; failures are reported together at the end so
    one broken master does not stop the others from building.
    """
    log = log or (lambda message: print(message, file=sys.stderr))
    root = Path(root)
    selected = project.resolve_assignments(root, names)
    personal = _personal_options(roster, key_file, check_only)
    built: list[BuiltAssignment] = []
    failures: list[XentError] = []
    for name in selected:
        try:
            built.append(build_one(name, dist=Path(dist), check_only=check_only, root=root,
                                   solutions=Path(solutions) if solutions else root / "solutions", log=log,
                                   personal=personal, validity_variants=validity_variants))
        except XentError as exc:
            failures.append(exc)
            log(f"{name}: FAILED ({exc.kind})")
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise BuildError("; ".join(f"{exc.kind}: {exc}" for exc in failures))
    return built


def _personal_options(roster: Path | None, key_file: Path | None, check_only: bool):
    """(Roster, key) for a build of personal notebooks, read and checked before anything is built."""
    if roster is None and key_file is None:
        return None
    if roster is None or key_file is None:
        raise UsageError("personal notebooks need both --roster ROSTER.csv and --key-file KEY "
                         "(create a key once with `autograder keygen KEY`)")
    if check_only:
        raise UsageError("--check verifies the checked-in reference solutions; leave out --roster and --key-file")
    return variants.read_roster(roster), variants.read_key(key_file)


def build_one(name: str, *, dist: Path, check_only: bool, root: Path, solutions: Path,
              log: Callable[[str], None], personal=None,
              validity_variants: int = DEFAULT_VARIANTS) -> BuiltAssignment:
    master_file = project.master_path(root, name)
    log(f"{name}: reading {master_file}")
    master = load_master(master_file, name)
    spec = _variant_spec(master, master_file.parent)
    dist.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".build-{name}-", dir=dist)).resolve()
    try:
        log(f"{name}: running Otter Assign")
        student_nb, autograder_nb, otter_zip = _otter_assign(master, staging)
        out_dir = staging / "result"
        student_file = out_dir / "student" / f"{name}.ipynb"
        zip_file = out_dir / "autograder" / "autograder.zip"
        student_file.parent.mkdir(parents=True)
        zip_file.parent.mkdir(parents=True)
        extra = _variant_files(spec)
        if personal is not None and spec is not None:  # Gradescope draws each student's numbers inside the zip
            extra.update(gradescope.zip_entries(spec, personal[1], personal[0]))
        _repack_zip(otter_zip, zip_file, contract=_contract(master), extra=extra)
        cases = cases_from_zip(zip_file)
        _check_tests_match_master(master, cases)
        params = spec.canonical if spec else None
        setup = _setup_cell(master, student_nb, cases, params)
        solution_nb = reference_solution(master, autograder_nb, student_nb)
        for nb in (student_nb, solution_nb):
            selfcheck.install(nb, setup, str(master.path))
            _normalise(nb)
        # personal copies start from the notebooks before the canonical numbers fill their placeholders
        templates = (copy.deepcopy(student_nb), copy.deepcopy(solution_nb)) \
            if spec is not None and personal is not None else None
        for nb in (student_nb, solution_nb) if spec is not None else ():
            variants.personalise(nb, params, assignment=name, origin=str(master.path))
        nbformat.write(student_nb, student_file)
        solution_text = nbformat.writes(solution_nb) + "\n"
        log(f"{name}: checking the reference solution earns full marks")
        verify_solution(master, solution_nb, cases, workdir=student_file.parent)
        audit_student_copy(master, student_file, cases, params)
        solution_file = solutions / f"{name}.ipynb"
        if check_only:
            current = solution_file.read_text(encoding="utf-8") if solution_file.is_file() else None
            if current != solution_text:
                state = "is missing" if current is None else "differs from the master"
                raise OutOfSyncError(f"{solution_file} {state}; run `autograder build {name}` and commit "
                                     f"solutions/{name}.ipynb")
            log(f"{name}: solutions/{name}.ipynb is in sync")
        else:
            measured = _prove_validity(name, root, dist, zip_file, student_file, solution_nb, spec, validity_variants,
                                       log)
            _measure_patterns(name, root, zip_file, solution_nb, solution_text, log, measured=measured)
            if personal is not None:
                if spec is None:
                    log(f"{name}: has no variant.py, so every student gets the same notebook (no personal copies)")
                else:
                    _write_personal(master, spec, templates, cases, out_dir, personal, log)
            _replace_dir(out_dir, dist / name)
            solution_file.parent.mkdir(parents=True, exist_ok=True)
            solution_file.write_text(solution_text, encoding="utf-8")
            log(f"{name}: wrote {dist / name}/student/{name}.ipynb, {dist / name}/autograder/autograder.zip "
                f"and {solution_file}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return BuiltAssignment(name=name, student=project.student_notebook(dist, name),
                           autograder=project.autograder_zip(dist, name), solution=solutions / f"{name}.ipynb",
                           questions=len(master.questions), points=sum(q.points for q in master.questions))


def _otter_assign(master: Master, staging: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode, Path]:
    source_dir = staging / "source"
    source_dir.mkdir()
    nb = read_notebook(master.path)
    for cell in nb.cells:
        if cell.cell_type == "raw" and cell.source.lstrip().upper().startswith(ASSIGNMENT_CONFIG):
            config = dict(master.config, **CONFIG_OVERRIDES)
            cell.source = ASSIGNMENT_CONFIG + "\n" + yaml.safe_dump(config, sort_keys=True)
        elif cell.cell_type == "code":
            cell.source = _with_descriptions(cell.source, master)
    for extra in master.config.get("files") or []:
        src = master.path.parent / extra
        if not src.exists():
            raise BuildError(f"{master.path}: ASSIGNMENT CONFIG lists file {extra!r}, which does not exist "
                             f"next to the master; add it or remove it from 'files'")
        (shutil.copytree if src.is_dir() else shutil.copy2)(src, source_dir / extra)
    nbformat.write(nb, source_dir / master.path.name)
    out = staging / "otter"
    proc = subprocess.run(
        [sys.executable, "-m", "otter", "assign", "--no-run-tests", "--no-pdfs", master.path.name, str(out)],
        cwd=source_dir, capture_output=True, text=True,
    )
    zips = sorted((out / "autograder").glob("*.zip")) if (out / "autograder").is_dir() else []
    if proc.returncode != 0 or not zips:
        detail = "\n".join((proc.stderr + proc.stdout).strip().splitlines()[-15:])
        raise BuildError(f"{master.path}: Otter Assign failed (exit {proc.returncode}):\n{detail}")
    student = nbformat.read(out / "student" / master.path.name, as_version=4)
    autograder = nbformat.read(out / "autograder" / master.path.name, as_version=4)
    return student, autograder, zips[0]


def _setup_cell(master: Master, student_nb: nbformat.NotebookNode, cases: list[TestCase],
                params: dict | None) -> str:
    """The student copy's setup cell: the public tests Otter put in the metadata, what hidden tests check
    (their descriptions only, quoting the variant's parameters) and the packages to install when missing
    (selfcheck.py)."""
    return _setup_text(master, _setup_parts(master, student_nb, cases), params)


def _setup_parts(master: Master, student_nb: nbformat.NotebookNode, cases: list[TestCase]):
    tests = json.loads(json.dumps(embedded_tests(student_nb.metadata)))
    public = [c.code for c in cases if not c.hidden]
    return selfcheck.required_modules(student_nb, public, str(master.path)), tests, cases


def _setup_text(master: Master, parts, params: dict | None) -> str:
    modules, tests, cases = parts
    hidden: dict[str, list[str]] = {}
    for case in cases:
        if case.hidden:
            text = case.description
            if params is not None:
                try:
                    text = variantdraw.render(text, params, where=f"{master.path}: {case.question} test "
                                                                  f"{case.index + 1}'s description")
                except variantdraw.VariantProblem as exc:
                    raise BuildError(str(exc)) from None
            hidden.setdefault(case.question, []).append(text)
    return selfcheck.setup_source(master.name, modules, tests, hidden)


def _variant_spec(master: Master, folder: Path) -> variants.VariantSpec | None:
    """The assignment's variant.py (None when it has none), checked against the master's parameters cell."""
    spec = variants.load_spec(folder, master.name)
    if spec is None and master.parameters_cell is not None:
        raise BuildError(f"{master.path}: cell {master.parameters_cell + 1} is a '# PARAMETERS' cell, but there "
                         f"is no {folder / variants.VARIANT_FILE}; add one (docs/variants.md) or delete the cell")
    if spec is not None and master.parameters_cell is None:
        raise BuildError(f"{master.path}: {folder / variants.VARIANT_FILE} declares parameters, but the master has "
                         "no code cell starting with '# PARAMETERS' before its first question; add one")
    return spec


def _variant_files(spec: variants.VariantSpec | None) -> dict[str, bytes]:
    """What a variant assignment's zip carries so that every grader draws the same parameters."""
    if spec is None:
        return {}
    return {variants.ZIP_VARIANT_FILE: spec.source.encode("utf-8"),
            variants.ZIP_DRAW_FILE: Path(variantdraw.__file__).read_bytes()}


def _normalise(nb: nbformat.NotebookNode) -> None:
    """Clear outputs and give cells stable ids so the same master gives the same bytes."""
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index:03d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.nbformat, nb.nbformat_minor = 4, 5


def _contract(master: Master) -> dict[str, list[str]]:
    """For each autograded question, the student names its tests may see (Question.contract).

    A name that is also a builtin would let a notebook redefine what the tests mean by it (a ``range``
    that returns nothing), so the build refuses it."""
    contract = {}
    for question in master.auto_questions:
        clashes = [name for name in question.contract if hasattr(builtins, name)]
        if clashes:
            raise BuildError(f"{master.path}: question {question.name} asks students to define "
                             f"{', '.join(clashes)}, the name of a Python builtin its tests may also use; "
                             "rename it in the question, solution and tests")
        contract[question.name] = list(question.contract)
    return contract


def _repack_zip(source: Path, target: Path, *, contract: dict[str, list[str]],
                extra: dict[str, bytes] | None = None) -> None:
    """Copy Otter's zip with sorted entries and a fixed date (same input, same bytes), adding the
    question contract (testfiles.CONTRACT_FILE) that the local grader needs; Otter ignores the file."""
    entries = {}
    with zipfile.ZipFile(source) as src:
        for member in src.namelist():
            if not member.endswith("/"):
                entries[member] = src.read(member)
    entries[CONTRACT_FILE] = (json.dumps(contract, indent=1, sort_keys=True) + "\n").encode()
    entries.update(extra or {})
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in sorted(entries):
            info = zipfile.ZipInfo(member, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if member in ("run_autograder", "setup.sh") else 0o644
            info.external_attr = (0o100000 | mode) << 16
            dst.writestr(info, entries[member])


def _check_tests_match_master(master: Master, cases: list[TestCase]) -> None:
    by_key = {(c.question, c.index): c for c in cases}
    for question in master.auto_questions:
        for spec in question.tests:
            case = by_key.get((question.name, spec.index))
            if case is None or _normalised_code(case.code) != _normalised_code(spec.code) \
                    or case.hidden != spec.hidden or case.points != spec.points:
                raise BuildError(f"{master.path}: question {question.name} test {spec.index + 1} "
                                 f"({spec.description!r}) did not come through Otter Assign unchanged; "
                                 "check the test code and its TEST CONFIG")
    expected = sum(len(q.tests) for q in master.auto_questions)
    if len(cases) != expected:
        raise BuildError(f"{master.path}: the autograder has {len(cases)} test cases, the master {expected}")


def _normalised_code(code: str) -> str:
    return ast.unparse(ast.parse(code))


def _with_descriptions(source: str, master: Master) -> str:
    """Test cell source with ``failure_message`` set to the author's description.

    Otter Assign drops comments from test code, so the leading ``# description``
    comment is carried into the autograder as the case's failure message.
    """
    match = TEST_CONFIG.match(source)
    if not match:
        return source
    config = yaml.safe_load(match.group("yaml")) or {}
    code = source[match.end():]
    first = code.strip("\n").splitlines()[0].lstrip()
    config.setdefault("failure_message", first.lstrip("#").strip())
    return ('""" # BEGIN TEST CONFIG\n' + yaml.safe_dump(config, sort_keys=True, allow_unicode=True)
            + '""" # END TEST CONFIG\n' + code)


def strip_solution_markers(source: str) -> str:
    """Solution code without Otter's markers, and without its PROMPT blocks (what the student copy shows
    in place of the solution)."""
    lines, in_prompt = [], False
    for line in source.splitlines():
        if PROMPT_LINE.match(line):
            in_prompt = PROMPT_LINE.match(line).group(1) == "BEGIN"
            continue
        if not in_prompt and not SOLUTION_LINE.match(line):
            lines.append(SOLUTION_SUFFIX.sub("", line))
    return "\n".join(lines)


def reference_solution(master: Master, autograder_nb: nbformat.NotebookNode,
                       student_nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The student copy's layout with every answer filled in from the master.

    Each answer cell carries ``metadata.xent.question`` so mutants and
    alternative solutions can replace one question's answer.
    """
    ordered = []
    for question in master.questions:
        ordered += [(question.name, "code")] * len(question.solution_code)
        if question.manual:
            ordered.append((question.name, "markdown"))
    cells = []
    solution_cells = [c for c in autograder_nb.cells if SOLUTION_TAG in c.metadata.get("tags", [])]
    if len(solution_cells) != len(ordered):
        raise BuildError(f"{master.path}: Otter Assign produced {len(solution_cells)} solution cells, the master "
                         f"has {len(ordered)}; check the SOLUTION markers")
    owner_of = iter(ordered)
    for index, cell in enumerate(autograder_nb.cells):
        tags = cell.metadata.get("tags", [])
        nxt = autograder_nb.cells[index + 1] if index + 1 < len(autograder_nb.cells) else None
        if ANSWER_TAG in tags and nxt is not None and SOLUTION_TAG in nxt.metadata.get("tags", []):
            continue  # the manual answer placeholder, replaced by the model answer after it
        new = nbformat.v4.new_code_cell() if cell.cell_type == "code" else nbformat.NotebookNode(
            cell_type=cell.cell_type, metadata={}, source="")
        new.source = cell.source
        new.metadata = {k: v for k, v in cell.metadata.items() if k != "tags"}
        if tags:
            new.metadata["tags"] = [t for t in tags if t != SOLUTION_TAG]
            if not new.metadata["tags"]:
                del new.metadata["tags"]
        if SOLUTION_TAG in tags:
            question, kind = next(owner_of)
            new.metadata["xent"] = {"question": question}
            if kind == "code":
                new.source = strip_solution_markers(cell.source)
        cells.append(new)
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata = json.loads(json.dumps(student_nb.metadata))
    _normalise(nb)
    return nb


def verify_solution(master: Master, solution_nb: nbformat.NotebookNode, cases: list[TestCase], *,
                    workdir: Path) -> None:
    """Raise SolutionScoreError naming every test the reference solution fails."""
    cells = [source for _, source in code_cells(solution_nb)]
    result = run_locally(cells, cases, workdir=workdir)
    failures = [c for c in result.cases if not c.passed]
    problems = []
    for error in result.cell_errors:
        problems.append(f"cell {error['cell'] + 1} of the solution raised {error['error']}")
    for case in failures:
        spec = master.question(case.question).tests[case.index]
        problems.append(f"question {case.question}, test {case.index + 1} ({spec.description!r}): {case.message}")
    if problems:
        raise SolutionScoreError(f"{master.path}: assignment {master.name}: the reference solution does not earn "
                                 "full marks — " + "; ".join(problems) + ". Fix the solution or the test.")


def _prove_validity(name: str, root: Path, dist: Path, zip_file: Path, student_file: Path,
                    solution_nb: nbformat.NotebookNode, spec: variants.VariantSpec | None, count: int,
                    log: Callable[[str], None]) -> list[dict] | None:
    """A variant assignment's validity proof (autograder/validity.py) on *count* sampled variants, recorded
    beside the staged zip; returns the canonical variant's mutant patterns it measured on the way (None: not
    a variant assignment). A failed proof raises BuildError before anything in DIST is replaced."""
    if spec is None:
        return None
    from autograder.grading.runner import load_autograder  # the trusted side: only for a variant assignment
    from autograder.validity import RECORD_FILE, prove_or_reuse, write_record

    log(f"{name}: proving on {count} sampled variants that the grader tells right from wrong")
    proof = prove_or_reuse(load_autograder(zip_file, name), spec, solution_nb, read_notebook(student_file),
                           load_variants(project.mutants_dir(root, name), mutant=True),
                           load_variants(project.alternatives_dir(root, name), mutant=False), count=count,
                           previous=project.autograder_zip(dist, name).with_name(RECORD_FILE),
                           preload_files=(zip_file, student_file), origin=str(project.master_path(root, name)))
    write_record(zip_file.with_name(RECORD_FILE), proof)
    log(proof.describe())
    return proof.patterns


def _measure_patterns(name: str, root: Path, zip_file: Path, solution_nb: nbformat.NotebookNode,
                      solution_text: str, log: Callable[[str], None], measured: list[dict] | None = None) -> None:
    """Grade every mutant once, now, and keep what each fails beside the zip: every grading report of this
    build reads it instead of grading the mutants again (it depends only on the zip, solution and mutants).
    *measured*: the patterns the validity proof already measured on the canonical variant (same notebooks,
    same grader), kept instead of grading the mutants again."""
    from autograder.grading.runner import load_autograder  # the trusted side: only when there are mutants
    from autograder.patterns import measure_mutant_patterns, patterns_key, write_patterns

    mutants = load_variants(project.mutants_dir(root, name), mutant=True)
    if not mutants:
        return
    autograder = load_autograder(zip_file, name)
    if measured is not None:
        patterns = measured
    else:
        log(f"{name}: grading its {len(mutants)} mutants for the report's misconception labels")
        patterns = measure_mutant_patterns(autograder, solution_nb, mutants)
    write_patterns(zip_file.with_name(project.PATTERNS_FILE),
                   patterns_key(autograder, solution_text.encode("utf-8"), mutants), patterns)
    log(catch_share(name, list(autograder.cases), patterns).describe())


def _replace_dir(new: Path, target: Path) -> None:
    old = target.with_name(f".old-{target.name}")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _write_personal(master: Master, spec: variants.VariantSpec, templates, cases: list[TestCase], out_dir: Path,
                    personal, log: Callable[[str], None]) -> None:
    """One student notebook and one reference solution per roster student, drawn from HMAC(key, assignment,
    id), and variants.csv (id, tag, parameters) for the instructor. Written into the build's staging folder,
    so a failure leaves the previous build whole."""
    roster, key = personal
    student_template, solution_template = templates
    parts = _setup_parts(master, student_template, cases)
    students_dir, solutions_dir = out_dir / "students", out_dir / "solutions"
    table = [["id", "name", "tag", "parameters"]]
    for student in roster.students:
        params = spec.params_for(key, student.id)
        tag = variantdraw.tag(key, master.name, student.id)
        setup = _setup_text(master, parts, params)
        for template, target in ((student_template, students_dir / student.id / f"{master.name}.ipynb"),
                                 (solution_template, solutions_dir / f"{student.id}.ipynb")):
            nb = _light_copy(template)
            nb.cells[0]["source"] = setup
            variants.personalise(nb, params, assignment=master.name, student=student.id, tag=tag,
                                 origin=str(master.path))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(nbformat.v4.nbjson.writes(nb) + "\n", encoding="utf-8")
        table.append([student.id, student.name, tag, json.dumps(params, sort_keys=True)])
    first = roster.students[0].id
    audit_student_copy(master, students_dir / first / f"{master.name}.ipynb", cases, spec.params_for(key, first))
    atomic_write(out_dir / "variants.csv", csv_text(table))
    log(f"{master.name}: wrote {len(roster.students)} personal notebooks (students/<id>/{master.name}.ipynb), "
        f"their reference solutions (solutions/<id>.ipynb) and variants.csv (instructor only)")
    log(f"{master.name}: autograder/autograder.zip now holds the course key and the roster's ids, so that "
        "Gradescope can draw each student's numbers: upload it to Gradescope only and never share it")


def _light_copy(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of *nb* whose cells and metadata may be changed (outputs and attachments are shared)."""
    new = nbformat.NotebookNode(nb)
    new.metadata = copy.deepcopy(nb.metadata)
    new.cells = [nbformat.NotebookNode(cell) for cell in nb.cells]
    return new
