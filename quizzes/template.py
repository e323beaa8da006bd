"""A loaded quiz template: its file, its module and its checked META.

This module sits below ``quizzes.checks`` and ``quizzes.engine``: checks judge what a
``Template`` returns and the engine loads and draws them, so neither has to import the other
backwards.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from xentcore.errors import QuizTemplateError


def stable_hash(text: str) -> int:
    """A 64-bit integer from ``text`` that is the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def shown(path: Path) -> str:
    """A path as the user should see it: relative to the current folder when it is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Template:
    """One loaded template file and its checked META."""

    path: Path
    module: ModuleType
    id: str
    title: str
    topic: str
    type: str
    points: float
    covers: tuple[str, ...]
    tolerance: float | None
    n_choices: int | None
    n_correct: tuple[int, int] | None

    @property
    def where(self) -> str:
        return shown(self.path)

    @property
    def source(self) -> str:
        return f"{self.topic}/{self.path.name}"

    @functools.cached_property
    def seed_key(self) -> int:
        return stable_hash(self.id)

    def has(self, name: str) -> bool:
        return callable(getattr(self.module, name, None))

    def call(self, name: str, *args: Any, context: str = "") -> Any:
        """Run one of the template's functions; any failure becomes a QuizTemplateError naming the file."""
        function: Callable = getattr(self.module, name)
        try:
            return function(*args)
        except Exception as exc:  # template code is arbitrary: name the file instead of a bare traceback
            raise QuizTemplateError(
                f"{self.where}: {name}() raised {type(exc).__name__}: {exc}{context}. Fix {name}() in that "
                f"file; `autograder quiz validate {self.id}` stress-tests it over many seeds") from exc

    def fail(self, problem: str, fix: str) -> QuizTemplateError:
        return QuizTemplateError(f"{self.where}: {problem}; {fix}")
