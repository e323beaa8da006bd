"""`autograder quiz export`: a bank.json to Moodle XML, GIFT, a Canvas QTI 1.2 zip and an offline practice page.

``export_bank(bank, out_dir=DIR, formats=[...])`` writes, for the formats asked for,

- ``DIR/moodle.xml``      (``moodle``)  Moodle XML, one question category per template;
- ``DIR/quiz.gift``       (``gift``)    the same questions in Moodle's GIFT text format;
- ``DIR/canvas_qti.zip``  (``canvas``)  a Canvas QTI 1.2 package, one question group per template;
- ``DIR/practice.html``   (``html``)    a self-contained practice page for students.

The same bank always gives the same bytes (no timestamps, fixed zip dates). Every format is
rendered before any file is written, so a failure leaves earlier exports untouched. The design
choices (grades, escaping, number handling) are documented in docs/quiz_exports.md.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path

from xentcore.errors import ExportError, UsageError
from quizzes.bank import BANK_NAME, load_bank
from quizzes.exporters import canvas, gift, moodle, practice
from quizzes.exporters.common import Bank, make_bank, write_atomically

# format name -> (file name, renderer)
FORMATS: dict[str, tuple[str, Callable[[Bank], bytes]]] = {
    "moodle": ("moodle.xml", moodle.render),
    "gift": ("quiz.gift", gift.render),
    "canvas": ("canvas_qti.zip", canvas.render),
    "html": ("practice.html", practice.render),
}
ALIASES = {"xml": "moodle", "moodle-xml": "moodle", "qti": "canvas", "practice": "html"}
# Which bank each format is for. practice.html shows every answer and worked solution, so it must never
# come from the bank the graded quiz is drawn from; LMS files from a practice bank would grade students
# on questions they may have seen answered.
PURPOSE_OF = {"moodle": "assessment", "gift": "assessment", "canvas": "assessment", "html": "practice"}


def parse_formats(formats: Iterable[str] | str | None, *, option: str = "--format") -> list[str]:
    """The format names asked for, checked and without repeats; None or "all" means every format.

    ``option`` is the command-line option the names came from, for the error message.
    """
    if formats is None:
        return list(FORMATS)
    if isinstance(formats, str):
        formats = formats.split(",")
    chosen: list[str] = []
    for raw in formats:
        name = raw.strip().lower()
        if not name:
            continue
        if name == "all":
            return list(FORMATS)
        name = ALIASES.get(name, name)
        if name not in FORMATS:
            close = difflib.get_close_matches(name, list(FORMATS) + list(ALIASES), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"{option} {raw.strip()!r}: unknown export format{hint}; choose from "
                             f"{', '.join(FORMATS)} or all, comma-separated (e.g. {option} moodle,gift)")
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise UsageError(f"no export format given; pass e.g. {option} {','.join(FORMATS)}")
    return chosen


def load(bank: Path) -> Bank:
    """Read and check a bank.json (or the folder holding one)."""
    path = Path(bank)
    if path.is_dir():
        path = path / BANK_NAME
    header, items = load_bank(path)
    return make_bank(path, header, items)


def render(bank: Bank, formats: Iterable[str] | str | None = None) -> dict[str, bytes]:
    """File name -> bytes for each format asked for."""
    return {FORMATS[name][0]: FORMATS[name][1](bank) for name in parse_formats(formats)}


def formats_for(purpose: str) -> list[str]:
    return [name for name in FORMATS if PURPOSE_OF[name] == purpose]


def export_bank(bank: Path, *, out_dir: Path, formats: Iterable[str] | str | None = None,
                force: bool = False) -> list[Path]:
    """Export the bank at ``bank`` into ``out_dir``; return the paths written, in the order asked for.

    ``formats`` None means the formats of the bank's purpose: moodle, gift and canvas for an
    assessment bank, html for a practice bank. Asking for a format of the other purpose is refused
    (ExportError) unless ``force``. Raises UsageError for an unknown format, InputFileError for a
    missing or unreadable bank and ExportError for a bank that breaks the item model or cannot be
    expressed in a format.
    """
    chosen = parse_formats(formats) if formats is not None else None   # before reading anything: a typo fails fast
    loaded = load(bank)
    if chosen is None:
        chosen = formats_for(loaded.purpose)
    wrong = [name for name in chosen if PURPOSE_OF[name] != loaded.purpose]
    if wrong and not force:
        raise ExportError(_refusal(loaded, wrong))
    try:
        files = render(loaded, chosen)
    except ExportError as exc:
        raise ExportError(f"{loaded.path}: {exc}") from exc
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir}: exists and is not a folder; pass a folder to -o")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{out_dir}: cannot create the output folder ({exc.strerror or exc}); choose another -o") \
            from exc
    written = []
    for name, data in files.items():
        path = out_dir / name
        write_atomically(path, data)
        written.append(path)
    return written


def _refusal(bank: Bank, formats: list[str]) -> str:
    files = ", ".join(FORMATS[name][0] for name in formats)
    if bank.purpose == "assessment":
        return (f"{bank.path}: an assessment bank (the graded quiz's questions); {files} would show students its "
                "answers and worked solutions. Export the practice bank instead (`autograder quiz build -o DIR "
                "--export all` writes practice_bank.json and practice.html from a separate seed stream), or pass "
                "--force if this bank will never be graded")
    return (f"{bank.path}: a practice bank (students may have seen its answers); {files} would grade them on "
            "those questions. Export the assessment bank (bank.json) instead, or pass --force if that is intended")
