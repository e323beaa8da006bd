"""`autograder quiz build`: draw every template's variants into ``bank.json``.

The file is a pure function of the templates, the seed and the number of variants:
no timestamps, no absolute paths, keys in a fixed order, floats rounded.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from xentcore.errors import InputFileError, UsageError
from xentcore.files import atomic_write
from quizzes import sections
from quizzes.engine import PURPOSES, Template, discover_templates, draw, question_key
from quizzes.model import Item, item_from_json

BANK_FORMAT = "xent-lab quiz bank"
SCHEMA_VERSION = 2      # 2: the bank records its purpose (assessment or practice)
BANK_NAME = "bank.json"
BANK_NAMES = {"assessment": BANK_NAME, "practice": "practice_bank.json"}


@dataclass(frozen=True)
class BankSummary:
    """What ``build_bank`` wrote."""

    path: Path
    purpose: str
    seed: int
    variants: int
    items: int
    templates: int
    topics: dict[str, int]      # topic -> number of templates
    types: dict[str, int]       # question type -> number of items
    covered: int                # examinable sections with at least one template
    examinable: int

    def describe(self) -> str:
        topics = ", ".join(f"{topic} {n}" for topic, n in self.topics.items())
        types = ", ".join(f"{kind} {n}" for kind, n in self.types.items())
        return "\n".join([
            f"{self.purpose} quiz bank: {self.path}",
            f"  {self.items} items = {self.templates} templates x {self.variants} variants (seed {self.seed})",
            f"  templates per topic: {topics}",
            f"  items per type: {types}",
            f"  coverage: {self.covered} of {self.examinable} examinable sections, knowledge checks, formulas "
            f"and common mistakes of the unit (docs/quiz_coverage.md)",
        ])


def build_bank(*, out_dir: Path, seed: int = 0, variants: int = 5, purpose: str = "assessment",
               avoid: Path | None = None, templates_dir: Path | None = None) -> BankSummary:
    """Draw ``variants`` variants of every template with ``seed`` into ``out_dir/bank.json``
    (``practice_bank.json`` for a practice bank).

    ``purpose`` picks the seed stream: a practice bank draws from its own stream and, given the
    assessment bank as ``avoid``, redraws any question that bank holds. The same arguments give
    the same bytes. Raises UsageError for a negative seed, fewer than one variant or an unknown
    purpose, InputFileError for an unreadable ``avoid`` bank, and QuizTemplateError (naming the
    file) for a broken template.
    """
    if purpose not in PURPOSES:
        raise UsageError(f"--purpose {purpose}: unknown purpose; choose {' or '.join(PURPOSES)}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"--seed {seed}: the seed must be a whole number >= 0; pick e.g. --seed 0")
    if isinstance(variants, bool) or not isinstance(variants, int) or variants < 1:
        raise UsageError(f"--variants {variants}: need at least one variant per template; pick e.g. --variants 5")
    avoided = frozenset(question_key(item) for item in load_bank(avoid)[1]) if avoid is not None else frozenset()
    templates = discover_templates(templates_dir)
    items = draw_items(templates, seed=seed, variants=variants, purpose=purpose, avoid=avoided)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / BANK_NAMES[purpose]
    atomic_write(path, bank_json(templates, items, seed=seed, variants=variants, purpose=purpose))
    examinable = [key for key, section in sections.SECTIONS.items() if section.skip is None]
    return BankSummary(
        path=path, purpose=purpose, seed=seed, variants=variants, items=len(items), templates=len(templates),
        topics=dict(sorted(Counter(t.topic for t in templates).items())),
        types=dict(sorted(Counter(item.type for item in items).items())),
        covered=len(examinable) - len(sections.uncovered(items)), examinable=len(examinable),
    )


def draw_items(templates: Sequence[Template], *, seed: int, variants: int, purpose: str = "assessment",
               avoid: frozenset[str] = frozenset()) -> list[Item]:
    """All variants of all templates, with a progress bar when a person is watching stderr."""
    jobs = [(template, variant) for template in templates for variant in range(variants)]
    return [draw(template, seed=seed, variant=variant, purpose=purpose, avoid=avoid)
            for template, variant in _progress(jobs)]


def _progress(jobs: list) -> Iterable:
    if not sys.stderr.isatty():
        return jobs
    from tqdm import tqdm

    return tqdm(jobs, unit="variant", desc="quiz bank", file=sys.stderr, leave=False)


def bank_json(templates: Sequence[Template], items: Sequence[Item], *, seed: int, variants: int,
              purpose: str = "assessment") -> str:
    """The text of bank.json (schema: docs/quiz_bank.md): the header indented, then one item per line.

    One line per item keeps diffs between banks readable and lets json use its C encoder
    (indented output goes through the pure-Python one, several times slower).
    """
    header = {
        "format": BANK_FORMAT,
        "schema_version": SCHEMA_VERSION,
        "purpose": purpose,
        "seed": seed,
        "variants_per_template": variants,
        "templates": [{"id": t.id, "title": t.title, "topic": t.topic, "type": t.type, "points": t.points,
                       "tolerance": t.tolerance, "covers": list(t.covers), "source": t.source}
                      for t in templates],
    }
    head = json.dumps(header, indent=1, ensure_ascii=False, allow_nan=False)[:-2]   # reopen the object
    lines = [json.dumps(item.to_json(), ensure_ascii=False, allow_nan=False) for item in items]
    return head + ',\n "items": [\n' + ",\n".join(lines) + "\n ]\n}\n"


def load_bank(path: Path) -> tuple[dict, list[Item]]:
    """Read a bank.json back: its header fields and its items as ``Item`` objects."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputFileError(f"{path}: no such quiz bank; build one with `autograder quiz build -o DIR`") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputFileError(f"{path}: not a readable JSON quiz bank ({exc}); rebuild it with "
                             "`autograder quiz build`") from exc
    if not isinstance(data, dict) or data.get("format") != BANK_FORMAT:
        raise InputFileError(f"{path}: not an xent-lab quiz bank (no \"format\": \"{BANK_FORMAT}\"); "
                             "pass the bank.json written by `autograder quiz build`")
    if data.get("schema_version") != SCHEMA_VERSION:
        raise InputFileError(f"{path}: schema version {data.get('schema_version')!r}, this version reads "
                             f"{SCHEMA_VERSION}; rebuild the bank with this version")
    if data.get("purpose") not in PURPOSES:
        raise InputFileError(f"{path}: \"purpose\" is {data.get('purpose')!r}, not assessment or practice; rebuild "
                             "the bank with `autograder quiz build`")
    try:
        items = [item_from_json(entry) for entry in data["items"]]
    except (KeyError, TypeError) as exc:
        raise InputFileError(f"{path}: an item lacks a field ({exc}); rebuild the bank") from exc
    header = {key: value for key, value in data.items() if key != "items"}
    return header, items
