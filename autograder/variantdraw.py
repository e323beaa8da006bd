"""A student's own numbers: from (key, assignment, student id) to the parameters of their variant.

This module needs only the standard library and numpy, and imports nothing of xent-lab: the build copies it
verbatim into a variant assignment's autograder zip, where Gradescope's copy of the grader computes the same
parameters as the local grader (docs/variants.md).

- ``seed``: HMAC-SHA256(key, "xent-variant", assignment, student id). Reproducible by whoever holds the key,
  unguessable without it, and independent of the notebook's content.
- ``tag``: a second, shorter HMAC written into the student's notebook (``metadata.xent.variant``), so a
  submission says whose variant it is and the grader can tell a genuine tag from an edited one.
- ``draw``: the variant's parameters: ``generate(rng)`` with a generator seeded from ``seed``, redrawn (from the
  same stream, so still reproducible) until ``check(params)`` accepts them.
"""

from __future__ import annotations

import hashlib
import hmac
import keyword
import math
import re

PARAMS_NAME = "PARAMS"  # the name under which tests read the parameters (the grader provides it)
PARAMETERS_MARKER = "# PARAMETERS"  # first line of the master's parameters cell
METADATA_KEY = "xent"  # notebook metadata: {"variant": {"assignment", "student", "tag"}}
MAX_DRAWS = 1000
PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?::(?P<spec>[^{}]*?))?\s*\}\}")


class VariantProblem(ValueError):
    """A variant that cannot be drawn or rendered (the caller wraps it in its own error)."""


def _mac(key: bytes, *parts: str) -> bytes:
    message = b"\0".join(part.encode("utf-8") for part in parts)
    return hmac.new(key, message, hashlib.sha256).digest()


def seed(key: bytes, assignment: str, student: str) -> int:
    """The seed of *student*'s variant of *assignment* (a 256-bit integer)."""
    return int.from_bytes(_mac(key, "xent-variant", assignment, student), "big")


def tag(key: bytes, assignment: str, student: str) -> str:
    """The variant tag written into *student*'s notebook: 20 hex digits of an HMAC."""
    return _mac(key, "xent-tag", assignment, student).hex()[:20]


def tag_is_valid(key: bytes, assignment: str, student: str, claimed: str) -> bool:
    return isinstance(claimed, str) and hmac.compare_digest(tag(key, assignment, student), claimed)


def plain(value, where: str = "params"):
    """*value* as plain JSON-like Python data (numpy scalars and arrays become numbers and lists).

    Raises VariantProblem for anything else, and for NaN or infinite floats."""
    import numpy as np  # here, not at the top: the grading command imports this module before numpy

    if isinstance(value, np.ndarray):
        return plain(value.tolist(), where)
    if isinstance(value, np.generic):
        return plain(value.item(), where)
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise VariantProblem(f"{where} is {value}; parameters must be finite numbers")
        return value
    if isinstance(value, (list, tuple)):
        return [plain(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if not isinstance(name, str):
                raise VariantProblem(f"{where} has the key {name!r}; keys must be strings")
            out[name] = plain(item, f"{where}[{name!r}]")
        return out
    raise VariantProblem(f"{where} is a {type(value).__name__}; parameters must be numbers, strings, "
                         "booleans, or lists and dicts of them")


def validate(params) -> dict:
    """The parameters as plain data, their names checked: identifiers that a notebook can bind."""
    if not isinstance(params, dict) or not params:
        raise VariantProblem("generate(rng) must return a non-empty dict of parameters")
    for name in params:
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name) \
                or name.startswith("_") or name == PARAMS_NAME:
            raise VariantProblem(f"parameter name {name!r} is not a plain Python identifier "
                                 f"(no leading underscore, not {PARAMS_NAME})")
    return plain(params)


def draw(generate, check, seed_value: int) -> dict:
    """The first draw of ``generate`` that ``check`` accepts (check raises ValueError to reject one)."""
    import numpy as np

    rng = np.random.default_rng(seed_value)
    reasons: list[str] = []
    for _ in range(MAX_DRAWS):
        params = validate(generate(rng))
        try:
            check(params)
        except ValueError as exc:
            if len(reasons) < 3:
                reasons.append(str(exc))
            continue
        return params
    raise VariantProblem(f"check(params) rejected {MAX_DRAWS} draws in a row (for example: "
                         f"{'; '.join(reasons)}); make generate(rng) draw valid parameters more often")


def parameters_source(params: dict, *, student: str | None = None) -> str:
    """The source of the notebook's parameters cell: one assignment per parameter, then PARAMS."""
    whose = f"student {student}'s own numbers" if student else "the numbers of this assignment"
    lines = [f"{PARAMETERS_MARKER}: {whose}. Do not edit this cell: the grader runs your notebook with the",
             "# numbers it issued you, whatever this cell says."]
    lines += [f"{name} = {params[name]!r}" for name in params]
    lines.append(f"{PARAMS_NAME} = {{{', '.join(f'{name!r}: {name}' for name in params)}}}")
    return "\n".join(lines)


def is_parameters_cell(source: str) -> bool:
    return source.lstrip().startswith(PARAMETERS_MARKER)


def display(value, spec: str | None = None) -> str:
    """A parameter as text: with a format spec when given (``{{ p:.3f }}``), lists elementwise."""
    if isinstance(value, list):
        return "[" + ", ".join(display(item, spec) for item in value) + "]"
    if spec:
        return format(value, spec)
    return str(value)


def render(text: str, params: dict, *, where: str = "text") -> str:
    """*text* with every ``{{ name }}`` or ``{{ name:spec }}`` replaced by the parameter's value."""
    def one(match: re.Match) -> str:
        name = match.group("name")
        if name not in params:
            raise VariantProblem(f"{where} refers to {{{{ {name} }}}}, which is not a parameter "
                                 f"(parameters: {', '.join(sorted(params))})")
        try:
            return display(params[name], match.group("spec"))
        except (TypeError, ValueError) as exc:
            raise VariantProblem(f"{where}: {{{{ {match.group(0)[2:-2].strip()} }}}} cannot be formatted ({exc})") \
                from None
    return PLACEHOLDER.sub(one, text)


def unfilled(text: str) -> str:
    """*text* with each placeholder shown by name, ``⟨flips⟩``: a master's prompt or model answer as the
    instructor reads it beside many students' numbers."""
    return PLACEHOLDER.sub(lambda match: f"⟨{match.group('name')}⟩", text)


def numbers_line(params: dict | None) -> str:
    """'flips = 'HTH', heads = 2' (empty without parameters)."""
    return ", ".join(f"{name} = {value!r}" for name, value in (params or {}).items())
