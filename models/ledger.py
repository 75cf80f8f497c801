"""Ledger transitions for ``source_files``: every write a stage makes to a file's state.

All of them run inside the caller's transaction, so a state moves forward only when the
stage's own work commits with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, func, select, text, update
from sqlalchemy.orm import Session

from models.db import json_rows
from models.tables import FINAL_STATES, STAGE_ORDER, LedgerState, SourceFile, Stage


@dataclass(frozen=True)
class Registration:
    file_id: int
    status: str
    created: bool


@dataclass(frozen=True)
class FileVersion:
    """One version of a dropped file as the ledger records it: ``path_bytes`` is the exact
    name, its identity; ``path`` the name as text (with escapes where it is not UTF-8)."""

    path: str
    path_bytes: bytes
    sha256: str
    size: int
    mtime: float | None
    published_on: date | None = None


# Sorted by version: two registrars meeting the same new files (a watcher and
# ``newsflow ingest``) take their unique-key locks in one order and cannot deadlock. DISTINCT:
# an ON CONFLICT DO UPDATE may not touch one row twice. The no-op DO UPDATE makes RETURNING
# give an existing row too, so two watchers noticing the same file race safely to one row. A
# new version supersedes the name's older ones in the same statement.
_REGISTER = text(
    """
    WITH incoming AS (
        SELECT DISTINCT ON (path_bytes, sha) *
        FROM jsonb_to_recordset(CAST(:files AS jsonb)) AS v(
            path text, path_bytes text, sha text, size bigint, mtime float8, published_on date)
        ORDER BY path_bytes, sha
    ), registered AS (
        INSERT INTO source_files (path, path_bytes, content_sha256, size, mtime, status,
                                  published_on)
        SELECT path, decode(path_bytes, 'hex'), sha, size, mtime, :status, published_on
        FROM incoming ORDER BY path_bytes, sha
        ON CONFLICT ON CONSTRAINT source_files_version_key
        DO UPDATE SET updated_at = source_files.updated_at
        RETURNING id, path_bytes, content_sha256, status, (xmax = 0) AS created
    ), superseding AS (
        UPDATE source_files AS old SET superseded_by = r.id
        FROM registered AS r
        WHERE r.created AND old.path_bytes = r.path_bytes AND old.id < r.id
          AND old.superseded_by IS NULL
    )
    SELECT * FROM registered
    """
)


def register_files(session: Session, versions: Sequence[FileVersion]) -> list[Registration]:
    """Record file versions (path + content hash) as ``queued`` in one statement; a version
    the ledger holds already is returned as it is. One registration per version, in order.

    The watcher registers the files that became ready together: a statement per file was
    most of its CPU under a backlog.
    """
    if not versions:
        return []
    rows = [{"path": v.path, "path_bytes": v.path_bytes.hex(), "sha": v.sha256, "size": v.size,
             "mtime": v.mtime, "published_on": v.published_on.isoformat() if v.published_on else None}
            for v in versions]
    found = {(bytes(row.path_bytes), row.content_sha256): Registration(row.id, row.status, row.created)
             for row in session.execute(_REGISTER, {"files": json_rows(rows),
                                                    "status": str(LedgerState.QUEUED)})}
    return [found[v.path_bytes, v.sha256] for v in versions]


_KNOWN = text(
    """
    SELECT DISTINCT ON (v.i) v.i, f.id, f.status
    FROM jsonb_to_recordset(CAST(:files AS jsonb)) AS v(i integer, path_bytes text, size bigint,
                                                        mtime float8)
    JOIN source_files AS f ON f.path_bytes = decode(v.path_bytes, 'hex') AND f.size = v.size
                          AND f.mtime = v.mtime
    ORDER BY v.i, f.id DESC
    """
)


def known_versions(session: Session, files: Sequence[tuple[bytes, int, float]]
                   ) -> list[Registration | None]:
    """For each (exact name, size, mtime): the ledger row of that file unchanged since it was
    registered (its newest), or None. One statement for them all.

    Lets the watcher's start-up scan and rescans skip hashing every file already done.
    """
    if not files:
        return []
    rows = [{"i": i, "path_bytes": name.hex(), "size": size, "mtime": mtime}
            for i, (name, size, mtime) in enumerate(files)]
    found = {row.i: Registration(row.id, row.status, False)
             for row in session.execute(_KNOWN, {"files": json_rows(rows)})}
    return [found.get(i) for i in range(len(files))]


def lock_file(session: Session, file_id: int) -> SourceFile | None:
    """The file's ledger row, locked until commit: one worker at a time works on one file."""
    return session.get(SourceFile, file_id, with_for_update=True)


@dataclass(frozen=True)
class Claim:
    """What a stage is to do with a message's files: ``files`` are the locked rows of those
    whose work is to do, in the order given; ``done`` the ids of those whose work for this
    stage is committed already (a redelivered message): they go on without it. Files that
    are final, or gone, are in neither."""

    order: list[int]
    files: list[Row]
    done: set[int]

    @property
    def ids(self) -> list[int]:
        """The ids of ``files``: those the stage works on."""
        return [file.id for file in self.files]

    def go_on(self, worked: Iterable[int]) -> list[int]:
        """The ids that go on to the next stage (``worked`` and ``done``), in message order."""
        going = self.done | set(worked)
        return [file_id for file_id in self.order if file_id in going]


