"""Writes and reads of articles and their LSH bands: what dedupe looks up, locks and inserts.

Every insert is ``INSERT … ON CONFLICT``, so a step that runs twice writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields

import numpy as np
from psycopg.rows import namedtuple_row
from sqlalchemy import (
    BigInteger,
    Integer,
    Text,
    any_,
    bindparam,
    cast,
    column,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, insert
from sqlalchemy.orm import Session

from models.db import driver_cursor, json_rows
from models.items import hex_or_none
from models.search import search_value
from models.staged import StagedItem, article_columns
from models.tables import Article, ArticleOccurrence
from stages.dedup.candidates import NewArticle, StoredCandidates
from stages.dedup.fingerprint import Key
from stages.dedup.minhash import MinHashConfig, signatures_from_bytes
from stages.items import NormalizedItem


def _int_array(values: Iterable[int]) -> str:
    """A PostgreSQL array literal of integers, for ``CAST(:x AS bigint[])``: psycopg adapts
    a list element by element in Python, a few hundred per file for the LSH keys."""
    return "{" + ",".join(map(str, values)) + "}"


# The new articles as a record set: the columns of ``articles`` by their own types (a
# normalized item's fields and what dedupe adds), the signature as hex (JSON holds no bytes),
# the search words, and the order they came in.
_STAGED_COLUMNS = ("kind", *(field.name for field in fields(NormalizedItem)), "body_original",
                   "content_sha256", "keywords", "shingle_count", "duplicate_of", "similarity")
_STAGED = func.jsonb_to_recordset(cast(bindparam("articles", type_=Text), JSONB)).table_valued(
    *(column(name, Article.__table__.c[name].type) for name in _STAGED_COLUMNS),
    column("signature", Text), column("search_title", Text), column("search_text", Text),
    column("position", Integer),
).render_derived(name="staged", with_types=True)
_INSERT_ARTICLES = (
    insert(Article.__table__)
    .from_select([*_STAGED_COLUMNS, "signature", "search"], select(
        *(_STAGED.c[name] for name in _STAGED_COLUMNS),
        func.decode(_STAGED.c.signature, "hex"),
        search_value(_STAGED.c.search_title, _STAGED.c.search_text),
    ).order_by(_STAGED.c.position))  # ids in message order: the earliest copy is canonical
    .on_conflict_do_nothing(index_elements=["content_sha256"])
    .returning(Article.content_sha256, Article.id)
)


def insert_articles(session: Session, values: Sequence[dict]) -> dict[str, int]:
    """Insert a message's new articles in one statement: content hash -> id of those inserted.

    A body another transaction stored meanwhile is left out (``ON CONFLICT DO NOTHING``)
    and missing from the result, so the caller links the item to that article instead.
    The rows travel as one JSON document: a multi-row VALUES insert had every value bound
    on its own, and psycopg converted the query anew for each number of rows.
    """
    if not values:
        return {}
    staged = [{**row, "signature": hex_or_none(row["signature"]), "position": n}
              for n, row in enumerate(values)]
    return dict(session.execute(
        _INSERT_ARTICLES, {"articles": json_rows(staged)}).all())


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
    One statement for all keys, not a round trip per key.
    """
    unique = sorted(set(keys))
    if unique:
        session.execute(_LOCK_BUCKETS, {"keys": _int_array(unique)})


# psycopg placeholders: this one query runs on the session's connection through psycopg
# itself, to get its results in binary (band_hits says why).
_BAND_HITS = """
    SELECT a.id, a.signature, a.duplicate_of, a.shingle_count,
           array_agg(k.band) AS bands, array_agg(k.bucket) AS buckets
    FROM unnest(CAST(%(bands)s AS smallint[]), CAST(%(buckets)s AS bigint[])) AS k(band, bucket)
    CROSS JOIN LATERAL (
        SELECT b.article_id FROM article_bands b
        WHERE b.band = k.band AND b.bucket = k.bucket
        ORDER BY b.article_id DESC LIMIT %(per_bucket)s
    ) AS newest
    JOIN articles a ON a.id = newest.article_id
    -- An article that only superseded versions of a file held (a half-written copy) is no
    -- story to link a newer version to; one with no occurrence yet is in flight, and stays.
    WHERE NOT EXISTS (SELECT 1 FROM article_occurrences o JOIN source_files f ON f.id = o.file_id
                      WHERE o.article_id = a.id AND f.superseded_by IS NOT NULL)
       OR EXISTS (SELECT 1 FROM article_occurrences o JOIN source_files f ON f.id = o.file_id
                  WHERE o.article_id = a.id AND f.superseded_by IS NULL)
    GROUP BY a.id
    ORDER BY a.id
"""


