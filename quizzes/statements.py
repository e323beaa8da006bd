"""Choice items drawn from a pool of statements: some true, some false, each false one tagged.

A template keeps its statements as data and lets the pool pick which appear in a variant;
the option values are the statements' keys, so oracles can judge each statement on its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from quizzes import sampling as sm


@dataclass(frozen=True)
class StatementPool:
    true: Mapping[str, str]                   # key -> statement (Markdown + LaTeX)
    false: Mapping[str, tuple[str, str]]      # key -> (statement, the misconception that makes it tempting)

    def draw(self, rng: np.random.Generator, *, shown: int, true_counts: tuple[int, int]) -> dict[str, list[str]]:
        """Params naming ``shown`` statements, between ``true_counts`` of them true."""
        n_true = sm.integer(rng, *true_counts)
        return {"true": sm.sample(rng, sorted(self.true), n_true),
                "false": sm.sample(rng, sorted(self.false), shown - n_true)}

    def correct(self, params: dict) -> list[str]:
        return list(params["true"])

    def wrong(self, params: dict) -> list[tuple[str, str]]:
        return [(key, self.false[key][1]) for key in params["false"]]

    def text(self, key: str) -> str:
        return self.true[key] if key in self.true else self.false[key][0]

    def template_functions(self):
        """``solve``, ``distractors`` and ``choice_text`` for a multi template whose params come from ``draw``."""
        return (lambda params: self.correct(params), lambda params: self.wrong(params),
                lambda value, params: self.text(value))