# Locks the rows and marks the stage in one statement. Under READ COMMITTED, a second
# worker waiting on a lock re-checks the WHERE against the committed row and skips it.
_CLAIM = text(
    """
    UPDATE source_files
    SET stage = CASE WHEN :move THEN CAST(:stage AS text) ELSE stage END,
        status = 'processing', updated_at = now(), attempts = attempts + CAST(:attempt AS integer)
    WHERE id = ANY(CAST(:ids AS bigint[])) AND status <> ALL(CAST(:final AS text[]))
      AND coalesce(array_position(CAST(:order AS text[]), stage), 0)
          < array_position(CAST(:order AS text[]), CAST(:stage AS text))
    RETURNING id, path, path_bytes, content_sha256, encoding, format
    """
)
_ORDER, _FINAL = [str(s) for s in STAGE_ORDER], [str(s) for s in FINAL_STATES]


def claim_stage(session: Session, file_ids: Iterable[int], stage: Stage,
                attempt: bool = False, move: bool = True) -> Claim:
    """Lock the files and move them to ``stage``, inside the caller's transaction, where that
    stage's work is still to do; ``attempt`` counts one more attempt (the first stage).
    ``move=False`` locks them without moving: a stage that works through a large file in
    several transactions moves it (``advance_stage``) with its last one.

    The stage's work commits with the move or neither does, so the ledger never runs ahead
    of the data. One statement for a whole message's files instead of a locking read and a
    later update per file: five stages per file made the ledger's round trips a large share
    of the per-file overhead.
    """
    order = list(dict.fromkeys(file_ids))
    params = {"ids": order, "stage": str(stage), "attempt": int(attempt), "final": _FINAL,
              "order": _ORDER, "move": move}
    claimed = {row.id: row for row in session.execute(_CLAIM, params)}
    done: set[int] = set()
    if rest := [file_id for file_id in order if file_id not in claimed]:
        states = session.execute(select(SourceFile.id, SourceFile.status, SourceFile.stage)
                                 .where(SourceFile.id.in_(rest)))
        done = {state.id for state in states
                if state.status not in FINAL_STATES and _reached(state.stage, stage)}
    return Claim(order, [claimed[file_id] for file_id in order if file_id in claimed], done)


def unfinished(session: Session, file_ids: Sequence[int], stage: Stage) -> list[int]:
    """Of the files, those not final and not yet at ``stage``, in the order given."""
    if not file_ids:
        return []
    rows = session.execute(select(SourceFile.id, SourceFile.status, SourceFile.stage)
                           .where(SourceFile.id.in_(list(file_ids))))
    open_ = {row.id for row in rows
             if row.status not in FINAL_STATES and not _reached(row.stage, stage)}
    return [file_id for file_id in file_ids if file_id in open_]


def advance_stage(session: Session, file_ids: Sequence[int], stage: Stage) -> None:
    """Move files to ``stage`` once all of that stage's work for them is in this transaction."""
    if file_ids:
        session.execute(update(SourceFile).where(SourceFile.id.in_(list(file_ids)))
                        .values(stage=stage, updated_at=func.now()))


def _reached(current: str | None, stage: Stage) -> bool:
    return current is not None and STAGE_ORDER.index(Stage(current)) >= STAGE_ORDER.index(stage)


def finish(session: Session, file_ids: int | Iterable[int], status: LedgerState,
           code: str | None = None, detail: str | None = None, **values) -> None:
    """Put a file (or several) in one of the final states, with the reason when it is not a
    success; ``values``: other columns to set with it (a quarantine path, …)."""
    ids = [file_ids] if isinstance(file_ids, int) else list(file_ids)
    session.execute(update(SourceFile).where(SourceFile.id.in_(ids)).values(
        status=status, error_code=code, error_detail=detail, updated_at=func.now(),
        finished_at=func.now(), **values))


def mark_failed(session: Session, file_id: int, code: str, detail: str) -> None:
    """Record a failure from outside a stage's transaction (a task that gave up)."""
    session.execute(
        update(SourceFile)
        .where(SourceFile.id == file_id, SourceFile.status.not_in(FINAL_STATES))
        .values(status=LedgerState.FAILED, error_code=code, error_detail=detail[:4000],
                updated_at=func.now(), finished_at=func.now())
    )


def unfinished_file_ids(session: Session) -> list[tuple[int, str]]:
    """Files not yet in a final state, oldest first: what a restart must enqueue again."""
    rows = session.execute(
        select(SourceFile.id, SourceFile.path)
        .where(SourceFile.status.not_in(FINAL_STATES))
        .order_by(SourceFile.id)
    )
    return [(row.id, row.path) for row in rows]


def status_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(SourceFile.status, func.count()).group_by(SourceFile.status)
    ).all()
    return {status: count for status, count in rows}
