"""Large text and JSON values compressed with lz4 instead of pglz, where the server has lz4

Revision ID: 0006
Revises: 0005

Every file's text is written several times (page_texts, file_items, articles), each value
a few kilobytes, so PostgreSQL compresses several values per file on the way into TOAST.
pglz cost the server about twice lz4's CPU per value (measured on the benchmark corpus:
0.18 against 0.09 ms for an item's normalized JSON and body; the whole pipeline's server CPU
per file 4.9 → 4.1 ms) for ~12 % less disk.

lz4 needs a server built with it (PostgreSQL's Debian packages and Docker image are; the
embedded server of the demo default is not). Such a server refuses the change with
``feature_not_supported``; the block then leaves every column on the server's default and
the upgrade logs a warning: a slower server, never a failed upgrade. Values already stored
keep the method they were written with (both read alike); only new values use lz4.
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (table, column): the values that are regularly larger than TOAST's 2 kB threshold.
LARGE_COLUMNS = (
    ("page_texts", "text"),
    ("file_items", "body_original"),
    ("file_items", "normalized"),
    ("articles", "body"),
    ("articles", "body_original"),
    ("articles", "search"),
)


def _set_compression(method: str) -> None:
    statements = " ".join(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION {method};"
                          for table, column in LARGE_COLUMNS)
    op.execute(f"""
        DO $$ BEGIN
            {statements}
        EXCEPTION WHEN feature_not_supported THEN
            NULL;  -- no lz4 in this server: every column keeps its default
        END $$
    """)


def upgrade() -> None:
    _set_compression("lz4")
    table, column = LARGE_COLUMNS[0]
    method = op.get_bind().execute(sa.text(
        "SELECT attcompression::text FROM pg_attribute"
        " WHERE attrelid = CAST(:table AS regclass) AND attname = :column"),
        {"table": table, "column": column}).scalar()
    if method != "l":
        logging.getLogger(__name__).warning(
            "this PostgreSQL server is built without lz4: large values stay on its default "
            "compression (pglz), which costs the server about twice the CPU")


def downgrade() -> None:
    _set_compression("default")
