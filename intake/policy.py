"""Which files in a folder are pages to ingest: the rules the watcher and ``newsflow ingest`` share.

A page is a regular file (never a symlink, FIFO or device: a FIFO would block its reader, a link
could lead outside the inbox) whose name is not one a writer uses while a file is incomplete.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

from intake.dates import is_sidecar

# Names writers give a file until it is complete, and hidden files: ignored until renamed.
IGNORED_PATTERNS = (".*", "*.tmp", "*.part", "*.swp", "~*", "*~")


def is_ignored(path: Path, patterns: tuple[str, ...] = IGNORED_PATTERNS) -> bool:
    """Temporary and hidden files are written in place and renamed later: wait for the rename.

    A page's date sidecar (``page.txt.json``) is read with its page, never ingested itself.
    """
    return is_sidecar(path.name) or any(fnmatch.fnmatch(path.name, p) for p in patterns)


def files_under(root: Path, ignore: tuple[str, ...] = IGNORED_PATTERNS) -> list[Path]:
    """Regular files below ``root`` in name order, skipping ignored names and symlinks.

    ``is_file`` is false for FIFOs and devices, so they are never opened (a FIFO would block).
    """
    if root.is_file() and not root.is_symlink():
        return [root]
    found = (p for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink())
    return [p for p in found if not is_ignored(p, ignore)]
