"""Character shingles and the exact set measures the duplicate decision is made on.

Split from ``stages/dedup/decide.py`` so that module keeps the MinHash/LSH machinery and the
decision, and this one the plain text arithmetic: shingle sets, their stable 32-bit hashes
(which feed the stored signatures, so they must never change), Jaccard, containment and the
longest run of unmatched shingles. See docs/dedup.md.
"""

from __future__ import annotations

import re
from itertools import groupby

import numpy as np

_WHITESPACE = re.compile(r"\s+")
# Shingle hashing constants (a large odd multiplier and the splitmix64 finalizer steps).
_POLY = np.uint64(0x9E3779B97F4A7C15)
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)


def squeeze(body: str) -> str:
    """The body with all whitespace removed: line breaks in Chinese page text are layout."""
    return _WHITESPACE.sub("", body)


def windows(text: str, size: int) -> list[str]:
    """Every ``size``-gram of an already squeezed text, in order, repeats kept.

    A text shorter than ``size`` is its own single window, so short texts still compare.
    """
    if len(text) <= size:
        return [text] if text else []
    return [text[i : i + size] for i in range(len(text) - size + 1)]


def shingles(body: str, size: int) -> set[str]:
    """Character ``size``-grams of the body with all whitespace removed."""
    return set(windows(squeeze(body), size))


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Stable 32-bit hash of every ``size``-gram of ``text`` (whitespace already removed).

    Vectorized: a polynomial over the UTF-32 code points of each window (wrapping uint64
    arithmetic, which is exact and identical on every machine), then the splitmix64 finalizer
    to spread the bits. Repeated shingles hash equally, which is harmless: we only take minima.
    """
    points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    width = min(size, len(points))
    count = len(points) - width + 1
    h = np.zeros(count, dtype=np.uint64)
    for j in range(width):
        h = h * _POLY + points[j : j + count]
    h = (h ^ (h >> np.uint64(30))) * _MIX1
    h = (h ^ (h >> np.uint64(27))) * _MIX2
    return (h ^ (h >> np.uint64(31))) >> np.uint64(32)


def jaccard(a: set, b: set) -> float:
    """Exact Jaccard similarity; two empty sets are identical (1.0)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def containment(a: set, b: set) -> float:
    """|a ∩ b| / min(|a|, |b|): how much of the smaller set the larger holds; 0.0 if one is empty.

    Symmetric on purpose: the decision must not depend on which copy arrived first.
    """
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def longest_novel_run(text: str, other: set[str], size: int) -> int:
    """The longest run of consecutive windows of ``text`` (squeezed) that ``other`` lacks.

    Why runs: one substituted character breaks exactly ``size`` consecutive windows, so
    scattered noise leaves short runs, while a passage the other body does not have (a
    rewritten sentence) leaves a run about as long as the passage.
    """
    flags = (window in other for window in windows(text, size))
    return max((sum(1 for _ in run) for held, run in groupby(flags) if not held), default=0)
