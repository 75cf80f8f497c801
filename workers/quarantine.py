"""``newsflow quarantine list|retry``: see why files were set aside, and send them again."""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.console import Console
from rich.table import Table

from intake.files import inside, source_path
from models.db import transaction
from models.quarantine import NotRetryable, quarantined_files, reset_for_retry
from tasks.enqueue import send_files
from tasks.settings import Settings


def list_quarantine(settings: Settings, console: Console, include_failed: bool) -> int:
    with transaction(settings.require_database_url()) as session:
        files = quarantined_files(session, include_failed)
    table = Table("id", "state", "file", "code", "reason", "kept at")
    for f in files:
        table.add_row(str(f.id), f.status, f.path, f.error_code or "", f.error_detail or "",
                      f.quarantine_path or "")
    console.print(table)
    return len(files)


def retry(settings: Settings, file_id: int) -> str:
    """Move the file back to where it was dropped and enqueue it; returns its path.

    A file is only ever moved back into the inbox: if its folder now resolves elsewhere (a
    symlink put in its place, say), the retry is refused and nothing moves. A file that was
    copied aside (ingested from outside the inbox) is still where it was: it is just sent.
    """
    with transaction(settings.require_database_url()) as session:
        file = reset_for_retry(session, file_id)
        original, kept = source_path(file), file.quarantine_path
        if kept and Path(kept).exists() and not original.exists():
            if original.is_symlink() or not inside(original, settings.inbox):
                raise NotRetryable(f"file {file_id} cannot be retried: {original.parent} now leads "
                                   f"outside the inbox {settings.inbox}; it stays at {kept}")
            original.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(kept, original)
        file.quarantine_path = None
    send_files([(file_id, file.path)], settings)
    return file.path
