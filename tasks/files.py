"""Reading dropped files and moving bad ones to quarantine (the tasks' only filesystem I/O)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from models.ledger import finish
from models.tables import LedgerState, SourceFile
from stages.items import StageError

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Content hash streamed in 1 MiB chunks: a large file is never held in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def read_dropped_file(file: SourceFile, max_bytes: int) -> bytes:
    """The file's bytes, if it is still the version the ledger row describes."""
    path = Path(file.path)
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


# Codes for which there is no file to quarantine, or whose file is not bad input.
NOT_QUARANTINED = {"missing", "changed"}


def quarantine(file: SourceFile, error: StageError, quarantine_dir: Path) -> None:
    """Move a bad file aside (never delete it) and record why, as the file's final state."""
    if error.code in NOT_QUARANTINED:
        finish(file, LedgerState.FAILED, error.code, error.detail)
        return
    target = quarantine_dir / f"{file.id}-{Path(file.path).name}"
    source = Path(file.path)
    if source.exists() and not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(source, target)  # a rename, or copy + unlink across filesystems
    file.quarantine_path = str(target)
    finish(file, LedgerState.QUARANTINED, error.code, error.detail)

