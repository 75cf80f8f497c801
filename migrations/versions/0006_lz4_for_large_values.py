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
says so in a NOTICE: a slower server, never a failed upgrade. Values already stored keep
the method they were written with (both read alike); only new values use lz4.
"""

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
            RAISE NOTICE 'newsflow: this server has no lz4; large values stay on its default compression';
        END $$
    """)


def upgrade() -> None:
    _set_compression("lz4")


def downgrade() -> None:
    _set_compression("default")
