"""Partial indexes of the items normalize and dedupe have still to do

Revision ID: 0010
Revises: 0009

Normalize and dedupe go through a large file's items a part at a time, each part its own
transaction, and find the next part as the items whose column (``normalized``,
``article_id``) is still NULL. Without an index that holds only those, every part scanned
all the file's items, done ones too: a 100,000-item archive cost quadratic time.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("file_items_to_normalize_idx", "file_items", ["file_id", "position"],
                    postgresql_where="normalized IS NULL")
    op.create_index("file_items_to_dedupe_idx", "file_items", ["file_id", "position"],
                    postgresql_where="article_id IS NULL")


def downgrade() -> None:
    op.drop_index("file_items_to_dedupe_idx", table_name="file_items")
    op.drop_index("file_items_to_normalize_idx", table_name="file_items")