def band_hits(session: Session, bands: Iterable[tuple[int, int]], per_bucket: int) -> list[tuple]:
    """The articles in any of the (band, bucket) keys, each once: named tuples (id,
    signature, duplicate_of, shingle_count, bands, buckets), the last two its keys among
    those asked. Of a bucket, only its ``per_bucket`` newest articles: a bucket of a
    templated story (a daily report, a reprinted wire story) gains members with every
    issue, and without a bound each new body would be compared with all of them.

    One query for a whole message, and no bodies: most candidates fail the signature
    estimate, and fetching their text was most of the dedupe step's database time. An
    article shares two buckets or more with a message's items as a rule; one row each (and
    one signature) would be more rows to send and decode. Results come in binary: as text
    every signature would be hex-encoded by the server and decoded back in Python, and a
    templated archive returns over a thousand candidates per message.
    """
    unique = sorted(set(bands))
    if not unique:
        return []
    params = {"bands": _int_array(b for b, _ in unique), "buckets": _int_array(k for _, k in unique),
              "per_bucket": per_bucket}
    with driver_cursor(session, binary=True, row_factory=namedtuple_row) as cursor:
        return cursor.execute(_BAND_HITS, params).fetchall()


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
        session.execute(_SAVE_BANDS, {"bands": _int_array(t[0] for t in triples),
                                      "buckets": _int_array(t[1] for t in triples),
                                      "articles": _int_array(t[2] for t in triples)})


def bucket_candidates(session: Session, keys: Iterable[Key], per_bucket: int,
                      config: MinHashConfig) -> StoredCandidates:
    """:func:`band_hits` as the arrays ``stages.dedup.candidates`` judges."""
    hits = band_hits(session, keys, per_bucket)
    return StoredCandidates(
        ids=np.array([hit.id for hit in hits], np.int64),
        canonical=np.array([hit.duplicate_of or 0 for hit in hits], np.int64),
        counts=np.array([hit.shingle_count or 0 for hit in hits], np.int64),
        signatures=signatures_from_bytes([hit.signature for hit in hits], config),
        keys=[list(zip(hit.bands, hit.buckets, strict=True)) for hit in hits])


def insert_new_articles(session: Session, plan: Sequence[NewArticle],
                        items: Mapping[str, StagedItem]) -> tuple[set[str], dict[str, int]]:
    """Insert the planned articles (``items``: each body's staged item, by content hash) and
    their bands: (content hashes inserted, content hash -> article id for the whole plan).

    A body another transaction stored since normalize is that one's article (a race). An
    article planned as a near-duplicate of another new one points at its placeholder until
    the insert gives that one its id; a second statement links it (rare).
    """
    rows = [article_columns(items[a.incoming.content_sha256], a) for a in plan]
    inserted = insert_articles(session, [row | {"duplicate_of": _stored(row["duplicate_of"])}
                                         for row in rows])
    final = inserted | article_ids_by_hash(
        session, {a.incoming.content_sha256 for a in plan} - inserted.keys())
    real = {a.placeholder: final[a.incoming.content_sha256] for a in plan}
    new = [a for a in plan if a.incoming.content_sha256 in inserted]
    set_duplicate_of(session, {real[a.placeholder]: real[a.duplicate_of] for a in new
                               if a.duplicate_of is not None and a.duplicate_of < 0})
    save_bands(session, {real[a.placeholder]: a.incoming.fingerprint.keys for a in new})
    return set(inserted), final


def _stored(duplicate_of: int | None) -> int | None:
    """A canonical that exists already; a placeholder (negative) is linked after the insert."""
    return duplicate_of if duplicate_of is not None and duplicate_of > 0 else None


def article_counts(session: Session) -> dict[str, int]:
    total, canonical = session.execute(
        select(func.count(), func.count().filter(Article.duplicate_of.is_(None)))
    ).one()
    occurrences = session.execute(select(func.count()).select_from(ArticleOccurrence)).scalar()
    return {"articles": total, "canonical": canonical, "occurrences": occurrences}
