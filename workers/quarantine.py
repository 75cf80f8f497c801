"""``newsflow quarantine list|retry``: see why files were set aside, and send them again."""

from __future__ import annotations

import shutil
from pathlib import Path

from rich.console import Console
from rich.table import Table

from intake.files import source_path
from models.db import transaction
from models.quarantine import quarantined_files, reset_for_retry
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
    """Move the file back to where it was dropped and enqueue it; returns its path."""
    with transaction(settings.require_database_url()) as session:
        file = reset_for_retry(session, file_id)
        original, kept = source_path(file), file.quarantine_path
        if kept and Path(kept).exists() and not original.exists():
            original.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(kept, original)
        file.quarantine_path = None
    send_files([(file_id, file.path)], settings)
    return file.path
