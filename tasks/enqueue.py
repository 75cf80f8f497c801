"""Putting registered files on the ingest queue: the one way work enters the broker."""

from __future__ import annotations

from collections.abc import Sequence

from models.db import transaction
from models.ledger import unfinished_file_ids
from tasks.settings import Settings


def send_files(files: Sequence[tuple[int, str]], settings: Settings) -> None:
    """Put (file id, path) pairs on the ingest queue, ``settings.batch_files`` per message.

    Files that are ready together (a backlog, a folder, a restart) share messages; one file
    alone is sent alone, so nothing waits for a batch to fill.
    """
    from tasks.pipeline import ingest  # the tasks import this module's callers' settings

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
