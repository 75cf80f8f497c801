"""Writes and reads of items, articles, occurrences, entities and LSH bands.

Every insert is ``INSERT … ON CONFLICT``, so a stage that runs twice writes nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from types import SimpleNamespace

from sqlalchemy import BigInteger, Row, Text, any_, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.orm import Session

from models.search import SEARCH_FROM_PARAMS
from models.tables import (
    Article,
    ArticleOccurrence,
    FileItem,
    PageText,
)
from stages.items import DecodedPage, PageItem

_SAVE_PAGE = text(
    """
    WITH saved AS (
        INSERT INTO page_texts (file_id, text) VALUES (:file_id, :text)
        ON CONFLICT (file_id) DO UPDATE SET text = EXCLUDED.text
    )
    UPDATE source_files SET encoding = :encoding, format = :format WHERE id = :file_id
    """
)


def save_page(session: Session, file_id: int, page: DecodedPage) -> None:
    """The file's decoded text, and its encoding and format on its ledger row (one statement)."""
    session.execute(_SAVE_PAGE, {"file_id": file_id, "text": page.text,
                                 "encoding": page.encoding, "format": page.format})


def page_text(session: Session, file_id: int) -> str:
    return session.execute(select(PageText.text).where(PageText.file_id == file_id)).scalar_one()


_PARSED = ", ".join(name if name != "body" else "body_original"
                    for name in (field.name for field in fields(PageItem)))
# The rows travel as one JSON array the server turns into records by column name: one
# parameter, where a multi-row VALUES has one per column per row for the client to bind.
_SAVE_ITEMS = text(
    f"""
    WITH saved AS (
        INSERT INTO file_items (file_id, {_PARSED})
        SELECT :file_id, {_PARSED}
        FROM jsonb_populate_recordset(NULL::file_items, CAST(:items AS jsonb))
        ON CONFLICT DO NOTHING
    )
    UPDATE source_files SET item_count = :count WHERE id = :file_id
    """
)


def save_items(session: Session, file_id: int, items: Sequence[dict]) -> None:
    """Insert a file's parsed items (``tasks.rows.item_row``) and record how many there
    are, in one statement; positions already saved are kept."""
    session.execute(_SAVE_ITEMS, {"file_id": file_id, "count": len(items),
                                  "items": json.dumps(list(items), ensure_ascii=False)})


_FILE_ITEMS = (select(FileItem.__table__)
               .where(FileItem.__table__.c.file_id == bindparam("file_id"))
               .order_by(FileItem.__table__.c.position))


def file_items(session: Session, file_id: int) -> list[SimpleNamespace]:
    """A file's items in page order, as plain mutable copies of their rows.

    Not ORM objects: the session would track every change and write each row with an
    UPDATE of its own at commit (that flush was an eighth of the normalize and dedupe
    steps' CPU); the steps write what they change with ``save_normalized`` and
    ``save_links``, one statement per file.
    """
    return [SimpleNamespace(**row._mapping) for row in session.execute(_FILE_ITEMS,
                                                                        {"file_id": file_id})]


_SAVE_NORMALIZED = text(
    """
    UPDATE file_items AS i SET content_sha256 = v.sha, normalized = CAST(v.normalized AS jsonb)
    FROM unnest(CAST(:positions AS integer[]), CAST(:hashes AS text[]),
                CAST(:normalized AS text[])) AS v(position, sha, normalized)
    WHERE i.file_id = :file_id AND i.position = v.position
    """
)


def save_normalized(session: Session, file_id: int,
                    items: Sequence[tuple[int, str, dict]]) -> None:
    """(position, content hash, normalized JSON) of a file's items, in one statement."""
    if items:
        session.execute(_SAVE_NORMALIZED, {
            "file_id": file_id, "positions": [position for position, _, _ in items],
            "hashes": [digest for _, digest, _ in items],
            # Chinese text as UTF-8, not \uXXXX escapes: half the bytes to send and parse.
            "normalized": [json.dumps(value, ensure_ascii=False) for _, _, value in items]})


_SAVE_LINKS = text(
    """
    UPDATE file_items AS i
    SET content_sha256 = v.sha, signature = coalesce(v.signature, i.signature),
        article_id = v.article_id, new_article = v.new_article
    FROM unnest(CAST(:positions AS integer[]), CAST(:hashes AS text[]),
                CAST(:signatures AS bytea[]), CAST(:articles AS bigint[]),
                CAST(:new AS boolean[])) AS v(position, sha, signature, article_id, new_article)
    WHERE i.file_id = :file_id AND i.position = v.position
    """
)


def save_links(session: Session, file_id: int, items: Sequence[SimpleNamespace]) -> None:
    """What dedupe decided for a file's items (hash, signature, article, whether it is new),
    in one statement."""
    if items:
        session.execute(_SAVE_LINKS, {
            "file_id": file_id, "positions": [item.position for item in items],
            "hashes": [item.content_sha256 for item in items],
            "signatures": [item.signature for item in items],
            "articles": [item.article_id for item in items],
            "new": [item.new_article for item in items]})


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


_STORE_FILE_ITEMS = text(
    """
    WITH occurrences AS (
        INSERT INTO article_occurrences (article_id, file_id, position)
        SELECT article_id, file_id, position FROM file_items WHERE file_id = :file_id
        ON CONFLICT DO NOTHING
    ), entities AS (
        INSERT INTO article_entities (article_id, text, type, count)
        SELECT i.article_id, e ->> 'text', e ->> 'type', CAST(e ->> 'count' AS integer)
        FROM file_items AS i
        CROSS JOIN jsonb_array_elements(i.normalized -> 'enrichment' -> 'entities') AS e
        WHERE i.file_id = :file_id AND i.new_article
        ON CONFLICT DO NOTHING
    )
    SELECT coalesce(bool_or(new_article), false) FROM file_items WHERE file_id = :file_id
    """
)


def store_file_items(session: Session, file_id: int) -> bool:
    """Record where each of a file's items appeared (its occurrence of its article) and the
    named entities of its new articles; whether the file brought any new article.

    One statement, run by the server from the rows dedupe linked: reading the links and
    entities back to send them again cost two round trips and the entities' JSON decoding.
    """
    return session.execute(_STORE_FILE_ITEMS, {"file_id": file_id}).scalar_one()


def article_counts(session: Session) -> dict[str, int]:
    total, canonical = session.execute(
        select(func.count(), func.count().filter(Article.duplicate_of.is_(None)))
    ).one()
    occurrences = session.execute(select(func.count()).select_from(ArticleOccurrence)).scalar()
    return {"articles": total, "canonical": canonical, "occurrences": occurrences}
