"""The reconciler's ledger queries: files whose work stopped without reaching a final state.

A task lost with its message (Redis flushed, a worker killed before acknowledging, an enqueue
that failed after its commit) leaves its file in ``queued`` or ``processing``. Each stage
touches ``updated_at``, so a file untouched for longer than the lease has nobody working on it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

_GIVE_UP = text(
    """
    UPDATE source_files
    SET status = 'failed', error_code = 'gave_up', updated_at = now(), finished_at = now(),
        error_detail = 'no progress after ' || attempts || ' attempts (stage reached: '
                       || coalesce(stage, 'none') || ')'
                       || coalesce('; last error: ' || error_code || ': ' || error_detail, '')
    WHERE status IN ('queued', 'processing') AND updated_at < now() - make_interval(secs => :lease)
      AND attempts >= :max_attempts
      AND (CAST(:ids AS bigint[]) IS NULL OR id = ANY(CAST(:ids AS bigint[])))
    RETURNING id
    """
)

# SKIP LOCKED: a file a worker holds right now is not stale, whatever its timestamp says.
_CLAIM = text(
    """
    UPDATE source_files SET attempts = attempts + 1, updated_at = now()
    WHERE id IN (
        SELECT id FROM source_files
        WHERE status IN ('queued', 'processing')
          AND updated_at < now() - make_interval(secs => :lease)
          AND (CAST(:ids AS bigint[]) IS NULL OR id = ANY(CAST(:ids AS bigint[])))
        ORDER BY id FOR UPDATE SKIP LOCKED)
    RETURNING id, path
    """
)
_STALE = text(
    """
    SELECT id FROM source_files
    WHERE status IN ('queued', 'processing') AND updated_at < now() - make_interval(secs => :lease)
    ORDER BY id
    """
)


def stale_files(session: Session, lease_seconds: float) -> list[int]:
    """Ids of the non-final files untouched for ``lease_seconds``."""
    return list(session.execute(_STALE, {"lease": lease_seconds}).scalars())


def give_up_exhausted(session: Session, lease_seconds: float, max_attempts: int,
                      ids: Sequence[int] | None = None) -> int:
    """Stale files (of ``ids`` when given) out of attempts become ``failed``, saying why;
    returns how many."""
    params = {"lease": lease_seconds, "max_attempts": max_attempts, "ids": _ids(ids)}
    return len(session.execute(_GIVE_UP, params).all())


def claim_stale(session: Session, lease_seconds: float,
                ids: Sequence[int] | None = None) -> list[tuple[int, str]]:
    """(id, path) of stale files (of ``ids`` when given), with one more attempt counted and
    the lease renewed."""
    params = {"lease": lease_seconds, "ids": _ids(ids)}
    return [(row.id, row.path) for row in session.execute(_CLAIM, params)]


def _ids(ids: Sequence[int] | None) -> str | None:
    return None if ids is None else "{" + ",".join(map(str, ids)) + "}"
