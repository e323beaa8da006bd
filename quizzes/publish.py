"""`autograder quiz build --export`: the assessment bank, a separate practice bank, and their exports.

The LMS files (moodle.xml, quiz.gift, canvas_qti.zip) come from the assessment bank, bank.json.
practice.html shows every answer and worked solution, so it comes from practice_bank.json: drawn
from the practice seed stream and redrawn wherever it would repeat a question of the assessment
bank, so handing out the practice page never leaks the graded quiz.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from quizzes.bank import BankSummary, build_bank
from quizzes.exporters import FORMATS, PURPOSE_OF, export_bank, parse_formats


def build_quiz(*, out_dir: Path, seed: int = 0, variants: int = 5,
               formats: Iterable[str] | str | None = None) -> tuple[list[BankSummary], list[Path]]:
    """Build the assessment bank (and, when html is asked, the practice bank) and export ``formats``.

    ``formats`` None builds the assessment bank only. Returns the banks' summaries and the exported
    files in the order asked for.
    """
    chosen = parse_formats(formats, option="--export") if formats is not None else []
    out_dir = Path(out_dir)
    assessment = build_bank(out_dir=out_dir, seed=seed, variants=variants, purpose="assessment")
    summaries = [assessment]
    written: list[Path] = []
    lms = [name for name in chosen if PURPOSE_OF[name] == "assessment"]
    if lms:
        written += export_bank(assessment.path, out_dir=out_dir, formats=lms)
    if "html" in chosen:
        practice = build_bank(out_dir=out_dir, seed=seed, variants=variants, purpose="practice",
                              avoid=assessment.path)
        summaries.append(practice)
        written += export_bank(practice.path, out_dir=out_dir, formats=["html"])
    order = {name: i for i, name in enumerate(chosen)}
    return summaries, sorted(written, key=lambda path: order[_format_of(path)])


def _format_of(path: Path) -> str:
    return next(name for name, (file_name, _) in FORMATS.items() if file_name == path.name)
