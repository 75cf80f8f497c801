"""Writes and reads of items, articles, occurrences, entities and LSH bands.

Every insert is ``INSERT … ON CONFLICT``, so a stage that runs twice writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from models.tables import (
    Article,
    ArticleBand,
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


def lock_buckets(session: Session, keys: Iterable[int]) -> None:
    """Transaction-scoped advisory locks on LSH bucket keys, in sorted order (no deadlocks).

    Two workers holding near-duplicates share at least one bucket, so the second waits
    until the first has committed its article and bands, then finds it as a candidate.
    """
    for key in sorted(set(keys)):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def band_candidates(session: Session, bands: Sequence[tuple[int, int]]) -> list[Article]:
    """Articles sharing at least one (band, bucket) with the given keys: an index lookup."""
    if not bands:
        return []
    pairs = select(
        func.unnest([b for b, _ in bands]).label("band"),
        func.unnest([k for _, k in bands]).label("bucket"),
    ).subquery()
    ids = (
        select(ArticleBand.article_id)
        .join(pairs, (ArticleBand.band == pairs.c.band) & (ArticleBand.bucket == pairs.c.bucket))
        .distinct()
    )
    return list(session.scalars(select(Article).where(Article.id.in_(ids)).order_by(Article.id)))


def save_bands(session: Session, article_id: int, bands: Sequence[tuple[int, int]]) -> None:
    if bands:
        rows = [{"band": b, "bucket": k, "article_id": article_id} for b, k in bands]
        session.execute(insert(ArticleBand).values(rows).on_conflict_do_nothing())


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
