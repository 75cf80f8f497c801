"""Writes and reads of items, articles, occurrences, entities and LSH bands.

Every insert is ``INSERT … ON CONFLICT``, so a stage that runs twice writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields
from types import SimpleNamespace

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
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from models.db import driver_cursor, json_rows
from models.search import search_value
from models.tables import (
    Article,
    ArticleOccurrence,
    FileItem,
    PageText,
)
from stages.items import DecodedPage, PageItem


def _int_array(values: Iterable[int]) -> str:
    """A PostgreSQL array literal of integers, for ``CAST(:x AS bigint[])``: psycopg adapts
    a list element by element in Python, a few hundred per file for the LSH keys."""
    return "{" + ",".join(map(str, values)) + "}"


_SAVE_PAGES = text(
    """
    WITH pages AS (
        SELECT * FROM jsonb_to_recordset(CAST(:pages AS jsonb))
                      AS p(file_id bigint, text text, encoding text, format text)
    ), saved AS (
        INSERT INTO page_texts (file_id, text) SELECT file_id, text FROM pages
        ON CONFLICT (file_id) DO UPDATE SET text = EXCLUDED.text
    )
    UPDATE source_files AS f SET encoding = p.encoding, format = p.format
    FROM pages AS p WHERE f.id = p.file_id
    """
)


def save_pages(session: Session, pages: Mapping[int, DecodedPage]) -> None:
    """The files' decoded texts (file id -> page), and each one's encoding and format on its
    ledger row, in one statement."""
    if pages:
        rows = [{"file_id": file_id, "text": page.text, "encoding": page.encoding,
                 "format": page.format} for file_id, page in pages.items()]
        session.execute(_SAVE_PAGES, {"pages": json_rows(rows)})


_PAGE_TEXTS = select(PageText.file_id, PageText.text).where(
    PageText.file_id == any_(bindparam("ids", type_=ARRAY(BigInteger))))


def page_texts(session: Session, file_ids: Sequence[int]) -> dict[int, str]:
    """file id -> decoded text; every file must have one (ingest saved it)."""
    texts = dict(session.execute(_PAGE_TEXTS, {"ids": list(file_ids)}).all())
    if missing := [file_id for file_id in file_ids if file_id not in texts]:
        raise NoResultFound(f"no decoded page text for files {missing}")
    return texts


_PARSED = ", ".join(name if name != "body" else "body_original"
                    for name in (field.name for field in fields(PageItem)))
# The rows travel as one JSON array the server turns into records by column name: one
# parameter, where a multi-row VALUES has one per column per row for the client to bind.
_SAVE_ITEMS = text(
    f"""
    WITH incoming AS (
        SELECT * FROM jsonb_populate_recordset(NULL::file_items, CAST(:items AS jsonb))
    ), saved AS (
        INSERT INTO file_items (file_id, {_PARSED}) SELECT file_id, {_PARSED} FROM incoming
        ON CONFLICT DO NOTHING
    )
    UPDATE source_files AS f SET item_count = c.items
    FROM (SELECT file_id, count(*) AS items FROM incoming GROUP BY file_id) AS c
    WHERE f.id = c.file_id
    """
)


def save_items(session: Session, items: Mapping[int, Sequence[dict]]) -> None:
    """Insert the files' parsed items (file id -> ``tasks.rows.item_row`` dicts) and record
    how many each has, in one statement; positions already saved are kept."""
    rows = [{**item, "file_id": file_id} for file_id, found in items.items() for item in found]
    if rows:
        session.execute(_SAVE_ITEMS, {"items": json_rows(rows)})


_ITEM_FILES = bindparam("ids", type_=ARRAY(BigInteger))
_FILE_ITEMS = (select(FileItem.__table__)
               .where(FileItem.__table__.c.file_id == any_(_ITEM_FILES))
               .order_by(func.array_position(_ITEM_FILES, FileItem.__table__.c.file_id),
                         FileItem.__table__.c.position))


def file_items(session: Session, file_ids: Sequence[int]) -> list[SimpleNamespace]:
    """The files' items, in the order of ``file_ids`` and page order within each, as plain
    mutable copies of their rows.

    Not ORM objects: the session would track every change and write each row with an
    UPDATE of its own at commit (that flush was an eighth of the normalize and dedupe
    steps' CPU); the steps write what they change with ``save_normalized`` and
    ``save_links``, one statement for all their files.
    """
    return [SimpleNamespace(**row._mapping)
            for row in session.execute(_FILE_ITEMS, {"ids": list(file_ids)})]


_SAVE_NORMALIZED = text(
    """
    UPDATE file_items AS i SET content_sha256 = v.sha, normalized = v.normalized
    FROM jsonb_to_recordset(CAST(:items AS jsonb))
         AS v(file_id bigint, position integer, sha text, normalized jsonb)
    WHERE i.file_id = v.file_id AND i.position = v.position
    """
)


def save_normalized(session: Session, items: Sequence[tuple[SimpleNamespace, str, dict]]) -> None:
    """(item row, content hash, normalized JSON) of the items, in one statement.

    The rows travel as one JSON document: as an array of JSON texts, every quote in them
    was escaped for the array literal by a Python callback (~0.4 ms per file).
    """
    if items:
        rows = [{"file_id": row.file_id, "position": row.position, "sha": digest,
                 "normalized": value} for row, digest, value in items]
        session.execute(_SAVE_NORMALIZED, {"items": json_rows(rows)})


_SAVE_LINKS = text(
    """
    UPDATE file_items AS i
    SET content_sha256 = v.sha, signature = coalesce(decode(v.signature, 'hex'), i.signature),
        article_id = v.article_id, new_article = v.new_article
    FROM jsonb_to_recordset(CAST(:items AS jsonb))
         AS v(file_id bigint, position integer, sha text, signature text, article_id bigint,
              new_article boolean)
    WHERE i.file_id = v.file_id AND i.position = v.position
    """
)


def _hex(value: bytes | None) -> str | None:
    """Bytes for a JSON document (which holds none), ``decode(…, 'hex')`` on the server."""
    return value.hex() if value is not None else None


def save_links(session: Session, items: Sequence[SimpleNamespace]) -> None:
    """What dedupe decided for the items (hash, signature, article, whether it is new), in
    one statement, its rows as one JSON document like the other bulk writes."""
    if items:
        rows = [{"file_id": item.file_id, "position": item.position, "sha": item.content_sha256,
                 "signature": _hex(item.signature), "article_id": item.article_id,
                 "new_article": item.new_article} for item in items]
        session.execute(_SAVE_LINKS, {"items": json_rows(rows)})


# The staged article values as a record set: the columns of ``articles`` by their own types,
# the signature as hex (JSON holds no bytes), the search words, and the order they came in.
_STAGED_COLUMNS = ("kind", "kicker", "title", "subtitle", "authors", "place", "body",
                   "body_original", "content_sha256", "script", "quality_flags", "quality_score",
                   "char_count", "keywords", "shingle_count", "duplicate_of", "similarity")
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
    staged = [{**row, "signature": _hex(row["signature"]), "position": n}
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
    One statement for all keys: a round trip per key was a third of the dedupe cost.
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
    one signature) was half again as many rows to send and decode. Results come in binary:
    as text every signature was hex-encoded by the server and decoded back in Python (on a
    templated 4,000-page archive one message's look-up returned 1,605 candidates: server
    11 -> 8.5 ms, client 4.2 -> 2.1 ms).
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


_STORE_FILE_ITEMS = text(
    """
    WITH occurrences AS (
        INSERT INTO article_occurrences (article_id, file_id, position)
        SELECT article_id, file_id, position FROM file_items
        WHERE file_id = ANY(CAST(:ids AS bigint[]))
        ON CONFLICT DO NOTHING
    ), entities AS (
        INSERT INTO article_entities (article_id, text, type, count)
        SELECT i.article_id, e ->> 'text', e ->> 'type', CAST(e ->> 'count' AS integer)
        FROM file_items AS i
        CROSS JOIN jsonb_array_elements(i.normalized -> 'enrichment' -> 'entities') AS e
        WHERE i.file_id = ANY(CAST(:ids AS bigint[])) AND i.new_article
        ON CONFLICT DO NOTHING
    )
    SELECT file_id FROM file_items
    WHERE file_id = ANY(CAST(:ids AS bigint[])) AND new_article GROUP BY file_id
    """
)


def store_file_items(session: Session, file_ids: Sequence[int]) -> set[int]:
    """Record where each of the files' items appeared (its occurrence of its article) and
    the named entities of their new articles; the ids of the files that brought any.

    One statement, run by the server from the rows dedupe linked: reading the links and
    entities back to send them again cost two round trips and the entities' JSON decoding.
    """
    if not file_ids:
        return set()
    return set(session.execute(_STORE_FILE_ITEMS, {"ids": list(file_ids)}).scalars())


def article_counts(session: Session) -> dict[str, int]:
    total, canonical = session.execute(
        select(func.count(), func.count().filter(Article.duplicate_of.is_(None)))
    ).one()
    occurrences = session.execute(select(func.count()).select_from(ArticleOccurrence)).scalar()
    return {"articles": total, "canonical": canonical, "occurrences": occurrences}
