"""Each article's shingle-set size, for dedupe's size-aware prefilter

Revision ID: 0005
Revises: 0004

Nullable: articles stored before this revision keep NULL, and dedupe compares against them
with the size-blind floor, as before. Nothing is backfilled (it would need every body).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("shingle_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("articles", "shingle_count")
