"""Per-student variants: an assignment's ``variant.py``, the roster, the key file, and whose a submission is.

The arithmetic (HMAC seeds and tags, drawing, rendering ``{{ name }}``) is in :mod:`autograder.variantdraw`,
which the Gradescope zip carries verbatim. This module adds what only the instructor's machine does: loading
``assignments/<name>/variant.py`` (or its copy inside an autograder zip), reading the roster and the key file
with clear errors, and finding a submission's student (Canvas download name, folder or file name, variant tag).
See docs/variants.md for the author's and the instructor's side.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Callable

from autograder import variantdraw
from autograder.variantdraw import VariantProblem
from xentcore.errors import InputFileError, UsageError, XentError

VARIANT_FILE = "variant.py"
ZIP_VARIANT_FILE = "xent_variant.py"  # the assignment's variant.py, inside the autograder zip
ZIP_DRAW_FILE = "xent_variantdraw.py"  # variantdraw.py, inside the autograder zip
MIN_KEY_BYTES = 16
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,99}$")
# Canvas "Download submissions": name_<userid>_<submissionid>_<original file name>, LATE after the name.
CANVAS_NAME = re.compile(r"^(?P<name>[^_]+)_(?:LATE_)?(?P<user>\d+)_(?P<submission>\d+)_(?P<file>.+)$")
ID_COLUMNS = ("id", "student_id", "student id")  # our roster; Canvas's gradebook export calls it "ID"
CANVAS_SKIP = ("points possible", "test student", "student, test")  # Canvas rows that are no student


class VariantError(XentError):
    """A variant.py, roster or key file that cannot be used."""

    kind = "variant"


@dataclass(frozen=True)
class VariantSpec:
    """An assignment's parameters: ``generate(rng)``, ``check(params)`` and the canonical variant."""

    assignment: str
    source: str  # the text of variant.py (the build copies it into the zip)
    origin: str
    generate: Callable
    check: Callable
    canonical: dict

    def params_for(self, key: bytes, student: str) -> dict:
        try:
            return variantdraw.draw(self.generate, self.check, variantdraw.seed(key, self.assignment, student))
        except VariantProblem as exc:
            raise VariantError(f"{self.origin}: student {student}: {exc}") from None

    def sample(self, count: int, *, salt: str = "validity") -> list[dict]:
        """*count* variants drawn from a fixed, public seed (the build's validity proof), canonical first."""
        key = f"xent-sample-{salt}".encode()
        return [self.canonical] + [self.params_for(key, f"sample-{index}") for index in range(1, count)]


def load_spec_text(source: str, assignment: str, origin: str) -> VariantSpec:
    """A VariantSpec from the text of a variant.py (trusted: written by the course's authors)."""
    module = ModuleType(f"xent_variant_{assignment}")
    module.__file__ = origin
    try:
        exec(compile(source, origin, "exec"), module.__dict__)  # noqa: S102 - the author's own file
    except Exception as exc:  # noqa: BLE001 - report any failure of the author's file by name
        raise VariantError(f"{origin}: cannot be loaded ({type(exc).__name__}: {exc})") from None
    missing = [name for name in ("generate", "check", "CANONICAL") if not hasattr(module, name)]
    if missing:
        raise VariantError(f"{origin}: defines no {', '.join(missing)}; a variant.py needs generate(rng), "
                           "check(params) and CANONICAL (the variant built without a roster)")
    try:
        canonical = variantdraw.validate(module.CANONICAL)
        module.check(canonical)
    except VariantProblem as exc:
        raise VariantError(f"{origin}: CANONICAL: {exc}") from None
    except ValueError as exc:
        raise VariantError(f"{origin}: check(params) rejects CANONICAL ({exc}); fix one or the other") from None
    return VariantSpec(assignment=assignment, source=source, origin=origin, generate=module.generate,
                       check=module.check, canonical=canonical)


def load_spec(assignment_dir: Path, assignment: str) -> VariantSpec | None:
    """``<assignment_dir>/variant.py`` loaded, or None for an assignment without variants."""
    path = Path(assignment_dir) / VARIANT_FILE
    if not path.is_file():
        return None
    return load_spec_text(path.read_text(encoding="utf-8"), assignment, str(path))


