"""Writes and reads of items, articles, occurrences, entities and LSH bands.

Every insert is ``INSERT … ON CONFLICT``, so a stage that runs twice writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import BigInteger, Column, Row, Text, any_, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, Insert, insert
from sqlalchemy.orm import Session

from models.search import SEARCH_FROM_PARAMS
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


# The multi-row inserts below pass their rows as parameters of one single-row statement with
# RETURNING: SQLAlchemy then sends them as one multi-row INSERT ("insertmanyvalues") and
# compiles it once per process. Without RETURNING, an ``ON CONFLICT`` insert goes out as one
# statement per row (psycopg's executemany): 19 entity rows of a file were 19 executions,
# each parsed, planned and run by the server; ``.values(rows)`` compiled anew for every file.


def _insert_new(returned: Column) -> Insert:
    """``INSERT … ON CONFLICT DO NOTHING`` into ``returned``'s table, returning that column
    (only so that the rows travel as one statement; the result is not read)."""
    return insert(returned.table).on_conflict_do_nothing().returning(returned)


def save_items(session: Session, file_id: int, items: Sequence[dict]) -> None:
    """Insert a file's parsed items in one statement; positions already saved are kept."""
    if items:
        rows = [{**item, "file_id": file_id} for item in items]
        session.execute(_insert_new(FileItem.__table__.c.position), rows)


def file_items(session: Session, file_id: int) -> list[FileItem]:
    query = select(FileItem).where(FileItem.file_id == file_id).order_by(FileItem.position)
    return list(session.scalars(query))


def item_links(session: Session, file_id: int) -> list[Row]:
    """(position, article_id, new_article, entities) of a file's items, in page order.

    Only the entities leave the server, not the whole normalized item with its token list:
    the store step needs nothing else, and decoding that JSON was most of its time.
    """
    entities = FileItem.normalized["enrichment"]["entities"].label("entities")
    query = (select(FileItem.position, FileItem.article_id, FileItem.new_article, entities)
             .where(FileItem.file_id == file_id).order_by(FileItem.position))
    return list(session.execute(query))


def insert_articles(session: Session, values: Sequence[dict]) -> dict[str, int]:
    """Insert a file's new articles in one statement: content hash -> id of those inserted.

    A body another transaction stored meanwhile is left out (``ON CONFLICT DO NOTHING``)
    and missing from the result, so the caller links the item to that article instead.
    """
    if not values:
        return {}
    stmt = (insert(Article.__table__).values(search=SEARCH_FROM_PARAMS)
            .on_conflict_do_nothing(index_elements=["content_sha256"])
            .returning(Article.content_sha256, Article.id))
    return dict(session.execute(stmt, list(values)).all())


def set_duplicate_of(session: Session, links: Mapping[int, int]) -> None:
    """article id -> canonical id, for articles whose canonical was inserted with them."""
    for article_id, canonical in links.items():
        session.execute(update(Article).where(Article.id == article_id)
                        .values(duplicate_of=canonical))


# "= ANY(array)": one statement text whatever the number of values (an IN list is rendered,
# and converted by the driver, anew for every length).
_IDS_BY_HASH = select(Article.content_sha256, Article.id).where(
    Article.content_sha256 == any_(bindparam("hashes", type_=ARRAY(Text))))
_BODIES = select(Article.id, Article.body).where(
    Article.id == any_(bindparam("ids", type_=ARRAY(BigInteger))))


def article_ids_by_hash(session: Session, hashes: Iterable[str]) -> dict[str, int]:
    """content hash -> article id for those of the given hashes an article holds."""
    hashes = list(hashes)
    if not hashes:
        return {}
    return dict(session.execute(_IDS_BY_HASH, {"hashes": hashes}).all())


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


_BAND_HITS = text(
    """
    SELECT b.band, b.bucket, a.id, a.signature, a.duplicate_of, a.shingle_count
    FROM article_bands b
    JOIN unnest(CAST(:bands AS smallint[]), CAST(:buckets AS bigint[])) AS k(band, bucket)
      ON b.band = k.band AND b.bucket = k.bucket
    JOIN articles a ON a.id = b.article_id
    ORDER BY a.id
    """
)


def band_hits(session: Session, bands: Iterable[tuple[int, int]]) -> list[Row]:
    """(band, bucket, id, signature, duplicate_of, shingle_count) of the articles in any of
    the buckets.

    One query for a whole file, and no bodies: most candidates fail the signature estimate,
    and fetching their text was most of the dedupe step's database time.
    """
    unique = sorted(set(bands))
    if not unique:
        return []
    params = {"bands": [b for b, _ in unique], "buckets": [k for _, k in unique]}
    return list(session.execute(_BAND_HITS, params))


def article_bodies(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Bodies of the given articles, by id."""
    wanted = list(ids)
    if not wanted:
        return {}
    return dict(session.execute(_BODIES, {"ids": wanted}).all())


_SAVE_BANDS = text(
    "INSERT INTO article_bands (band, bucket, article_id)"
    " SELECT * FROM unnest(CAST(:bands AS smallint[]), CAST(:buckets AS bigint[]),"
    "                      CAST(:articles AS bigint[]))"
    " ON CONFLICT DO NOTHING"
)


def save_bands(session: Session, bands: Mapping[int, Sequence[tuple[int, int]]]) -> None:
    """The LSH (band, bucket) keys of a file's new articles (article id -> keys), one statement."""
    triples = [(band, bucket, article_id)
               for article_id, keys in bands.items() for band, bucket in keys]
    if triples:
        session.execute(_SAVE_BANDS, {"bands": [t[0] for t in triples],
                                      "buckets": [t[1] for t in triples],
                                      "articles": [t[2] for t in triples]})


def save_occurrences(session: Session, file_id: int, links: Sequence[tuple[int, int]]) -> None:
    """Record (position, article id) appearances of a file's items."""
    if links:
        rows = [{"file_id": file_id, "position": p, "article_id": a} for p, a in links]
        session.execute(_insert_new(ArticleOccurrence.__table__.c.position), rows)


def save_entities(session: Session, entities: Mapping[int, Sequence[dict]]) -> None:
    """The named entities of a file's new articles (article id -> entities), one statement."""
    rows = [{**entity, "article_id": article_id}
            for article_id, found in entities.items() for entity in found]
    if rows:
        session.execute(_insert_new(ArticleEntity.__table__.c.count), rows)


def article_counts(session: Session) -> dict[str, int]:
    total, canonical = session.execute(
        select(func.count(), func.count().filter(Article.duplicate_of.is_(None)))
    ).one()
    occurrences = session.execute(select(func.count()).select_from(ArticleOccurrence)).scalar()
    return {"articles": total, "canonical": canonical, "occurrences": occurrences}
