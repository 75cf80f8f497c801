"""Writes and reads of items, articles, occurrences, entities and LSH bands.

Every insert is ``INSERT … ON CONFLICT``, so a stage that runs twice writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Row, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from models.tables import (
    Article,
    ArticleEntity,
    ArticleOccurrence,
    FileItem,
    PageText,
)


def save_page_text(session: Session, file_id: int, page_text: str) -> None:
    stmt = insert(PageText).values(file_id=file_id, text=page_text)
    session.execute(stmt.on_conflict_do_update(index_elements=["file_id"], set_={"text": page_text}))


def page_text(session: Session, file_id: int) -> str:
    return session.execute(select(PageText.text).where(PageText.file_id == file_id)).scalar_one()


def save_items(session: Session, file_id: int, items: Sequence[dict]) -> None:
    """Insert a file's parsed items in one statement; positions already saved are kept."""
    if items:
        rows = [{**item, "file_id": file_id} for item in items]
        session.execute(insert(FileItem).values(rows).on_conflict_do_nothing())


def file_items(session: Session, file_id: int) -> list[FileItem]:
    query = select(FileItem).where(FileItem.file_id == file_id).order_by(FileItem.position)
    return list(session.scalars(query))


def insert_article(session: Session, values: dict) -> int | None:
    """A new article's id, or None when an article with the same content hash exists."""
    stmt = insert(Article).values(**values).on_conflict_do_nothing(
        index_elements=["content_sha256"]
    )
    return session.execute(stmt.returning(Article.id)).scalar_one_or_none()


def article_id_by_hash(session: Session, sha256: str) -> int:
    query = select(Article.id).where(Article.content_sha256 == sha256)
    return session.execute(query).scalar_one()


_LOCK_BUCKETS = text(
    # The inner ORDER BY fixes the order the locks are taken in, whatever the caller passed.
    "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT k FROM unnest(CAST(:keys AS bigint[])) AS k"
    " ORDER BY k) AS sorted_keys"
)


def lock_buckets(session: Session, keys: Iterable[int]) -> None:
    """Transaction-scoped advisory locks on LSH bucket keys, in sorted order (no deadlocks).

    Two workers holding near-duplicates share at least one bucket, so the second waits
    until the first has committed its article and bands, then finds it as a candidate.
    One statement for all keys: a round trip per key was a third of the dedupe cost.
    """
    unique = sorted(set(keys))
    if unique:
        session.execute(_LOCK_BUCKETS, {"keys": unique})


_CANDIDATES = text(
    """
    SELECT a.id, a.body, a.signature, a.duplicate_of
    FROM articles a
    WHERE a.id IN (
        SELECT b.article_id
        FROM article_bands b
        JOIN unnest(CAST(:bands AS smallint[]), CAST(:buckets AS bigint[])) AS k(band, bucket)
          ON b.band = k.band AND b.bucket = k.bucket)
    ORDER BY a.id
    """
)


def band_candidates(session: Session, bands: Sequence[tuple[int, int]]) -> list[Row]:
    """(id, body, signature, duplicate_of) of articles sharing a (band, bucket): index lookups."""
    if not bands:
        return []
    params = {"bands": [b for b, _ in bands], "buckets": [k for _, k in bands]}
    return list(session.execute(_CANDIDATES, params))


_SAVE_BANDS = text(
    "INSERT INTO article_bands (band, bucket, article_id)"
    " SELECT band, bucket, :article_id"
    " FROM unnest(CAST(:bands AS smallint[]), CAST(:buckets AS bigint[])) AS k(band, bucket)"
    " ON CONFLICT DO NOTHING"
)


def save_bands(session: Session, article_id: int, bands: Sequence[tuple[int, int]]) -> None:
    if bands:
        params = {"article_id": article_id, "bands": [b for b, _ in bands],
                  "buckets": [k for _, k in bands]}
        session.execute(_SAVE_BANDS, params)


def save_occurrences(session: Session, file_id: int, links: Sequence[tuple[int, int]]) -> None:
    """Record (position, article id) appearances of a file's items."""
    if links:
        rows = [{"file_id": file_id, "position": p, "article_id": a} for p, a in links]
        session.execute(insert(ArticleOccurrence).values(rows).on_conflict_do_nothing())


def save_entities(session: Session, article_id: int, entities: Sequence[dict]) -> None:
    if entities:
        rows = [{**entity, "article_id": article_id} for entity in entities]
        session.execute(insert(ArticleEntity).values(rows).on_conflict_do_nothing())


def article_counts(session: Session) -> dict[str, int]:
    total, canonical = session.execute(
        select(func.count(), func.count().filter(Article.duplicate_of.is_(None)))
    ).one()
    occurrences = session.execute(select(func.count()).select_from(ArticleOccurrence)).scalar()
    return {"articles": total, "canonical": canonical, "occurrences": occurrences}
