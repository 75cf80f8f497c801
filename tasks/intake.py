"""Register dropped files in the ledger and put them on the ingest queue.

Shared by the watcher and ``newsflow ingest``. Registration records the file version (path +
content hash) first and commits; only then is the id enqueued, so the ledger always knows
about a file before the broker does.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from models.db import transaction
from models.ledger import register_file, unfinished_file_ids
from models.tables import FINAL_STATES
from tasks.files import sha256_of
from tasks.settings import Settings

IGNORED_PATTERNS = (".*", "*.tmp", "*.part", "*.swp", "~*", "*~")


@dataclass(frozen=True)
class Intake:
    file_id: int
    path: str
    status: str
    enqueued: bool


def is_ignored(path: Path, patterns: tuple[str, ...] = IGNORED_PATTERNS) -> bool:
    """Temporary and hidden files are written in place and renamed later: wait for the rename."""
    return any(fnmatch.fnmatch(path.name, pattern) for pattern in patterns)


def register_path(path: Path, settings: Settings) -> Intake:
    """Record one file version and enqueue it unless it is already in a final state."""
    path = path.absolute()
    stat = path.stat()
    sha = sha256_of(path)
    with transaction(settings.require_database_url()) as session:
        reg = register_file(session, str(path), sha, stat.st_size, stat.st_mtime)
    enqueue = reg.status not in FINAL_STATES
    if enqueue:
        send_to_ingest(reg.file_id, str(path))
    return Intake(reg.file_id, str(path), reg.status, enqueue)


def send_to_ingest(file_id: int, label: str) -> None:
    from tasks.pipeline import ingest

    ingest.delay(file_id, label)


def requeue_unfinished(settings: Settings) -> int:
    """Enqueue every file the ledger has not finished (after a restart); returns how many."""
    with transaction(settings.require_database_url()) as session:
        pending = unfinished_file_ids(session)
    for file_id, path in pending:
        send_to_ingest(file_id, path)
    return len(pending)


def files_under(root: Path) -> list[Path]:
    """Regular files below ``root`` in name order, skipping ignored names and symlinks."""
    if root.is_file():
        return [root]
    found = (p for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink())
    return [p for p in found if not is_ignored(p)]
