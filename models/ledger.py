"""Ledger transitions for ``source_files``: every write a stage makes to a file's state.

All of them run inside the caller's transaction, so a state moves forward only when the
stage's own work commits with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Row, func, select, text, update
from sqlalchemy.orm import Session

from models.tables import FINAL_STATES, STAGE_ORDER, LedgerState, SourceFile, Stage


@dataclass(frozen=True)
class Registration:
    file_id: int
    status: str
    created: bool


_REGISTER = text(
    """
    INSERT INTO source_files (path, path_bytes, content_sha256, size, mtime, status, error_code,
                              error_detail, published_on, finished_at)
    VALUES (:path, :path_bytes, :sha, :size, :mtime, :status, :code, :detail, :published_on,
            CASE WHEN :status = 'queued' THEN NULL ELSE now() END)
    ON CONFLICT ON CONSTRAINT source_files_version_key
    DO UPDATE SET updated_at = source_files.updated_at
    RETURNING id, status, (xmax = 0) AS created
    """
)


def register_file(
    session: Session,
    path: str,
    sha256: str,
    size: int,
    mtime: float | None,
    status: LedgerState = LedgerState.QUEUED,
    error: tuple[str, str] | None = None,
    published_on: date | None = None,
    path_bytes: bytes | None = None,
) -> Registration:
    """Record one version (path + content hash) of a file; an existing version is returned as is.

    The no-op ``DO UPDATE`` makes ``RETURNING`` give the existing row's id and state, so two
    watchers noticing the same file race safely to one row.
    """
    code, detail = error or (None, None)
    params = dict(path=path, sha=sha256, size=size, mtime=mtime, status=str(status),
                  code=code, detail=detail, published_on=published_on, path_bytes=path_bytes)
    row = session.execute(_REGISTER, params).one()
    return Registration(row.id, row.status, row.created)


def known_version(session: Session, path: str, size: int, mtime: float) -> Registration | None:
    """The ledger row of a file unchanged since it was registered (same size and mtime).

    Lets the watcher's start-up scan and rescans skip hashing every file already done.
    """
    row = session.execute(
        select(SourceFile.id, SourceFile.status)
        .where(SourceFile.path == path, SourceFile.size == size, SourceFile.mtime == mtime)
        .order_by(SourceFile.id.desc()).limit(1)
    ).one_or_none()
    return Registration(row.id, row.status, False) if row else None


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
    SET stage = :stage, status = 'processing', updated_at = now(),
        attempts = attempts + CAST(:attempt AS integer)
    WHERE id = ANY(CAST(:ids AS bigint[])) AND status <> ALL(CAST(:final AS text[]))
      AND coalesce(array_position(CAST(:order AS text[]), stage), 0)
          < array_position(CAST(:order AS text[]), CAST(:stage AS text))
    RETURNING id, path, path_bytes, content_sha256, encoding, format
    """
)
_ORDER, _FINAL = [str(s) for s in STAGE_ORDER], [str(s) for s in FINAL_STATES]


def claim_stage(session: Session, file_ids: Iterable[int], stage: Stage,
                attempt: bool = False) -> Claim:
    """Lock the files and move them to ``stage``, inside the caller's transaction, where that
    stage's work is still to do; ``attempt`` counts one more attempt (the first stage).

    The stage's work commits with the move or neither does, so the ledger never runs ahead
    of the data. One statement for a whole message's files instead of a locking read and a
    later update per file: five stages per file made the ledger's round trips a large share
    of the per-file overhead.
    """
    order = list(dict.fromkeys(file_ids))
    params = {"ids": order, "stage": str(stage), "attempt": int(attempt), "final": _FINAL,
              "order": _ORDER}
    claimed = {row.id: row for row in session.execute(_CLAIM, params)}
    done: set[int] = set()
    if rest := [file_id for file_id in order if file_id not in claimed]:
        states = session.execute(select(SourceFile.id, SourceFile.status, SourceFile.stage)
                                 .where(SourceFile.id.in_(rest)))
        done = {state.id for state in states
                if state.status not in FINAL_STATES and _reached(state.stage, stage)}
    return Claim(order, [claimed[file_id] for file_id in order if file_id in claimed], done)


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
