"""Shared fixtures: the project root and one build of every assignment per test session (per worker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder import project
from autograder.build import BuiltAssignment, build_assignments
from quiz_fixtures import (bank_items, exports, gift_pegjs, practice_items, published,  # noqa: F401 - shared
                           small_bank)

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = project.available_assignments(ROOT)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, BuiltAssignment]:
    """Every assignment built once into a temporary dist (solutions written beside it, not into the checkout)."""
    base = tmp_path_factory.mktemp("build")
    results = build_assignments(None, dist=base / "dist", root=ROOT, solutions=base / "solutions",
                                log=lambda message: None)
    return {item.name: item for item in results}


# One session-wide Chromium for every browser test module (a second Playwright in the same worker fails).
from browser import browser  # noqa: E402,F401 - fixture; imported last: browser.py reads ROOT from here
