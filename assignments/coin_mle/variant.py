"""Each student's own coin flips for coin_mle.

Parameters:
- ``flips``: a string of "H" and "T", 5 to 12 flips;
- ``heads``, ``tails``: its counts of heads and tails (for the text; the same numbers the student counts).

``check`` rejects a draw when
- a count is zero: the log-likelihood's derivative has no zero in (0, 1) then (Question 6 assumes h, t >= 1),
  and theta-hat would sit at an end of the interval, where the plot of Question 5 cannot show it;
- heads and tails are equal: swapping them, or taking the fraction of tails, would give the right answer;
- two grid points of Question 9's ``theta_grid`` are equally close to h/N (a tie in the argmin);
- ``heads`` or ``tails`` disagree with ``flips``, or ``flips`` holds anything but H and T.
"""

import numpy as np

CANONICAL = {"flips": "HHTHT", "heads": 3, "tails": 2}
THETA_GRID = np.linspace(0.005, 0.995, 199)  # the grid Question 9 gives students


def generate(rng):
    n = int(rng.integers(5, 13))
    flips = "".join("H" if heads else "T" for heads in rng.random(n) < 0.5)
    return {"flips": flips, "heads": flips.count("H"), "tails": flips.count("T")}


def check(params):
    flips = params["flips"]
    if not flips or set(flips) - {"H", "T"}:
        raise ValueError(f"flips must be a non-empty string of H and T, not {flips!r}")
    heads, tails = flips.count("H"), flips.count("T")
    if (params["heads"], params["tails"]) != (heads, tails):
        raise ValueError("heads and tails must be the counts of H and T in flips")
    if heads == 0 or tails == 0:
        raise ValueError("a zero count: the MLE would be 0 or 1, where the log-likelihood is not differentiable")
    if heads == tails:
        raise ValueError("as many heads as tails: swapping them would not change any answer")
    distance = np.abs(THETA_GRID - heads / len(flips))
    nearest = np.sort(distance)[:2]
    if nearest[1] - nearest[0] < 1e-9:
        raise ValueError("h/N lies halfway between two grid points: theta_best would be a tie")
