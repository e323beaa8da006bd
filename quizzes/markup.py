"""Number and LaTeX formatting shared by templates and the engine.

Math goes inside ``\\( \\)`` (inline) or ``\\[ \\]`` (display), never ``$``: every
exporter (Moodle, Canvas, GIFT, the HTML page) understands these delimiters.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction


def decimals_for(tolerance: float) -> int:
    """Decimals that keep two numbers further apart than ``tolerance`` from printing alike."""
    return max(1, math.ceil(-math.log10(tolerance)) + 1)


def significant(x: float, figures: int) -> str:
    """``x`` in plain decimals with at least ``figures`` significant figures (0.0003350, 123.5, 12350)."""
    if x == 0:
        return "0"
    return fixed(x, max(0, figures - 1 - math.floor(math.log10(abs(x)))))


def fixed(x: float, decimals: int) -> str:
    """``x`` with exactly ``decimals`` decimals and no negative zero."""
    text = f"{x:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


@functools.lru_cache(maxsize=8192)   # the same few hundred parameter values recur in every bank
def num(x: float) -> str:
    """A parameter as a person would write it: ``2``, ``0.35``, ``-1.5``, and ``\\tfrac{1}{3}`` for 1/3."""
    if float(x).is_integer():
        return str(int(x))
    text = f"{x:.10g}"
    if len(text.lstrip("-")) > 6:      # not a short decimal: a simple fraction reads better
        ratio = Fraction(x).limit_denominator(12)
        if abs(float(ratio) - x) < 1e-6:
            sign = "-" if ratio < 0 else ""
            return f"{sign}\\tfrac{{{abs(ratio.numerator)}}}{{{ratio.denominator}}}"
    return text


def vec(values: Iterable[float]) -> str:
    """``(0.5, 0.25, 0.25)``: put it inside math."""
    return "(" + ", ".join(num(v) for v in values) + ")"


def vec4(values: Iterable[float]) -> str:
    """``(0.1234, 0.5678)``: computed values in a worked solution."""
    return "(" + ", ".join(fixed(v, 4) for v in values) + ")"


def m(tex: str) -> str:
    """Inline math."""
    return f"\\({tex}\\)"


def dm(tex: str) -> str:
    """Display math on its own paragraph."""
    return f"\n\n\\[{tex}\\]\n\n"


def terms(pieces: Iterable[str], joiner: str = " + ") -> str:
    """Join LaTeX terms, turning ``+ -`` into ``-``."""
    return joiner.join(pieces).replace("+ -", "- ")


def unit_log(unit: str) -> str:
    """The logarithm that gives ``unit``: ``\\ln`` for nats, ``\\log_2`` for bits."""
    return "\\log_2" if unit == "bits" else "\\ln"


def bullet_list(lines: Sequence[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def code(text: str) -> str:
    """Inline code in Markdown."""
    return f"`{text}`"


def classes(k: int) -> str:
    """Names of the classes, 1-based, as students number them."""
    return ", ".join(str(i) for i in range(1, k + 1))


def kl_tex(a: str = "p", b: str = "q") -> str:
    return f"D_{{\\mathrm{{KL}}}}({a}\\,\\|\\,{b})"


def p_log_terms(weights: Iterable[float], args: Iterable[float], log: str = "\\ln") -> str:
    """``0.5\\ln 0.5 + 0.25\\ln 0.25 ...`` over the terms with a non-zero weight."""
    return terms(f"{num(w)}\\,{log} {num(a)}" for w, a in zip(weights, args) if w != 0)


def p_log_ratio_terms(p: Iterable[float], q: Iterable[float], log: str = "\\ln") -> str:
    """``0.5\\ln\\frac{0.5}{0.2} + ...`` over the terms with p_i > 0."""
    return terms(f"{num(a)}\\,{log}\\frac{{{num(a)}}}{{{num(b)}}}" for a, b in zip(p, q) if a != 0)


def f4(x: float) -> str:
    """A worked-solution intermediate value: four decimals."""
    return fixed(x, 4)


def tosses(sequence: Iterable[int]) -> str:
    """A 0/1 sequence as coin tosses: ``HHTHT`` (1 = heads)."""
    return "".join("H" if t else "T" for t in sequence)


def paren(x: float) -> str:
    """A number to substitute into a formula: negative ones in parentheses."""
    return f"({num(x)})" if x < 0 else num(x)


def small(x: float) -> str:
    """A worked value that may be tiny: four decimals, or scientific notation below 0.001."""
    if x == 0 or abs(x) >= 1e-3:
        return f4(x)
    mantissa, exponent = f"{x:.2e}".split("e")
    return f"{mantissa} \\times 10^{{{int(exponent)}}}"
