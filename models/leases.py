"""The reconciler's ledger queries: files whose work stopped without reaching a final state.

A task lost with its message (Redis flushed, a worker killed before acknowledging, an enqueue
that failed after its commit) leaves its file in ``queued`` or ``processing``. Each stage
touches ``updated_at``, so a file untouched for longer than the lease has nobody working on it.
"""

from __future__ import annotations

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
        ORDER BY id FOR UPDATE SKIP LOCKED)
    RETURNING id, path
    """
)


def give_up_exhausted(session: Session, lease_seconds: float, max_attempts: int) -> int:
    """Stale files out of attempts become ``failed``, saying why; returns how many."""
    params = {"lease": lease_seconds, "max_attempts": max_attempts}
    return len(session.execute(_GIVE_UP, params).all())


def claim_stale(session: Session, lease_seconds: float) -> list[tuple[int, str]]:
    """(id, path) of stale files, with one more attempt counted and the lease renewed."""
    return [(row.id, row.path) for row in session.execute(_CLAIM, {"lease": lease_seconds})]
