"""The bundled sample class grades as documented in samples/coin_mle/EXPECTED.json."""

from __future__ import annotations

import nbformat
import pytest

from autograder.grading.batch import grade_batch
from autograder.mutants import apply_variant, load_variants
from autograder.grading.runner import Limits

from conftest import ROOT
from sample_class import EXPECTED, sample_class  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


def test_every_sample_gets_its_expected_status(sample_class):
    summary, out = sample_class
    statuses = {row["submission"]: row["status"] for row in summary.rows}
    assert statuses == {name: info["status"] for name, info in EXPECTED.items()}
    assert (out / "gradebook.csv").read_text().count("\n") == len(EXPECTED) + 1


def test_correct_sample_earns_full_marks_and_blank_earns_none(sample_class):
    rows = {row["submission"]: row for row in sample_class[0].rows}
    assert rows["alice"]["score"] == rows["alice"]["max_score"]
    assert rows["ivan"]["score"] == 0


def test_hostile_sample_scores_no_more_than_its_honest_twin(sample_class, built, tmp_path):
    """dave = the swap_heads_tails mutant plus patched numpy/builtins, forged files and an endless loop."""
    mutant = next(v for v in load_variants(ROOT / "assignments/coin_mle/mutants", mutant=True)
                  if v.slug == "swap_heads_tails")
    honest = tmp_path / "in" / "honest.ipynb"
    honest.parent.mkdir()
    nbformat.write(apply_variant(nbformat.read(built["coin_mle"].solution, as_version=4), mutant), honest)
    dist = built["coin_mle"].autograder.parents[2]
    twin = grade_batch("coin_mle", [honest], out=tmp_path / "out", root=ROOT, dist=dist, workers=1,
                       limits=Limits(timeout=30, cell_timeout=3), progress=lambda d, t: None).rows[0]
    dave = next(r for r in sample_class[0].rows if r["submission"] == "dave")
    assert dave["score"] <= twin["score"] < dave["max_score"]
    assert "forged" not in (ROOT / "solutions" / "coin_mle.ipynb").read_text()
