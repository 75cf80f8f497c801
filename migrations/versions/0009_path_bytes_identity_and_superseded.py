"""A file version is identified by its name's exact bytes; newer versions supersede older ones

Revision ID: 0009
Revises: 0008

Two names that differ only as a raw byte and its escaped spelling (``col_\\xd0.txt`` with the
byte 0xD0, and one with a literal backslash) had the same ``path`` text, so the second was
taken for the first and never registered. ``path_bytes`` now holds every name's exact bytes
(until now only names that were not UTF-8) and, with the content hash, is the version key;
``path`` stays the name as text for reading.

``superseded_by``: a version registered after another of the same name (a file rewritten,
or written slowly enough to be noticed half-way) supersedes it. The published views count
only occurrences in files that are not superseded: a half-written version stops counting
once the whole file is stored, and a story only it held leaves ``canonical_articles``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The view of migration 0003, counting occurrences in current versions only, and leaving
# out a story whose every appearance was in a superseded version.
CANONICAL_ARTICLES = """
CREATE OR REPLACE VIEW canonical_articles AS
SELECT a.id, a.kind, a.kicker, a.title, a.subtitle, a.authors, a.place, a.body, a.body_original,
       a.script, a.quality_flags, a.quality_score, a.keywords, a.char_count, a.created_at,
       story.published_on, story.copies
FROM articles a
CROSS JOIN LATERAL (
    SELECT min(f.published_on) AS published_on, count(*) AS copies
    FROM articles c
    JOIN article_occurrences o ON o.article_id = c.id
    JOIN source_files f ON f.id = o.file_id
    WHERE (c.id = a.id OR c.duplicate_of = a.id) AND f.superseded_by IS NULL
) AS story
WHERE a.duplicate_of IS NULL AND story.copies > 0
"""
ARTICLE_COPIES = """
CREATE OR REPLACE VIEW article_copies AS
SELECT coalesce(a.duplicate_of, a.id) AS canonical_id,
       a.id AS article_id,
       a.duplicate_of IS NOT NULL AS near_duplicate,
       CASE WHEN a.duplicate_of IS NULL THEN 1.0 ELSE a.similarity END AS similarity,
       o.file_id,
       f.path,
       o.position,
       o.created_at AS seen_at
FROM articles a
JOIN article_occurrences o ON o.article_id = a.id
JOIN source_files f ON f.id = o.file_id
"""
FILE_STATUS = """
CREATE OR REPLACE VIEW file_status AS
SELECT id AS file_id, path, published_on, status, stage, error_code, error_detail,
       item_count, attempts, quarantine_path, created_at, updated_at, finished_at{more}
FROM source_files
"""
CANONICAL_ARTICLES_0003 = """
CREATE OR REPLACE VIEW canonical_articles AS
SELECT a.id, a.kind, a.kicker, a.title, a.subtitle, a.authors, a.place, a.body, a.body_original,
       a.script, a.quality_flags, a.quality_score, a.keywords, a.char_count, a.created_at,
       story.published_on, story.copies
FROM articles a
CROSS JOIN LATERAL (
    SELECT min(f.published_on) AS published_on, count(*) AS copies
    FROM articles c
    JOIN article_occurrences o ON o.article_id = c.id
    JOIN source_files f ON f.id = o.file_id
    WHERE c.id = a.id OR c.duplicate_of = a.id
) AS story
WHERE a.duplicate_of IS NULL
"""


def upgrade() -> None:
    op.execute("UPDATE source_files SET path_bytes = convert_to(path, 'UTF8') WHERE path_bytes IS NULL")
    op.alter_column("source_files", "path_bytes", nullable=False)
    op.drop_constraint("source_files_version_key", "source_files", type_="unique")
    op.create_unique_constraint("source_files_version_key", "source_files",
                                ["path_bytes", "content_sha256"])
    op.add_column("source_files", sa.Column("superseded_by", sa.BigInteger(),
                                            sa.ForeignKey("source_files.id"), nullable=True))
    op.execute(CANONICAL_ARTICLES)
    op.execute(ARTICLE_COPIES + "WHERE f.superseded_by IS NULL")
    op.execute(FILE_STATUS.format(more=", superseded_by"))


def downgrade() -> None:
    op.execute("DROP VIEW file_status")
    op.execute(FILE_STATUS.format(more=""))
    op.execute("GRANT SELECT ON file_status TO newsflow_reader")
    op.execute(CANONICAL_ARTICLES_0003)
    op.execute(ARTICLE_COPIES)
    op.drop_column("source_files", "superseded_by")
    op.drop_constraint("source_files_version_key", "source_files", type_="unique")
    op.create_unique_constraint("source_files_version_key", "source_files", ["path", "content_sha256"])
    op.alter_column("source_files", "path_bytes", nullable=True)
    op.execute("UPDATE source_files SET path_bytes = NULL WHERE path_bytes = convert_to(path, 'UTF8')")
