"""Drop source_files_path_idx: the version key (path, content_sha256) serves look-ups by path

Revision ID: 0007
Revises: 0006

The unique index on (path, content_sha256) leads with ``path``, so the watcher's look-ups of
known versions by path can use it (without the path index, the plan of that look-up on a
20,000-row ledger reads it: tests/integration/test_watcher_registration.py); in a 10,000-file
run the path index was scanned 0 times. Every stage's claim updates the file's ledger row,
and ``updated_at`` is indexed, so each of the six updates per file inserted a new entry, path
text and all, into an index nothing read.
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("source_files_path_idx", table_name="source_files")


def downgrade() -> None:
    op.create_index("source_files_path_idx", "source_files", ["path"])
