"""The quantities the templates ask about, in plain Python (SciPy is kept for the tests' oracles).

The vectors here have a handful of entries, where Python's math module is several times
faster than NumPy's per-call overhead; that keeps 10,000 variants well inside the time budget.
Natural logarithms throughout; ``in_unit`` converts to bits.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

LN2 = math.log(2.0)
Vector = Sequence[float]


def in_unit(nats: float, unit: str) -> float:
    """A value in nats expressed in ``unit`` ("nats" or "bits")."""
    return nats / LN2 if unit == "bits" else nats


def entropy(p: Iterable[float]) -> float:
    """H(p) in nats, with 0 log 0 = 0."""
    return -sum(a * math.log(a) for a in p if a > 0)


def cross_entropy(p: Vector, q: Vector) -> float:
    """H(p, q) in nats; infinite when q is 0 where p is not."""
    total = 0.0
    for a, b in zip(p, q):
        if a > 0:
            if b <= 0:
                return math.inf
            total -= a * math.log(b)
    return total


def kl(p: Vector, q: Vector) -> float:
    """D_KL(p || q) = H(p, q) - H(p) in nats; infinite on a support mismatch."""
    return cross_entropy(p, q) - entropy(p)


def js(p: Vector, q: Vector) -> float:
    """Jensen-Shannon divergence in nats (always at most ln 2)."""
    mid = [(a + b) / 2 for a, b in zip(p, q)]
    return 0.5 * kl(p, mid) + 0.5 * kl(q, mid)


def logsumexp(z: Vector) -> float:
    top = max(z)
    return top + math.log(sum(math.exp(v - top) for v in z))


def log_softmax(z: Vector, temperature: float = 1.0) -> list[float]:
    scaled = [v / temperature for v in z]
    norm = logsumexp(scaled)
    return [v - norm for v in scaled]


def softmax(z: Vector, temperature: float = 1.0) -> list[float]:
    return [math.exp(v) for v in log_softmax(z, temperature)]


def softplus(z: float) -> float:
    """log(1 + e^z) without overflow."""
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    ez = math.exp(z)
    return ez / (1.0 + ez)


def bce(y: int, p: float) -> float:
    """Binary cross-entropy of a predicted probability p for label y."""
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


def bce_from_logit(y: int, z: float) -> float:
    """Binary cross-entropy of sigmoid(z) for label y, computed stably from the logit."""
    return softplus(z) - y * z


def gaussian_cross_entropy(mu_p: float, sd_p: float, mu_q: float, sd_q: float) -> float:
    """H(N(mu_p, sd_p^2), N(mu_q, sd_q^2)) in nats."""
    return 0.5 * math.log(2 * math.pi * sd_q**2) + (sd_p**2 + (mu_p - mu_q) ** 2) / (2 * sd_q**2)


def one_hot(index: int, k: int) -> list[float]:
    return [1.0 if i == index else 0.0 for i in range(k)]
