"""Train / tune / dev by date: a stable hash of the date, so no two splits ever share an issue."""

from __future__ import annotations

import hashlib

# Percent of dates below each bound: 70 train, 15 tune, 15 dev.
_BOUNDS = (("train", 70), ("tune", 85), ("dev", 100))


def stable_hash(*parts: object) -> int:
    """A 64-bit hash of the parts' text that is the same in every process and Python version."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big")


def split_of(date: str) -> str:
    """The split of an issue date (YYYYMMDD): the same for every page and article of that day."""
    bucket = stable_hash("split", date) % 100
    return next(name for name, bound in _BOUNDS if bucket < bound)