def spec_from_zip(zip_path: Path, assignment: str) -> VariantSpec | None:
    """The variant spec a build stored in its autograder zip (None: not a variant assignment)."""
    with zipfile.ZipFile(zip_path) as archive:
        if ZIP_VARIANT_FILE not in archive.namelist():
            return None
        source = archive.read(ZIP_VARIANT_FILE).decode("utf-8")
    return load_spec_text(source, assignment, f"{zip_path}:{ZIP_VARIANT_FILE}")


# ---------------------------------------------------------------- key file

def read_key(path: Path | None) -> bytes:
    """The variant key in *path*: its text, stripped (hex from `autograder keygen`, or any passphrase)."""
    if path is None:
        raise UsageError("grading or building per-student variants needs --key-file KEY as well as --roster; "
                         "create a key once with `autograder keygen KEY` and keep it private")
    path = Path(path)
    if not path.is_file():
        raise VariantError(f"{path}: no key file there; create one with `autograder keygen {path}` (once per "
                           "course: keep it, private, for building and for grading)")
    key = path.read_bytes().strip()
    if not key:
        raise VariantError(f"{path}: the key file is empty; create a key with `autograder keygen {path}`")
    if len(key) < MIN_KEY_BYTES:
        raise VariantError(f"{path}: the key is {len(key)} bytes; use at least {MIN_KEY_BYTES} "
                           f"(`autograder keygen {path}` writes 64 hex digits)")
    return key


