"""Shared fixtures: the project root and one build of every assignment per test session (per worker)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autograder import project
from autograder.build import BuiltAssignment, build_assignments
from autograder.validity import CACHE_VARIABLE
from quiz_fixtures import (bank_items, exports, gift_pegjs, practice_items, published,  # noqa: F401 - shared
                           small_bank)

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = project.available_assignments(ROOT)


def pytest_addoption(parser):
    parser.addoption("--exhaustive", action="store_true",
                     help="also run the tests marked exhaustive (make test-exhaustive), which make test skips")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--exhaustive"):
        return
    skip = pytest.mark.skip(reason="exhaustive: run with --exhaustive (make test-exhaustive)")
    for item in items:
        if "exhaustive" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def shared_validity_proofs(tmp_path_factory):
    """One folder of validity proofs for the whole session, shared by its pytest-xdist workers: a variant
    assignment's proof is graded once, not once per worker and per build of the same inputs (validity.py)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "validity-proofs"
    patch = pytest.MonkeyPatch()
    patch.setenv(CACHE_VARIABLE, str(folder))
    yield folder
    patch.undo()


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
