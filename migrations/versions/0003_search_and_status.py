"""Search and monitoring for downstream readers: articles.search, source_files.published_on,
the file_status view, published_on and copies on canonical_articles, SQL search functions

Revision ID: 0003
Revises: 0002

The ``search`` column is built by the application (jieba tokens, which SQL cannot compute), so
rows stored before this migration have ``search IS NULL`` until ``newsflow reindex`` fills them.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Columns may only be added at the end of an existing view (CREATE OR REPLACE VIEW's rule).
# published_on: the earliest publication date among the pages the story (the canonical
# article and its near-duplicates) appeared on, NULL when none is dated; copies: how many
# appearances, i.e. the story's rows in article_copies. A view reads its tables with its
# owner's rights, so a read-only role granted the view sees these too.
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
    WHERE c.id = a.id OR c.duplicate_of = a.id
) AS story
WHERE a.duplicate_of IS NULL
"""

CANONICAL_ARTICLES_0002 = """
CREATE VIEW canonical_articles AS
SELECT id, kind, kicker, title, subtitle, authors, place, body, body_original, script,
       quality_flags, quality_score, keywords, char_count, created_at
FROM articles
WHERE duplicate_of IS NULL
"""

FILE_STATUS = """
CREATE VIEW file_status AS
SELECT id AS file_id, path, published_on, status, stage, error_code, error_detail,
       item_count, attempts, quarantine_path, created_at, updated_at, finished_at
FROM source_files
"""

# Title (weight A) counts 2.5 times the body (weight B); weights are {D, C, B, A}.
# Normalization 1 divides by 1 + log(length): a long article does not win by length alone.
RANK = """
CREATE FUNCTION newsflow_rank(search tsvector, query tsquery) RETURNS real
LANGUAGE sql IMMUTABLE AS $$
    SELECT ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', search, query, 1)
$$
"""

# ts_headline cannot see words in unsegmented Chinese (its parser takes a whole run of
# characters as one word). So the body is spaced out character by character, then each query
# word (longest first, so 乡村振兴 wins over 乡村) is joined back into one token wherever it
# occurs; ts_headline then counts about one character per word and marks whole query words.
# The spacing is removed afterwards; original whitespace survives as a placeholder (U+2423).
SNIPPET = r"""
CREATE FUNCTION newsflow_snippet(body text, query tsquery) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    doc text := regexp_replace(regexp_replace(body, '\s+', '␣', 'g'), '(.)', '\1 ', 'g');
    word text;
BEGIN
    FOR word IN SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple', querytree(query)))) AS w
                ORDER BY length(w) DESC
    LOOP
        doc := replace(doc, regexp_replace(word, '(.)', '\1 ', 'g'), word || ' ');
    END LOOP;
    RETURN replace(replace(ts_headline('simple', doc, query,
               'StartSel=«, StopSel=», MaxFragments=2, MaxWords=40, MinWords=20, ShortWord=0, '
               'FragmentDelimiter=…'), ' ', ''), '␣', ' ');
END
$$
"""

# SECURITY DEFINER: a role granted only the published views may still search (the function
# reads articles, which such a role cannot); a fixed search_path keeps that safe.
SEARCH = """
CREATE FUNCTION newsflow_search(query tsquery, include_duplicates boolean DEFAULT false)
RETURNS TABLE (article_id bigint, rank real, title text, snippet text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT hit.id, hit.rank, hit.title, newsflow_snippet(hit.body, query)
    FROM (SELECT a.id, a.title, a.body, newsflow_rank(a.search, query) AS rank
          FROM articles a
          WHERE a.search @@ query AND (include_duplicates OR a.duplicate_of IS NULL)) AS hit
    ORDER BY hit.rank DESC, hit.id
$$
"""

FUNCTIONS = ("newsflow_search(tsquery, boolean)", "newsflow_snippet(text, tsquery)",
             "newsflow_rank(tsvector, tsquery)")


def upgrade() -> None:
    op.add_column("articles", sa.Column("search", postgresql.TSVECTOR(), nullable=True))
    op.create_index("articles_search_idx", "articles", ["search"], unique=False, postgresql_using="gin")
    op.add_column("source_files", sa.Column("published_on", sa.Date(), nullable=True))
    op.create_index("source_files_updated_at_idx", "source_files", ["updated_at"], unique=False)
    for statement in (CANONICAL_ARTICLES, FILE_STATUS, RANK, SNIPPET, SEARCH):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP VIEW file_status")
    # CREATE OR REPLACE cannot drop columns: article_copies does not depend on this view.
    op.execute("DROP VIEW canonical_articles")
    op.execute(CANONICAL_ARTICLES_0002)
    for function in FUNCTIONS:
        op.execute(f"DROP FUNCTION {function}")
    op.drop_index("source_files_updated_at_idx", table_name="source_files")
    op.drop_column("source_files", "published_on")
    op.drop_index("articles_search_idx", table_name="articles")
    op.drop_column("articles", "search")
