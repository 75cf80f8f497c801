"""Views for downstream readers of deduplicated articles: canonical_articles, article_copies

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CANONICAL_ARTICLES = """
CREATE VIEW canonical_articles AS
SELECT id, kind, kicker, title, subtitle, authors, place, body, body_original, script,
       quality_flags, quality_score, keywords, char_count, created_at
FROM articles
WHERE duplicate_of IS NULL
"""

# One row per appearance of a story: the canonical article's own occurrences (similarity 1,
# exact copies included) and those of its near-duplicates, with the file and position.
ARTICLE_COPIES = """
CREATE VIEW article_copies AS
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


def upgrade() -> None:
    op.execute(CANONICAL_ARTICLES)
    op.execute(ARTICLE_COPIES)


def downgrade() -> None:
    op.execute("DROP VIEW article_copies")
    op.execute("DROP VIEW canonical_articles")
