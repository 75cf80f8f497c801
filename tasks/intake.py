"""Register dropped files in the ledger and put them on the ingest queue.

Shared by the watcher and ``newsflow ingest``. Registration records the file version (path +
content hash) first and commits; only then is the id enqueued, so the ledger always knows
about a file before the broker does.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from sqlalchemy.orm import Session

from models.db import transaction
from models.ledger import Registration, known_version, register_file, unfinished_file_ids
from models.tables import FINAL_STATES
from stages.dates import is_sidecar, publication_date, sidecar_name
from tasks.files import ledger_path, sha256_of
from tasks.settings import Settings

IGNORED_PATTERNS = (".*", "*.tmp", "*.part", "*.swp", "~*", "*~")


@dataclass(frozen=True)
class Intake:
    file_id: int
    path: str
    status: str
    enqueued: bool


def is_ignored(path: Path, patterns: tuple[str, ...] = IGNORED_PATTERNS) -> bool:
    """Temporary and hidden files are written in place and renamed later: wait for the rename.

    A page's date sidecar (``page.txt.json``) is read with its page, never ingested itself.
    """
    return is_sidecar(path.name) or any(fnmatch.fnmatch(path.name, p) for p in patterns)


def register_path(session: Session, path: Path, settings: Settings,
                  requeue: bool = False) -> Intake:
    """Record one file version in the caller's transaction; ``enqueued`` says whether it must
    go on the queue once that commits: when it is new (or, with ``requeue``, unfinished). The
    caller sends it, with others, by :func:`send_files`.

    Callers register the files that are ready together in one transaction: a transaction
    (and a pooled connection's liveness ping) per file cost the watcher more CPU than
    registering itself. The watcher meets the same files again on every rescan and event;
    re-enqueueing the ones still waiting behind a backlog would flood the queue with copies.
    Lost work is the reconciler's to find; ``newsflow ingest`` asks for ``requeue`` explicitly.
    """
    path = path.absolute()
    stat = path.stat()
    if not S_ISREG(stat.st_mode):
        raise NotARegularFile(f"{path} is not a regular file (FIFO, socket or device)")
    text_path, raw_path = ledger_path(path)
    reg = known_version(session, text_path, stat.st_size, stat.st_mtime)
    if reg is None:
        reg = _register_new(session, path, (text_path, raw_path), stat)
    enqueue = reg.created or (requeue and reg.status not in FINAL_STATES)
    return Intake(reg.file_id, text_path, reg.status, enqueue)


class NotARegularFile(ValueError):
    pass


def _register_new(session: Session, path: Path, names: tuple[str, bytes | None],
                  stat: os.stat_result) -> Registration:
    text_path, raw_path = names
    published_on = publication_date(text_path, _sidecar_text(path))
    return register_file(session, text_path, sha256_of(path), stat.st_size, stat.st_mtime,
                         published_on=published_on, path_bytes=raw_path)


def _sidecar_text(path: Path) -> str | None:
    """The page's date sidecar, if one was dropped with it (write it before the page)."""
    try:
        return path.with_name(sidecar_name(path.name)).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None


def send_files(files: Sequence[tuple[int, str]], settings: Settings) -> None:
    """Put (file id, path) pairs on the ingest queue, ``settings.batch_files`` per message.

    Files that are ready together (a backlog, a folder, a restart) share messages; one file
    alone is sent alone, so nothing waits for a batch to fill.
    """
    from tasks.pipeline import ingest

    size = settings.batch_files
    for start in range(0, len(files), size):
        batch = files[start:start + size]
        ingest.delay([file_id for file_id, _ in batch], batch_label([path for _, path in batch]))


def batch_label(paths: Sequence[str]) -> str:
    """What Flower shows for a message: the path, or the first path and how many more."""
    return paths[0] if len(paths) == 1 else f"{paths[0]} (+{len(paths) - 1} more)"


def requeue_unfinished(settings: Settings) -> int:
    """Enqueue every file the ledger has not finished (after a restart); returns how many."""
    with transaction(settings.require_database_url()) as session:
        pending = unfinished_file_ids(session)
    send_files(pending, settings)
    return len(pending)


def files_under(root: Path, ignore: tuple[str, ...] = IGNORED_PATTERNS) -> list[Path]:
    """Regular files below ``root`` in name order, skipping ignored names and symlinks.

    ``is_file`` is false for FIFOs and devices, so they are never opened (a FIFO would block).
    """
    if root.is_file() and not root.is_symlink():
        return [root]
    found = (p for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink())
    return [p for p in found if not is_ignored(p, ignore)]
