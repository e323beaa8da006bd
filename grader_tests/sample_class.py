"""Fixture: the bundled sample class (samples/coin_mle) graded once per test session and worker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from autograder.grading.batch import grade_batch
from autograder.grading.runner import Limits

from conftest import ROOT

SAMPLES = ROOT / "samples" / "coin_mle"
EXPECTED = json.loads((SAMPLES / "EXPECTED.json").read_text())


@pytest.fixture(scope="session")
def sample_class(built, tmp_path_factory):
    """(summary, OUT folder) after grading every sample submission with short limits."""
    out = tmp_path_factory.mktemp("class")
    dist = Path(built["coin_mle"].autograder).parents[2]
    summary = grade_batch("coin_mle", [SAMPLES], out=out, root=ROOT, dist=dist, workers=2,
                          limits=Limits(timeout=30, cell_timeout=3), progress=lambda done, total: None)
    return summary, out
