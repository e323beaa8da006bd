"""The one grading tolerance of every numerical quiz item.

An answer ``a`` is accepted within ``max(RELATIVE * |a|, FLOOR)``:

- 1 % relative: rounding to 3 significant figures moves a number by at most 0.5 % of it, so a
  student who rounds to 3 figures is always accepted, whatever the size of the answer (an absolute
  0.01 rejected 3-figure answers above 10);
- an absolute floor of 0.0001, the resolution of Canvas (it keeps 4 decimals), so every LMS can
  express the range; the engine redraws any variant whose nonzero answer is within the floor of 0,
  so 0 is accepted only when the answer is 0.

The engine also redraws a variant when an anticipated wrong value lies within the tolerance of the
answer or of the answer rounded to 3 significant figures, so no slip is ever graded as right.
"""

from __future__ import annotations

import math

RELATIVE = 0.01
FLOOR = 0.0001
FIGURES = 3      # the rounding every answer must survive

STEM_NOTE = (f"Give at least {FIGURES} significant figures: answers within {RELATIVE:.0%} of the exact value "
             f"(or within \\(\\pm {FLOOR:.4f}\\) when that is wider) are accepted.")


def tolerance_for(answer: float) -> float:
    """The absolute tolerance of an item whose exact answer is ``answer``."""
    return float(f"{max(RELATIVE * abs(answer), FLOOR):.12g}")


def rounded(x: float, figures: int = FIGURES) -> float:
    """``x`` rounded to ``figures`` significant figures (as a student would write it)."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, figures - 1 - math.floor(math.log10(abs(x))))


def problems(answer: float, wrong: list[tuple[str, float]]) -> list[str]:
    """Why this answer and its anticipated wrong values break the policy (empty when they do not)."""
    tol = tolerance_for(answer)
    found = []
    if answer != 0 and abs(answer) <= tol:
        found.append(f"the answer {answer:.6g} is within the tolerance {tol:g} of 0, so 0 would be accepted")
    if abs(rounded(answer) - answer) > tol:      # cannot happen with RELATIVE > 0.5 %; kept as the stated rule
        found.append(f"the answer {answer:.6g} rounded to {FIGURES} figures falls outside its tolerance")
    for label, value in wrong:
        for target, name in ((answer, "the answer"), (rounded(answer), f"the answer rounded to {FIGURES} figures")):
            if abs(value - target) <= tol:
                found.append(f"{label} ({value:.6g}) is within the tolerance {tol:g} of {name} ({target:.6g})")
                break
    return found
