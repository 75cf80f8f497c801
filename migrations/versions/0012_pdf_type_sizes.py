"""The type sizes of a PDF's lines, kept with its decoded text for the parse step

Revision ID: 0012
Revises: 0011

Ingest reads a PDF's text and the type size of each of its lines; parse segments the text
with them (a headline is set larger than its body). ``page_texts.layout`` holds the sizes,
one per non-blank line of ``text``; NULL for text pages and for rows written before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("page_texts", sa.Column("layout", sa.Text()))


def downgrade() -> None:
    op.drop_column("page_texts", "layout")
