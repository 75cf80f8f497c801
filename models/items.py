"""Writes and reads of what the steps make of a file: its decoded page, its items, their links.

Every insert is ``INSERT … ON CONFLICT``, so a step that runs twice writes nothing twice. The
rows of a message's files travel as one JSON document per statement, which the server turns
into records by column name: one parameter, where a multi-row VALUES binds every value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import BigInteger, any_, bindparam, func, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from models.db import json_rows
from models.staged import PARSED_COLUMNS, ItemLink, StagedItem, parsed_columns, staged_item
from models.tables import FileItem, PageText, SourceFile
from stages.items import DecodedPage, PageItem

_SAVE_PAGES = text(
    """
    WITH pages AS (
        SELECT * FROM jsonb_to_recordset(CAST(:pages AS jsonb))
                      AS p(file_id bigint, text text, layout text, encoding text, format text)
    ), saved AS (
        INSERT INTO page_texts (file_id, text, layout) SELECT file_id, text, layout FROM pages
        WHERE format <> 'jsonl'
        ON CONFLICT (file_id) DO UPDATE SET text = EXCLUDED.text, layout = EXCLUDED.layout
    )
    UPDATE source_files AS f SET encoding = p.encoding, format = p.format
    FROM pages AS p WHERE f.id = p.file_id
    """
)


def save_pages(session: Session, pages: Mapping[int, DecodedPage]) -> None:
    """The files' decoded texts (file id -> page), and each one's encoding and format on its
    ledger row, in one statement. A JSON Lines archive has no text to keep: its parse
    streams it from the file."""
    if pages:
        rows = [{"file_id": file_id, "text": page.text, "layout": page.layout,
                 "encoding": page.encoding, "format": page.format} for file_id, page in pages.items()]
        session.execute(_SAVE_PAGES, {"pages": json_rows(rows)})


_PAGE_TEXTS = select(PageText.file_id, PageText.text, PageText.layout).where(
    PageText.file_id == any_(bindparam("ids", type_=ARRAY(BigInteger))))


def page_texts(session: Session, file_ids: Sequence[int]) -> dict[int, tuple[str, str | None]]:
    """file id -> decoded text and its layout (a PDF's type sizes, else None); every file
    must have one (ingest saved it)."""
    texts = {file_id: (text_, layout) for file_id, text_, layout
             in session.execute(_PAGE_TEXTS, {"ids": list(file_ids)})}
    if missing := [file_id for file_id in file_ids if file_id not in texts]:
        raise NoResultFound(f"no decoded page text for files {missing}")
    return texts


_PARSED = ", ".join(PARSED_COLUMNS)
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


def save_items(session: Session, items: Mapping[int, Sequence[PageItem]]) -> None:
    """Insert the files' parsed items (file id -> items) and record how many each has, in
    one statement; positions already saved are kept. (An archive saved a part at a time is
    counted once it is all in: :func:`count_items`.)"""
    rows = [parsed_columns(file_id, item) for file_id, found in items.items() for item in found]
    if rows:
        session.execute(_SAVE_ITEMS, {"items": json_rows(rows)})


_ITEM_FILES = bindparam("ids", type_=ARRAY(BigInteger))
_FILE_ITEMS = (select(FileItem.__table__)
               .where(FileItem.__table__.c.file_id == any_(_ITEM_FILES))
               .order_by(func.array_position(_ITEM_FILES, FileItem.__table__.c.file_id),
                         FileItem.__table__.c.position))


def count_items(session: Session, file_id: int) -> None:
    """Record how many items the file has saved."""
    count = select(func.count()).where(FileItem.file_id == file_id).scalar_subquery()
    session.execute(update(SourceFile).where(SourceFile.id == file_id).values(item_count=count))


# The column each chunked step fills: an item whose column is NULL is that step's to do, and
# a partial index holds just those (migration 0010).
PENDING = {"normalize": "normalized", "dedupe": "article_id"}
# Per file, its first items still to do, read through that index in page order: the cost
# of a part does not grow with the items done before it.
_PENDING_ITEMS = """
    SELECT i.* FROM unnest(CAST(:ids AS bigint[])) WITH ORDINALITY AS f(id, n)
    CROSS JOIN LATERAL (SELECT * FROM file_items WHERE file_id = f.id AND {column} IS NULL
                        ORDER BY position LIMIT :limit) AS i
    ORDER BY f.n, i.position LIMIT :limit
"""
_FILES_PENDING = """
    SELECT f.id FROM unnest(CAST(:ids AS bigint[])) AS f(id)
    WHERE EXISTS (SELECT FROM file_items WHERE file_id = f.id AND {column} IS NULL)
"""


def file_items(session: Session, file_ids: Sequence[int], pending: str | None = None,
               limit: int | None = None) -> list[StagedItem]:
    """The files' items, in the order of ``file_ids`` and page order within each; with
    ``pending``, only the first ``limit`` of those that step has still to do.

    Read as plain rows, not ORM objects: the session would track them and flush an UPDATE
    per row at commit; the steps write what they change in one statement each.
    """
    if pending is None:
        rows = session.execute(_FILE_ITEMS, {"ids": list(file_ids)})
    else:
        rows = session.execute(text(_PENDING_ITEMS.format(column=PENDING[pending])),
                               {"ids": list(file_ids), "limit": limit})
    return [staged_item(row) for row in rows.mappings()]


def item_progress(session: Session, file_ids: Sequence[int]) -> tuple[int, int]:
    """(items the files' parse committed, those of them dedupe has linked to an article)."""
    query = select(func.count(), func.count(FileItem.article_id)).where(
        FileItem.file_id == any_(_ITEM_FILES))
    parsed, linked = session.execute(query, {"ids": list(file_ids)}).one()
    return parsed, linked


def pending_count(session: Session, file_ids: Sequence[int], pending: str) -> int:
    """How many of the files' items the ``pending`` step has still to do."""
    if not file_ids:
        return 0
    query = text(f"SELECT count(*) FROM file_items WHERE file_id = ANY(CAST(:ids AS bigint[])) "
                 f"AND {PENDING[pending]} IS NULL")
    return session.execute(query, {"ids": list(file_ids)}).scalar_one()


def files_pending(session: Session, file_ids: Sequence[int], pending: str) -> set[int]:
    """Which of the files still have items the ``pending`` step has to do."""
    query = text(_FILES_PENDING.format(column=PENDING[pending]))
    return set(session.execute(query, {"ids": list(file_ids)}).scalars())


_SAVE_NORMALIZED = text(
    """
    UPDATE file_items AS i SET content_sha256 = v.sha, normalized = v.normalized
    FROM jsonb_to_recordset(CAST(:items AS jsonb))
         AS v(file_id bigint, position integer, sha text, normalized jsonb)
    WHERE i.file_id = v.file_id AND i.position = v.position
    """
)


def save_normalized(session: Session, items: Sequence[tuple[StagedItem, str, dict]]) -> None:
    """(item, content hash, ``models.staged.normalized_document``) of the items, one statement."""
    if items:
        rows = [{"file_id": item.file_id, "position": item.parsed.position, "sha": digest,
                 "normalized": document} for item, digest, document in items]
        session.execute(_SAVE_NORMALIZED, {"items": json_rows(rows)})


_SAVE_LINKS = text(
    """
    UPDATE file_items AS i
    SET signature = coalesce(decode(v.signature, 'hex'), i.signature),
        article_id = v.article_id, new_article = v.new_article
    FROM jsonb_to_recordset(CAST(:items AS jsonb))
         AS v(file_id bigint, position integer, signature text, article_id bigint,
              new_article boolean)
    WHERE i.file_id = v.file_id AND i.position = v.position
    """
)


def hex_or_none(value: bytes | None) -> str | None:
    """Bytes for a JSON document (which holds none), ``decode(…, 'hex')`` on the server."""
    return value.hex() if value is not None else None


def save_links(session: Session, links: Sequence[ItemLink]) -> None:
    """What dedupe decided for the items, in one statement."""
    if links:
        rows = [dict(vars(link)) | {"signature": hex_or_none(link.signature)} for link in links]
        session.execute(_SAVE_LINKS, {"items": json_rows(rows)})


_STORE_FILE_ITEMS = text(
    """
    WITH occurrences AS (
        INSERT INTO article_occurrences (article_id, file_id, position, page)
        SELECT article_id, file_id, position, page FROM file_items
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

    One statement, run by the server from the rows dedupe linked.
    """
    if not file_ids:
        return set()
    return set(session.execute(_STORE_FILE_ITEMS, {"ids": list(file_ids)}).scalars())
