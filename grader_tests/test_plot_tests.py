"""The plot tests accept every standard matplotlib way to draw what the question asks, and check every
property it names (a dashed line must be dashed). Tests run here as Otter runs them: in the namespace of
a notebook that drew `fig` in one way."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from autograder.testfiles import cases_from_zip  # noqa: E402
from autograder.variants import spec_from_zip  # noqa: E402

MLE = 0.6
GRID = np.linspace(0.001, 0.999, 999)
TEMPERATURES = np.logspace(-2, 2, 200)


def _failures(built, name, question, fig) -> list[str]:
    """The descriptions of the tests of *question* that fail on *fig* (a variant assignment's tests read its
    canonical numbers as PARAMS, as the grader provides them)."""
    failed = []
    spec = spec_from_zip(built[name].autograder, name)
    for case in cases_from_zip(built[name].autograder):
        if case.question == question:
            try:
                exec(compile(case.code, case.key, "exec"), {"fig": fig, "PARAMS": spec.canonical if spec else None})
            except AssertionError:
                failed.append(case.description)
    plt.close(fig)
    return failed


def _log_likelihood_plot(mark):
    fig, ax = plt.subplots()
    ax.plot(GRID, 3 * np.log(GRID) + 2 * np.log1p(-GRID))
    ax.set_xlabel("theta")
    ax.set_ylabel("log-likelihood")
    if mark:
        mark(ax)
    return fig


PEAK = 3 * np.log(MLE) + 2 * np.log(1 - MLE)
MARKS = {
    "axvline": lambda ax: ax.axvline(MLE),
    "vlines": lambda ax: ax.vlines(MLE, -12, 0),
    "plot-segment": lambda ax: ax.plot([MLE, MLE], [-12, PEAK]),
    "plot-marker": lambda ax: ax.plot([MLE], [PEAK], "ro"),
    "scatter": lambda ax: ax.scatter([MLE], [PEAK]),
}


@pytest.mark.parametrize("way", sorted(MARKS))
def test_coin_mle_mark_of_the_mle_in_every_standard_way(built, way):
    assert _failures(built, "coin_mle", "q5", _log_likelihood_plot(MARKS[way])) == []


def test_coin_mle_unmarked_or_misplaced_mark_fails(built):
    assert any("marked" in d for d in _failures(built, "coin_mle", "q5", _log_likelihood_plot(None)))
    wrong = _failures(built, "coin_mle", "q5", _log_likelihood_plot(lambda ax: ax.vlines(0.4, -12, 0)))
    assert any("marked" in d for d in wrong)


def _entropy_plot(line):
    z = np.array([2.0, 1.0, 0.5, -0.5, -1.0])
    shifted = (z[None, :] - z.max()) / TEMPERATURES[:, None]
    log_norm = np.log(np.exp(shifted).sum(axis=1))
    probs = np.exp(shifted - log_norm[:, None])
    fig, ax = plt.subplots()
    ax.semilogx(TEMPERATURES, log_norm - (probs * shifted).sum(axis=1))
    ax.set_xlabel("T")
    ax.set_ylabel("entropy")
    line(ax)
    return fig


LEVEL = np.log(5)
DASHED = {
    "axhline": lambda ax: ax.axhline(LEVEL, linestyle="--"),
    "hlines": lambda ax: ax.hlines(LEVEL, 0.01, 100, linestyles="dashed"),
    "plot": lambda ax: ax.plot([0.01, 100], [LEVEL, LEVEL], "k--"),
    "axhline-dashdot": lambda ax: ax.axhline(LEVEL, linestyle="-."),
}
SOLID = {
    "axhline": lambda ax: ax.axhline(LEVEL),
    "hlines": lambda ax: ax.hlines(LEVEL, 0.01, 100),
    "plot": lambda ax: ax.plot([0.01, 100], [LEVEL, LEVEL], "k-"),
}


@pytest.mark.parametrize("way", sorted(DASHED))
def test_softmax_dashed_max_entropy_line_in_every_standard_way(built, way):
    assert _failures(built, "softmax_temperature", "q6", _entropy_plot(DASHED[way])) == []


@pytest.mark.parametrize("way", sorted(SOLID))
def test_softmax_solid_max_entropy_line_fails(built, way):
    failed = _failures(built, "softmax_temperature", "q6", _entropy_plot(SOLID[way]))
    assert failed == ["a horizontal dashed line (axhline, hlines or plot) marks the maximum entropy ln K"]
