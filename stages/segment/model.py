"""The page-structure model: a linear-chain CRF that labels every line of a page.

The model file ships in the package (``data/page_model.crfsuite``, trained by
``newsflow train-segmenter`` on composed pages of real articles). It is opened once per
process, before a worker's pool forks (``warm_up``), and tagging is deterministic.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from stages.segment.features import PageLine, line_features

MODEL_NAME = "page_model.crfsuite"


def shipped_model() -> Path:
    """Where the shipped model file lies."""
    with resources.as_file(resources.files("stages.segment") / "data" / MODEL_NAME) as path:
        return Path(path)


@cache
def _tagger(path: Path) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    return tagger


@cache
def model_version(path: Path | None = None) -> str:
    """The first 12 hex digits of the model file's SHA-256: which model labelled a page."""
    return hashlib.sha256((path or shipped_model()).read_bytes()).hexdigest()[:12]


def label_lines(lines: list[PageLine], path: Path | None = None) -> list[str]:
    """Each line's label (``stages.segment.assemble``'s roles, ``B-`` on an item's first line)."""
    if not lines:
        return []
    return _tagger(path or shipped_model()).tag(line_features(lines))


def warm_up() -> None:
    """Open the shipped model now (a worker's main process, before the pool forks)."""
    _tagger(shipped_model())