def write_new_key(path: Path) -> None:
    """A new random key at *path* (mode 0600); an existing key is never overwritten."""
    path = Path(path)
    if path.exists():
        raise VariantError(f"{path} already exists; a course keeps one key (a new key gives every student new "
                           "numbers). Remove it yourself if you really mean to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="ascii", opener=lambda p, flags: __import__("os").open(p, flags, 0o600)) as out:
        out.write(secrets.token_hex(32) + "\n")


# ---------------------------------------------------------------- roster

@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    email: str = ""
    sis_id: str = ""


@dataclass
class Roster:
    path: str
    students: list[Student]
    by_id: dict[str, Student] = field(default_factory=dict)
    by_alias: dict[str, Student] = field(default_factory=dict)  # SIS id and email, lower-cased

    def find(self, value: str) -> Student | None:
        """The student whose id, SIS id or email is *value*."""
        value = str(value).strip()
        return self.by_id.get(value) or self.by_alias.get(value.lower())


def _column(header: list[str], *names: str) -> str | None:
    lowered = {h.strip().lower(): h for h in header if h is not None}
    for name in names:
        if name in lowered:
            return lowered[name]
    return None


def read_roster(path: Path) -> Roster:
    """The roster CSV: an ``id`` column (or Canvas's gradebook export, whose ``ID`` column is the Canvas
    user id), and optionally ``name`` / ``Student``, ``email`` / ``SIS Login ID``, ``SIS User ID``."""
    path = Path(path)
    if not path.is_file():
        raise VariantError(f"{path}: no roster there; give a CSV with an `id` column (docs/variants.md)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError) as exc:
        raise VariantError(f"{path}: cannot read the roster ({exc}); save it as UTF-8 CSV") from None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    id_column = _column(header, *ID_COLUMNS)
    if id_column is None:
        shown = ", ".join(repr(h) for h in header[:8]) or "none"
        raise VariantError(f"{path}: the roster has no id column (its columns: {shown}); add a column named "
                           "`id` with one student id per row, or use Canvas's gradebook export (column `ID`)")
    name_column = _column(header, "name", "student")
    email_column = _column(header, "email", "e-mail", "sis login id")
    sis_column = _column(header, "sis user id", "sis_id", "sid")
    students: list[Student] = []
    seen: dict[str, int] = {}
    problems: list[str] = []
    for line, row in enumerate(reader, start=2):
        value = (row.get(id_column) or "").strip()
        name = (row.get(name_column) or "").strip() if name_column else ""
        if name.lower() in CANVAS_SKIP or (not value and name.lower().startswith(CANVAS_SKIP)):
            continue  # Canvas's "Points Possible" row and its test student
        if not value and not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue  # a blank line
        if not STUDENT_ID.match(value):
            problems.append(f"line {line}: id {value!r} is empty or has characters other than letters, digits "
                            "and . _ @ + -")
            continue
        if value in seen:
            problems.append(f"line {line}: id {value} is also on line {seen[value]}")
            continue
        seen[value] = line
        students.append(Student(id=value, name=name,
                                email=(row.get(email_column) or "").strip() if email_column else "",
                                sis_id=(row.get(sis_column) or "").strip() if sis_column else ""))
    if problems:
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        raise VariantError(f"{path}: " + "; ".join(problems[:10]) + more + ". Each student needs one row with a "
                           "unique id; fix those rows")
    if not students:
        raise VariantError(f"{path}: the roster lists no students")
    roster = Roster(path=str(path), students=students, by_id={s.id: s for s in students})
    for student in students:
        for alias in (student.sis_id, student.email):
            if alias and alias.lower() not in roster.by_id:
                roster.by_alias.setdefault(alias.lower(), student)
    return roster


# ---------------------------------------------------------------- whose submission

@dataclass(frozen=True)
class Identity:
    """Whose a submission is, and what its notebook claims."""

    student: Student | None  # the owner (None: not on the roster or not found)
    how: str  # "canvas file name", "folder name", "file name", "variant tag", or "" when not found
    claimed: str = ""  # the student id in the notebook's variant tag ("" when it has none)
    tag_valid: bool | None = None  # None: no tag
    detail: str = ""

    @property
    def mismatch(self) -> bool:
        """The notebook carries another student's (genuine) variant tag."""
        return bool(self.student and self.claimed and self.tag_valid and self.claimed != self.student.id)


def notebook_tag(metadata) -> tuple[str, str, str] | None:
    """(assignment, student, tag) of a notebook's variant tag, or None."""
    section = metadata.get(variantdraw.METADATA_KEY) if isinstance(metadata, dict) else None
    variant = section.get("variant") if isinstance(section, dict) else None
    if not isinstance(variant, dict):
        return None
    values = tuple(variant.get(k) for k in ("assignment", "student", "tag"))
    if not all(isinstance(v, str) for v in values):
        return None
    return tuple(v[:100] for v in values)  # a hostile notebook's "student id" is kept short everywhere


def identify(path: Path, metadata, roster: Roster, key: bytes, assignment: str) -> Identity:
    """The owner of submission *path*: from a Canvas download name, else the folder or file name when it is a
    roster id, else the notebook's variant tag (only when its HMAC is right)."""
    path = Path(path)
    owner, how = None, ""
    canvas = CANVAS_NAME.match(path.name)
    if canvas:
        owner, how = roster.find(canvas.group("user")), "canvas file name"
        if owner is None:
            return Identity(None, how, detail=f"Canvas user id {canvas.group('user')} from the file name is not "
                                              "on the roster")
    if owner is None and path.parent.name in roster.by_id:
        owner, how = roster.by_id[path.parent.name], "folder name"
    if owner is None and path.stem in roster.by_id:
        owner, how = roster.by_id[path.stem], "file name"
    claimed, valid = "", None
    found = notebook_tag(metadata)
    if found is not None:
        _, claimed, claimed_tag = found
        valid = found[0] == assignment and variantdraw.tag_is_valid(key, assignment, claimed, claimed_tag)
    if owner is None and claimed:
        if not valid:
            return Identity(None, "", claimed, False, detail=f"its variant tag for student {claimed[:100]} fails "
                                                              "its check (an edited tag, or another key)")
        owner, how = roster.by_id.get(claimed), "variant tag"
        if owner is None:
            return Identity(None, "variant tag", claimed, True,
                            detail=f"its variant tag names student {claimed[:100]}, who is not on the roster")
    if owner is None:
        return Identity(None, "", claimed, valid, detail="no roster id in its file or folder name and no "
                                                         "variant tag in the notebook")
    return Identity(owner, how, claimed, valid)


# ---------------------------------------------------------------- notebooks

def personalise(nb, params: dict, *, assignment: str, student: str | None = None, tag: str | None = None,
                origin: str = "notebook") -> None:
    """Make *nb* (a copy of the student notebook or reference solution, still holding ``{{ name }}``
    placeholders) the variant *params*: Markdown rendered, the parameters cell written, and for a student
    their variant tag in ``metadata.xent.variant``."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and "{{" in cell.source:
            try:
                cell.source = variantdraw.render(cell.source, params, where=f"{origin}: cell {index + 1}")
            except VariantProblem as exc:
                raise VariantError(str(exc)) from None
        elif cell.cell_type == "code" and variantdraw.is_parameters_cell(cell.source):
            cell.source = variantdraw.parameters_source(params, student=student)
    if student is not None:
        section = nb.metadata.setdefault(variantdraw.METADATA_KEY, {})
        section["variant"] = {"assignment": assignment, "student": student, "tag": tag or ""}
