"""The page of a PDF each item and occurrence was printed on

Revision ID: 0011
Revises: 0010

A PDF file holds several printed pages; its items are numbered on through the file, and
``page`` (from 1) says which page each stood on. NULL for files of one page (text, HTML) and
for archives. ``article_copies`` shows it as its last column.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

ARTICLE_COPIES = """
CREATE OR REPLACE VIEW article_copies AS
SELECT coalesce(a.duplicate_of, a.id) AS canonical_id,
       a.id AS article_id,
       a.duplicate_of IS NOT NULL AS near_duplicate,
       CASE WHEN a.duplicate_of IS NULL THEN 1.0 ELSE a.similarity END AS similarity,
       o.file_id,
       f.path,
       o.position,
       o.created_at AS seen_at{more}
FROM articles a
JOIN article_occurrences o ON o.article_id = a.id
JOIN source_files f ON f.id = o.file_id
WHERE f.superseded_by IS NULL
"""


def upgrade() -> None:
    op.add_column("file_items", sa.Column("page", sa.Integer()))
    op.add_column("article_occurrences", sa.Column("page", sa.Integer()))
    op.execute(ARTICLE_COPIES.format(more=",\n       o.page"))


def downgrade() -> None:
    op.execute("DROP VIEW article_copies")
    op.execute(ARTICLE_COPIES.format(more=""))
    op.execute("GRANT SELECT ON article_copies TO newsflow_reader")
    op.drop_column("article_occurrences", "page")
    op.drop_column("file_items", "page")
