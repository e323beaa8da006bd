"""Random draws for ``generate(rng)``: readable, rounded parameters from a NumPy Generator.

Parameters are rounded when drawn so that the question shows exactly the numbers
the answer is computed from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

import numpy as np

T = TypeVar("T")


def integer(rng: np.random.Generator, lo: int, hi: int) -> int:
    """An integer in [lo, hi], both ends included."""
    return int(rng.integers(lo, hi + 1))


def pick(rng: np.random.Generator, options: Sequence[T]) -> T:
    return options[int(rng.integers(len(options)))]


def sample(rng: np.random.Generator, options: Sequence[T], n: int) -> list[T]:
    """``n`` distinct options in random order."""
    return [options[int(i)] for i in rng.permutation(len(options))[:n]]   # permutation: 4x faster than choice


def coin(rng: np.random.Generator) -> bool:
    return bool(rng.integers(2))


def uniform(rng: np.random.Generator, lo: float, hi: float, decimals: int) -> float:
    return round(float(rng.uniform(lo, hi)), decimals)


def distribution(rng: np.random.Generator, k: int, *, grid: int = 20, floor: int = 1,
                 concentration: float = 1.0) -> list[float]:
    """A probability vector on ``k`` outcomes in steps of 1/grid, each at least floor/grid."""
    return [round(c / grid, 6) for c in counts(rng, k, grid, floor=floor, concentration=concentration)]


def counts(rng: np.random.Generator, k: int, total: int, *, floor: int = 1,
           concentration: float = 1.0) -> list[int]:
    """``k`` random whole numbers, each at least ``floor``, adding up to ``total``."""
    free = total - k * floor
    if concentration == 1.0:
        # stars and bars: k - 1 cuts among free + k - 1 slots give every composition the same chance,
        # as a flat Dirichlet-multinomial does, at a quarter of the cost
        cuts = sorted(int(c) for c in rng.permutation(free + k - 1)[:k - 1])
        edges = [-1] + cuts + [free + k - 1]
        return [floor + edges[i + 1] - edges[i] - 1 for i in range(k)]
    return [floor + int(c) for c in rng.multinomial(free, rng.dirichlet([concentration] * k))]


def grid_values(rng: np.random.Generator, k: int, lo: float, hi: float, step: float) -> list[float]:
    """``k`` distinct values from lo, lo + step, ..., hi (logits, scores, data points)."""
    n = int(round((hi - lo) / step)) + 1
    return [round(lo + int(i) * step, 6) for i in rng.permutation(n)[:k]]


def sequence(rng: np.random.Generator, length: int, ones: int) -> list[int]:
    """A random 0/1 sequence of ``length`` with exactly ``ones`` ones."""
    heads = set(int(i) for i in rng.permutation(length)[:ones])
    return [1 if i in heads else 0 for i in range(length)]


def tosses(rng: np.random.Generator, lo: int = 5, hi: int = 20) -> list[int]:
    """A coin-toss record (1 = heads) of random length with at least one head and one tail."""
    n = integer(rng, lo, hi)
    return sequence(rng, n, integer(rng, 1, n - 1))


def rounded_distribution(weights: Sequence[float], decimals: int = 2) -> list[float]:
    """``weights`` normalised and rounded to ``decimals``, the rounding error put on the largest entry."""
    values = np.round(np.asarray(weights, dtype=float) / np.sum(weights), decimals)
    values[int(np.argmax(values))] += 1 - values.sum()
    return [round(float(v), decimals) for v in values]
