"""Tests that read ``../shared/`` (the corpus, OpenCC's own cases): every test collected here
carries the ``shared`` marker, which a plain ``pytest`` deselects and ``.ci/run`` runs in
addition. Nothing outside this folder reads ``../shared/``."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    # Runs before the -m selection, so a test added here without the marker still gets it.
    for item in items:
        if HERE in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.shared)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the clone: missing is a failure that says what to put there,
    never a skip."""
    if not (SHARED / "corpus").is_dir():
        pytest.fail(f"the tests marked 'shared' read {SHARED} (the corpus and OpenCC's own "
                    "cases) and it is not there: put the shared folder beside the clone, or "
                    "run the suite without -m shared")
    return SHARED
