"""Reading dropped files and moving bad ones to quarantine (the tasks' only filesystem I/O)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from sqlalchemy import Row
from sqlalchemy.orm import Session

from models.ledger import finish
from models.tables import LedgerState, SourceFile, Stage
from stages.items import StageError

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Content hash streamed in 1 MiB chunks: a large file is never held in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def ledger_path(path: Path) -> tuple[str, bytes | None]:
    """(text for the ``path`` column, raw bytes when the name is not valid UTF-8).

    POSIX names are bytes; PostgreSQL text cannot hold the surrogates Python decodes
    undecodable bytes into. Such a name is shown with escapes and kept exactly in bytes.
    """
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), raw


def source_path(file: SourceFile | Row) -> Path:
    """Where the file was dropped, exactly, even when its name is not UTF-8."""
    return Path(os.fsdecode(file.path_bytes)) if file.path_bytes else Path(file.path)


def read_dropped_file(file: SourceFile | Row, max_bytes: int, quarantine_dir: Path) -> bytes:
    """The file's bytes, if it is still the version the ledger row describes.

    A file gone from where it was dropped but present as this file's quarantined copy was
    moved aside by an earlier attempt whose transaction then failed (the move cannot roll
    back): it is read there, so the retry finds the same fault and records it, instead of
    calling the file missing.
    """
    path = source_path(file)
    if not path.exists() and (kept := quarantined_copy(file, quarantine_dir)).exists():
        path = kept
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise StageError("too_large", f"{size} bytes is over the limit of {max_bytes} bytes")
        data = path.read_bytes()
    except FileNotFoundError as missing:
        raise StageError("missing", f"the file is gone from {file.path}") from missing
    if hashlib.sha256(data).hexdigest() != file.content_sha256:
        raise StageError("changed", "the file changed after it was noticed; its new content "
                                    "is a new version with a ledger row of its own")
    return data


def quarantined_copy(file: SourceFile | Row, quarantine_dir: Path) -> Path:
    """Where :func:`quarantine` moves the file (its id keeps two same-named files apart)."""
    return quarantine_dir / f"{file.id}-{source_path(file).name}"


# Codes for which there is no file to quarantine, or whose file is not bad input.
NOT_QUARANTINED = {"missing", "changed"}


def quarantine(session: Session, file: Row, reached: Stage | None, error: StageError,
               quarantine_dir: Path) -> None:
    """Move a bad file aside (never delete it) and record why, as the file's final state;
    ``reached`` is the last stage whose work stands (the failing stage's does not)."""
    if error.code in NOT_QUARANTINED:
        finish(session, file.id, LedgerState.FAILED, error.code, error.detail, stage=reached)
        return
    source, target = source_path(file), quarantined_copy(file, quarantine_dir)
    if source.exists() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)  # a rename, or copy + unlink across filesystems
    finish(session, file.id, LedgerState.QUARANTINED, error.code, error.detail, stage=reached,
           quarantine_path=str(target))
