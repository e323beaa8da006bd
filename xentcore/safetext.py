"""Text from a submission made safe to write: valid Unicode everywhere, inert in spreadsheets.

A submission controls many strings that end up in files the grader writes: its file name, the messages of
the exceptions its code raises, the values a failing assertion quotes, its written answers. Any of them
may hold a lone surrogate (from a ``"\\ud800"`` escape in the notebook's JSON, a non-UTF-8 file name, or
student code building one), which UTF-8 cannot encode: writing it would fail, run after run. And a cell
that starts with ``=`` becomes a formula in every spreadsheet that opens the CSV.
"""

from __future__ import annotations

import csv
import io
import os
import re

# Characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def clean(text: str) -> str:
    """*text* with every lone surrogate replaced by U+FFFD, so it always encodes as UTF-8."""
    if not isinstance(text, str):
        text = str(text)
    return _SURROGATE.sub("\ufffd", text)


def clean_tree(value):
    """A JSON-like tree (dicts, lists, strings, numbers) with every string (and key) cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_tree(v) for v in value]
    return value


def file_name(name: str) -> str:
    """A file name as one line of text: bytes that are not UTF-8 (kept by Python as surrogate escapes) and
    control characters (a newline, a tab) are shown as ``\\xff``, so such names stay distinct, encode, and
    keep a gradebook row on one line."""
    try:
        text = os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:
        text = clean(name)
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def csv_cell(value) -> str:
    """A value written into a CSV cell: a text that a spreadsheet would run as a formula gets a leading
    apostrophe (which spreadsheets show as text); numbers, negative ones included, are kept as they are."""
    text = clean(value if isinstance(value, str) else str(value))
    if text.startswith(FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def csv_value(text: str) -> str:
    """What :func:`csv_cell` wrote, read back: the protecting apostrophe removed."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_START) and not _NUMBER.match(text[1:]):
        return text[1:]
    return text


def csv_text(rows) -> str:
    """CSV text for *rows* (lists of values), every cell through :func:`csv_cell`, "\\n" line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return buffer.getvalue()


def csv_records(handle) -> list[dict[str, str]]:
    """Rows of a CSV file (an open text handle) as dicts, cells through :func:`csv_value`."""
    return [{key: csv_value(value) if isinstance(value, str) else value for key, value in row.items()}
            for row in csv.DictReader(handle)]
