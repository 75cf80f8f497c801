"""Reliability and access: exact bytes of non-UTF-8 file names, a path index for the
watcher's rescans, and the read-only role ``newsflow_reader`` for downstream readers

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# What a downstream reader may see: the published views and the entities table. Not the
# ledger's internals, not the staging tables, not the raw articles table.
PUBLISHED = ("canonical_articles", "article_copies", "article_entities", "file_status")

# Roles belong to the cluster, not to one database: create it only once.
CREATE_ROLE = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'newsflow_reader') THEN
        CREATE ROLE newsflow_reader NOLOGIN;
    END IF;
END
$$
"""


def upgrade() -> None:
    op.add_column("source_files", sa.Column("path_bytes", sa.LargeBinary(), nullable=True))
    op.create_index("source_files_path_idx", "source_files", ["path"])
    op.execute(CREATE_ROLE)
    op.execute("GRANT USAGE ON SCHEMA public TO newsflow_reader")
    for name in PUBLISHED:
        op.execute(f"GRANT SELECT ON {name} TO newsflow_reader")


def downgrade() -> None:
    for name in PUBLISHED:
        op.execute(f"REVOKE SELECT ON {name} FROM newsflow_reader")
    op.execute("REVOKE USAGE ON SCHEMA public FROM newsflow_reader")
    op.drop_index("source_files_path_idx", table_name="source_files")
    op.drop_column("source_files", "path_bytes")
