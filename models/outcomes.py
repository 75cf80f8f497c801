"""What became of dropped files, in a line each: for the terminal, Flower and the CLI.

``stored 3 articles``, ``duplicate of #12``, ``quarantined: binary — moved to …``: read from the
ledger row and the file's items, so every place that reports an outcome says the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.orm import Session

from models.tables import LedgerState


@dataclass(frozen=True)
class Outcome:
    """A file's state and what it brought."""

    file_id: int
    path: str
    status: str
    items: int | None
    new_articles: int
    known_article: int | None  # an article the file's items were found to duplicate
    error_code: str | None
    error_detail: str | None
    quarantine_path: str | None
    finished_at: datetime | None

    @property
    def name(self) -> str:
        return Path(self.path).name

    def describe(self) -> str:
        """The outcome in a few words."""
        if self.status == LedgerState.STORED:
            known = (self.items or 0) - self.new_articles
            more = f", {known} known" if known > 0 else ""
            return f"stored {self.new_articles} article{'s' * (self.new_articles != 1)}{more}"
        if self.status == LedgerState.DUPLICATE:
            return f"duplicate of #{self.known_article}" if self.known_article else "duplicate"
        if self.status == LedgerState.QUARANTINED:
            where = f" — moved to {self.quarantine_path}" if self.quarantine_path else ""
            return f"quarantined: {self.error_code}{where}"
        if self.status == LedgerState.FAILED:
            return f"failed: {self.error_code}: {(self.error_detail or '')[:80]}"
        return str(self.status)


_OUTCOMES = """
    SELECT f.id, f.path, f.status, f.item_count, f.error_code, f.error_detail,
           f.quarantine_path, f.finished_at,
           count(*) FILTER (WHERE i.new_article) AS new_articles,
           min(i.article_id) FILTER (WHERE NOT i.new_article) AS known_article
    FROM ({files}) AS f
    LEFT JOIN file_items AS i ON i.file_id = f.id
    GROUP BY f.id, f.path, f.status, f.item_count, f.error_code, f.error_detail,
             f.quarantine_path, f.finished_at
    ORDER BY {order}
"""
_LATEST = text(_OUTCOMES.format(
    files="SELECT * FROM source_files WHERE finished_at IS NOT NULL "
          "ORDER BY finished_at DESC, id DESC LIMIT :limit",
    order="f.finished_at DESC, f.id DESC"))
_OF_FILES = text(_OUTCOMES.format(
    files="SELECT * FROM source_files WHERE id = ANY(CAST(:ids AS bigint[]))", order="f.id"))


def _outcomes(rows) -> list[Outcome]:
    return [Outcome(r.id, r.path, r.status, r.item_count, r.new_articles, r.known_article,
                    r.error_code, r.error_detail, r.quarantine_path, r.finished_at) for r in rows]


def latest_outcomes(session: Session, limit: int = 8) -> list[Outcome]:
    """The files that reached a final state last, newest first."""
    return _outcomes(session.execute(_LATEST, {"limit": limit}))


def outcomes_of(session: Session, file_ids: Sequence[int]) -> list[Outcome]:
    """The given files' outcomes (final or not), by id."""
    return _outcomes(session.execute(_OF_FILES, {"ids": list(file_ids)})) if file_ids else []
