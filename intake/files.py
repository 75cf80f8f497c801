"""Reading dropped files and moving bad ones to quarantine (the tasks' only filesystem I/O)."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from sqlalchemy import Row
from sqlalchemy.orm import Session

from models.ledger import finish
from models.tables import LedgerState, SourceFile, Stage
from stages.items import DecodedPage, StageError
from stages.text.decode import ARCHIVE_HEAD_BYTES, MAX_DAMAGED_SHARE, archive_of, decode_page

CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    """Content hash streamed in 1 MiB chunks: a large file is never held in memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def ledger_path(path: Path) -> tuple[str, bytes]:
    """(the name as text, for the ``path`` column; its exact bytes, the file's identity).

    POSIX names are bytes; PostgreSQL text cannot hold the surrogates Python decodes
    undecodable bytes into, so such a name is shown with escapes, and two names can show
    alike (a raw byte and its escape spelled out): the bytes tell them apart.
    """
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace"), raw


def source_path(file: SourceFile | Row) -> Path:
    """Where the file was dropped, exactly, even when its name is not UTF-8."""
    return Path(os.fsdecode(bytes(file.path_bytes)))


def decode_dropped_file(file: SourceFile | Row, quarantine_dir: Path, max_page_bytes: int,
                        max_archive_bytes: int) -> DecodedPage:
    """The file decoded, if it is still the version the ledger row describes: a page's text,
    or only the format and codec of a JSON Lines archive, whose lines the parse stage streams
    (:func:`archive_lines`). A page over ``max_page_bytes``, or an archive over
    ``max_archive_bytes``, is refused ``too_large`` unread.
    """
    path = _readable_path(file, quarantine_dir)
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(ARCHIVE_HEAD_BYTES)
        if (archive := archive_of(head, file.path)) is not None:
            _within(size, max_archive_bytes, "an archive")
            _same_version(file, sha256_of(path))
            return archive
        _within(size, max_page_bytes, "a page")
        data = path.read_bytes()
    except FileNotFoundError as missing:
        raise StageError("missing", f"the file is gone from {file.path}") from missing
    _same_version(file, hashlib.sha256(data).hexdigest())
    return decode_page(data, file.path)


def _readable_path(file: SourceFile | Row, quarantine_dir: Path) -> Path:
    """Where to read the file. One gone from where it was dropped but present as its
    quarantined copy was moved aside by an earlier attempt whose transaction then failed
    (the move cannot roll back): it is read there, so the retry finds the same fault and
    records it, instead of calling the file missing."""
    path = source_path(file)
    if not path.exists() and (kept := quarantined_copy(file, quarantine_dir)).exists():
        return kept
    return path


def _within(size: int, limit: int, what: str) -> None:
    if size > limit:
        raise StageError("too_large", f"{size:,} bytes is over the limit of {limit:,} bytes "
                                      f"for {what}")


def _same_version(file: SourceFile | Row, sha256: str) -> None:
    if sha256 != file.content_sha256:
        raise StageError("changed", "the file changed after it was noticed; its new content "
                                    "is a new version with a ledger row of its own")


class _Hashing(io.RawIOBase):
    """A binary file that hashes what is read through it."""

    def __init__(self, raw: io.RawIOBase, digest) -> None:
        self.raw, self.digest = raw, digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        count = self.raw.readinto(buffer)
        self.digest.update(memoryview(buffer)[:count])
        return count


