"""Publication dates of dropped pages: from the path or a sidecar, never guessed.

A page's date comes from an explicit sidecar ``<file>.json`` holding
``{"published_on": "YYYY-MM-DD"}`` when there is one, else from the path: a folder or file
name like ``2022-10-13``, ``2022_10_13``, ``20221013``, ``2022/10/13`` or ``2022年10月13日``.
Otherwise the date is unknown (None): an mtime says when a file was copied, not printed.
"""

from __future__ import annotations

import json
import re
from datetime import date

SIDECAR_SUFFIX = ".json"
# Plausible newspaper years only: a run of digits in a hash must not become a date.
YEARS = range(1900, 2100)
_SEPARATED = re.compile(r"(?<![0-9A-Za-z])(\d{4})[-_./](\d{1,2})[-_./](\d{1,2})(?![0-9A-Za-z])")
_COMPACT = re.compile(r"(?<![0-9A-Za-z])(\d{4})(\d{2})(\d{2})(?![0-9A-Za-z])")
_CHINESE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def sidecar_name(name: str) -> str:
    """The sidecar's file name for a page's file name."""
    return name + SIDECAR_SUFFIX


def is_sidecar(name: str) -> bool:
    """Whether a file name is a page's sidecar (``page.txt.json``), not a page itself.

    Decided by the name alone (a double extension whose inner part is alphabetic), so a
    sidecar written before its page is still never ingested as a page.
    """
    if not name.endswith(SIDECAR_SUFFIX):
        return False
    inner = name[: -len(SIDECAR_SUFFIX)].rpartition(".")
    return bool(inner[0]) and inner[2].isalpha()


def _valid(year: str, month: str, day: str) -> date | None:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if found.year in YEARS else None


def date_from_path(path: str) -> date | None:
    """The date written in the path, the one nearest the file name when there are several."""
    matches = [m for pattern in (_SEPARATED, _COMPACT, _CHINESE) for m in pattern.finditer(path)]
    for match in sorted(matches, key=lambda m: m.end(), reverse=True):
        found = _valid(*match.groups())
        if found is not None:
            return found
    return None


def date_from_sidecar(text: str) -> date | None:
    """``published_on`` of a sidecar's JSON; None when it is missing or not a YYYY-MM-DD date."""
    try:
        value = json.loads(text).get("published_on")
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except (ValueError, AttributeError):
        return None


def publication_date(path: str, sidecar_text: str | None = None) -> date | None:
    """A page's publication date: the sidecar's when it has a valid one, else the path's."""
    from_sidecar = date_from_sidecar(sidecar_text) if sidecar_text is not None else None
    return from_sidecar or date_from_path(path)
