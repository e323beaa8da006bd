"""coin_mle: the numbers its model answers and prompts state are recomputed, and the new questions' wording holds."""

from __future__ import annotations

import mpmath
import pytest

from autograder import project
from autograder.master import load_master

from conftest import ROOT

NAME = "coin_mle"
mpmath.mp.dps = 30
ln = mpmath.log


@pytest.fixture(scope="module")
def master():
    return load_master(project.master_path(ROOT, NAME), NAME)


def _coin(theta, h=3, t=2):
    """Mean negative log-likelihood, entropy of p_hat and KL(p_hat || theta) for h heads and t tails."""
    n, p_hat = h + t, mpmath.mpf(h) / (h + t)
    mean_nll = -(h * ln(theta) + t * ln(1 - theta)) / n
    entropy = -(p_hat * ln(p_hat) + (1 - p_hat) * ln(1 - p_hat))
    kl = p_hat * ln(p_hat / theta) + (1 - p_hat) * ln((1 - p_hat) / (1 - theta))
    return mean_nll, entropy, kl


def test_model_answer_numbers_for_hhtht(master):
    mean_nll, entropy, kl = _coin(mpmath.mpf("0.5"))
    assert (f"{float(mean_nll):.4f}", f"{float(entropy):.4f}", f"{float(kl):.4f}") == ("0.6931", "0.6730", "0.0201")
    assert mpmath.almosteq(mean_nll, entropy + kl, 1e-25)
    assert _coin(mpmath.mpf("0.6"))[2] == 0
    assert "$0.6931 = 0.6730 + 0.0201$" in master.question("q10").model_answer


def test_mean_nll_is_cross_entropy_minimised_at_the_mle():
    for h, t in [(3, 2), (1, 9), (7, 7)]:
        p_hat = mpmath.mpf(h) / (h + t)
        curve = lambda theta: sum(_coin(theta, h, t)[1:])  # noqa: E731 - H(p_hat) + KL
        for theta in (mpmath.mpf("0.2"), mpmath.mpf("0.55"), mpmath.mpf("0.9")):
            assert mpmath.almosteq(_coin(theta, h, t)[0], curve(theta), 1e-25)
            assert curve(theta) >= curve(p_hat)


def test_theta_grid_contains_the_mle_of_hhtht(master):
    code = "\n".join(master.question("q9").solution_code)
    assert "theta_grid = np.linspace(0.005, 0.995, 199)" in code
    assert mpmath.almosteq(mpmath.mpf("0.005") + 119 * mpmath.mpf("0.005"), mpmath.mpf("0.6"), 1e-25)


def test_wording_required_by_the_review(master):
    assert r"$\theta \le 0.05$ on the left and $\theta \ge 0.95$ on the right" in master.question("q5").prompt
    assert r"$h \ge 1$ heads and $t \ge 1$ tails" in master.question("q6").prompt
    assert "*The boundary cases (not asked).*" in master.question("q6").model_answer
    assert "same maximiser" in master.question("q6").model_answer
    q7 = master.question("q7").prompt
    assert "unbiased estimate of the *variance*" in q7 and "no maximum-likelihood" in q7 and "`sigma_hat = 0.0`" in q7
    rubric = master.question("q6").rubric
    assert "single critical point" in rubric[2].accept and "Partial credit" in rubric[1].text
    assert [q.name for q in master.questions][-3:] == ["q8", "q9", "q10"]
    assert master.question("q10").manual and master.question("q10").points == 4