def archive_lines(file: SourceFile | Row, quarantine_dir: Path, max_line_bytes: int) -> Iterator[str]:
    """The lines of a JSON Lines archive as they are read, decoded with the codec ingest
    found (``file.encoding``): memory flat in the archive's size.

    Raises ``StageError`` for a line over ``max_line_bytes`` (a line holds at most a page),
    a line the codec does not decode (UTF-8 may have the damage a page may have), and, once
    the last line is read, a file that is no longer the version registered.
    """
    codec, path, digest = file.encoding or "utf-8", _readable_path(file, quarantine_dir), hashlib.sha256()
    damaged = size = 0
    try:
        with path.open("rb", buffering=0) as raw:
            binary = io.BufferedReader(_Hashing(raw, digest), CHUNK)
            for line in _decoded(binary, codec, max_line_bytes):
                damaged, size = damaged + line.count("\ufffd"), size + len(line)
                yield line
            binary.read()  # the rest of the file (nothing, or bytes after the last line) is hashed too
    except FileNotFoundError as missing:
        raise StageError("missing", f"the file is gone from {file.path}") from missing
    if damaged > max(1, size * MAX_DAMAGED_SHARE):
        raise StageError("undecodable", f"{damaged:,} invalid UTF-8 sequences")
    _same_version(file, digest.hexdigest())


# Codecs in which a newline byte may sit inside a character: lines are cut after decoding.
_WIDE = ("utf-16", "utf-32")


def _decoded(binary: io.BufferedReader, codec: str, limit: int) -> Iterator[str]:
    """``binary``'s lines decoded one by one, so that an error names its line."""
    if codec in _WIDE:
        text = io.TextIOWrapper(binary, encoding=codec, newline=None)
        lines, newline = iter(lambda: text.readline(limit), ""), "\n"
    else:
        lines, newline = iter(lambda: binary.readline(limit), b""), b"\n"
    for number, line in enumerate(lines, start=1):
        if len(line) >= limit and not line.endswith(newline):
            raise StageError("bad_jsonl", f"line {number}: longer than {limit:,} bytes "
                                          "(NEWSFLOW_MAX_FILE_BYTES)")
        if isinstance(line, str):
            yield line
            continue
        try:
            yield line.decode(codec if number == 1 else codec.replace("-sig", ""),
                              errors="replace" if codec == "utf-8" else "strict")
        except UnicodeDecodeError:
            raise StageError("undecodable", f"line {number}: not valid {codec}, the encoding "
                                            "of the archive's first lines") from None
    if codec in _WIDE:
        text.detach()  # the caller's file stays open: it hashes what is left


def quarantined_copy(file: SourceFile | Row, quarantine_dir: Path) -> Path:
    """Where :func:`quarantine` puts the file: its id keeps two same-named files apart, and
    the ledger's text form of its name (escapes for bytes that are not UTF-8) keeps the path
    storable in the ledger."""
    return quarantine_dir / f"{file.id}-{PurePosixPath(file.path).name}"


def inside(path: Path, folder: Path) -> bool:
    """Whether ``path``'s folder, links resolved, lies within ``folder``."""
    return path.parent.resolve().is_relative_to(folder.resolve())


# Codes for which there is no file to quarantine, or whose file is not bad input.
NOT_QUARANTINED = {"missing", "changed"}


def quarantine(session: Session, file: Row, reached: Stage | None, error: StageError,
               quarantine_dir: Path, inbox: Path) -> None:
    """Set a bad file aside (never delete it) and record why, as the file's final state;
    ``reached`` is the last stage whose work stands (the failing stage's does not).

    A file dropped into the inbox is moved out of it; one ingested from a folder the user only
    asked to read (``newsflow ingest`` elsewhere) is copied, its folder left as it was. The
    quarantine folder is its owner's only (0700), each file in it 0600: bad input may hold
    anything.
    """
    if error.code in NOT_QUARANTINED:
        finish(session, file.id, LedgerState.FAILED, error.code, error.detail, stage=reached)
        return
    source, target = source_path(file), quarantined_copy(file, quarantine_dir)
    if source.exists() and not target.exists():
        quarantine_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        if inside(source, inbox) and not source.is_symlink():
            shutil.move(source, target)  # a rename, or copy + unlink across filesystems
        else:
            shutil.copyfile(source, target)
        target.chmod(0o600)
    finish(session, file.id, LedgerState.QUARANTINED, error.code, error.detail, stage=reached,
           quarantine_path=str(target))
