"""Canonical articles streamed out of the database for export, in constant memory.

Reads the published ``canonical_articles`` view (docs/schema.md) through a server-side cursor,
so an export of millions of articles holds one batch at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from sqlalchemy import Connection, column, select, table

# The view's columns, in its order: the export's columns too.
EXPORT_COLUMNS = (
    "id", "kind", "kicker", "title", "subtitle", "authors", "place", "body", "body_original",
    "script", "quality_flags", "quality_score", "keywords", "char_count", "created_at",
    "published_on", "copies",
)
ARRAY_COLUMNS = ("authors", "quality_flags", "keywords")
BATCH_ROWS = 500

_CANONICAL = table("canonical_articles", *(column(name) for name in EXPORT_COLUMNS))


def canonical_articles(connection: Connection, since: date | None = None) -> Iterator[dict]:
    """Every canonical article as a dict, oldest id first; only those published on or after
    ``since`` when it is given (undated articles are then left out)."""
    query = select(_CANONICAL).order_by(_CANONICAL.c.id)
    if since is not None:
        query = query.where(_CANONICAL.c.published_on >= since)
    streamed = connection.execution_options(stream_results=True, yield_per=BATCH_ROWS)
    for row in streamed.execute(query):
        yield row._asdict()
