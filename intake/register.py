"""Register dropped files in the ledger: one version (path + content hash) per file.

Shared by the watcher and ``newsflow ingest``. Registration commits first; only then do the
callers enqueue the ids (``tasks.enqueue``), so the ledger always knows about a file before
the broker does.
"""

from __future__ import annotations

import os
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

from sqlalchemy.orm import Session

from intake.dates import publication_date, sidecar_name
from intake.files import ledger_path, sha256_of
from models.db import transaction
from models.ledger import FileVersion, known_versions, register_files
from models.tables import FINAL_STATES

REGISTER_CHUNK = 1000  # files per transaction of registration (see ``lots``)


@dataclass(frozen=True)
class Intake:
    file_id: int
    path: str
    status: str
    enqueued: bool


@dataclass
class Registered:
    """What registering a lot of paths came to: the files registered (or found registered),
    with their intake, and the files that could not be read for now."""

    intakes: list[tuple[Path, Intake]] = field(default_factory=list)
    unreadable: list[tuple[Path, OSError]] = field(default_factory=list)


def register_paths(session: Session, paths: Sequence[Path],
                   requeue: Container[Path] = ()) -> Registered:
    """Record the files' versions in the caller's transaction; an intake's ``enqueued`` says
    whether the file must go on the queue once that commits: when it is new (or, for a path
    in ``requeue``, unfinished). The caller sends those, together (``tasks.enqueue.send_files``).

    Callers register the files that are ready together in one transaction and two
    statements (the look-up of known versions, the insert of new ones): a transaction, or a
    statement, per file cost the watcher more CPU than registering itself. The watcher meets
    the same files again on every rescan and event; re-enqueueing the ones still waiting
    behind a backlog would flood the queue with copies. Lost work is the reconciler's to
    find; ``newsflow ingest`` and a watcher's retry ask for ``requeue`` explicitly.

    A file gone again, or turned into something that is not a regular file, is left out; one
    that cannot be read for now is listed as ``unreadable`` and does not hold up the others.
    """
    done, noticed = Registered(), []
    for path in paths:
        if (file := _noticed(path, done)) is not None:
            noticed.append(file)
    known = known_versions(session, [(file.raw_path, file.stat.st_size, file.stat.st_mtime)
                                     for file in noticed])
    new: dict[Path, FileVersion] = {}
    for file, reg in zip(noticed, known, strict=True):
        if reg is None and (version := _version(file, done)) is not None:
            new[file.path] = version
    registered = dict(zip(new, register_files(session, list(new.values())), strict=True))
    for file, reg in zip(noticed, known, strict=True):
        if (reg := reg or registered.get(file.path)) is not None:
            enqueue = reg.created or (file.path in requeue and reg.status not in FINAL_STATES)
            done.intakes.append((file.path, Intake(reg.file_id, file.text_path, reg.status,
                                                   enqueue)))
    return done


def lots(paths: Sequence[Path]) -> Iterator[Sequence[Path]]:
    """``paths`` in lots of ``REGISTER_CHUNK``, each to register (:func:`register_lot`) and
    send before the next: the first files of a large backlog or archive are on their way
    through the pipeline while the rest are still being hashed, and an interrupted run keeps
    what it committed (known files are found again by size and mtime, not hashed again)."""
    for start in range(0, len(paths), REGISTER_CHUNK):
        yield paths[start:start + REGISTER_CHUNK]


def register_lot(lot: Sequence[Path], database_url: str,
                 requeue: Container[Path] = ()) -> Registered:
    """:func:`register_paths` in a transaction of its own, committed when this returns: the
    files it says to enqueue may then be sent."""
    with transaction(database_url) as session:
        return register_paths(session, lot, requeue)


@dataclass(frozen=True)
class _Noticed:
    path: Path  # as the caller named it
    absolute: Path
    stat: os.stat_result
    text_path: str  # the ledger's name for it
    raw_path: bytes  # the exact name: the file's identity


def _noticed(path: Path, done: Registered) -> _Noticed | None:
    """The file's stat and ledger names; None (``done`` told why, if it is unreadable) when
    it is gone again or no longer a regular file."""
    absolute = path.absolute()
    try:
        stat = absolute.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        done.unreadable.append((path, error))
        return None
    if not S_ISREG(stat.st_mode):  # a FIFO now (hashing it would block) or a device
        return None
    return _Noticed(path, absolute, stat, *ledger_path(absolute))


def _version(file: _Noticed, done: Registered) -> FileVersion | None:
    """The version to register (content hash, publication date); None if it cannot be read
    now (``done`` told) or is gone."""
    try:
        sha256 = sha256_of(file.absolute)
    except FileNotFoundError:
        return None
    except OSError as error:
        done.unreadable.append((file.path, error))
        return None
    return FileVersion(file.text_path, file.raw_path, sha256, file.stat.st_size, file.stat.st_mtime,
                       published_on=publication_date(file.text_path, _sidecar_text(file.absolute)))


def _sidecar_text(path: Path) -> str | None:
    """The page's date sidecar, if one was dropped with it (write it before the page)."""
    try:
        return path.with_name(sidecar_name(path.name)).read_text(encoding="utf-8")
    except (FileNotFoundError, UnicodeDecodeError):
        return None
