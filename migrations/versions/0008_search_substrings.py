"""Search that finds what LIKE finds: character bigrams beside the word lexemes,
``newsflow_search(text)`` that cuts any string itself, and search for newsflow_reader only

Revision ID: 0008
Revises: 0007

The bigram index is an expression index over ``title``, ``subtitle`` and ``body``: nothing is
stored in the rows, and PostgreSQL computes the bigrams whenever a row is written, in the
same transaction. On an empty database it is created at once. Building it over stored
articles reads every body (about 5 ms an article on 2 cores), so a database that holds
articles gets it from ``newsflow reindex`` (built concurrently, with progress): until then
``newsflow_search`` scans the text, with the same results.
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Every pair of adjacent characters of title, subtitle and body (joined by line breaks, one
# after the end, so that every character starts a pair), as lexemes without positions.
# Positions and <-> would not give substring semantics: a tsvector keeps at most 256
# positions of a lexeme and none past 16,383, and a GIN index holds no positions anyway (a
# <-> match is rechecked on the row). The candidates are checked against the text instead.
# Built by two regexp passes (pairs from the 1st and from the 2nd character) cut at a
# separator byte (\x01, mapped to \x02 in the text, and in the query alike).
# A text over 150,000 bytes could pass tsvector's 1 MB of lexemes, so it is one marker
# lexeme instead, which every query matches: such rows are always checked against the text.
# COST: evaluated for every row of a scan it would take seconds; the planner must use the
# index and never compute the function as a filter.
GRAMS = r"""
CREATE FUNCTION newsflow_grams(title text, subtitle text, body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 100000 AS $$
    SELECT CASE WHEN octet_length(doc) > 150000
                THEN array_to_tsvector('{"newsflow long text"}')
                ELSE array_to_tsvector(array_remove(string_to_array(
                         regexp_replace(doc, '(..)', E'\\1\x01', 'g') || E'\x01'
                         || regexp_replace(substr(doc, 2), '(..)', E'\\1\x01', 'g'), E'\x01'), ''))
           END
    FROM (SELECT translate(concat_ws(E'\n', title, subtitle, body), E'\x01', E'\x02') || E'\n'
                 AS doc) AS joined
$$
"""

GRAMS_INDEX = "CREATE INDEX articles_grams_idx ON articles USING gin (newsflow_grams(title, subtitle, body))"
# ANALYZE would compute the bigrams of its whole sample (30,000 rows, half a minute) for
# statistics the search does not use: none are kept, and the planner's default
# selectivity always prefers this index to computing the function.
NO_STATISTICS = "ALTER INDEX articles_grams_idx ALTER COLUMN 1 SET STATISTICS 0"

# A query is cut at whitespace into terms that must all occur; a term without a letter,
# digit or ideograph (only punctuation) is left out.
TERMS = r"""
CREATE FUNCTION newsflow_search_terms(query text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(term ORDER BY first)
    FROM (SELECT term, min(n) AS first
          FROM regexp_split_to_table(query,
                   '[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+')
               WITH ORDINALITY AS split(term, n)
          WHERE term ~ '[0-9A-Za-z]|[^\x01-\x7f\u0080-\u00bf\u2000-\u206f\u3000-\u303f\ufe30-\ufe4f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]'
          GROUP BY term) AS terms
$$
"""

# The bigrams of every term ANDed (a one-character term: any bigram it starts), or the long
# text marker. The first 32 bigrams of a term are plenty to find its candidates.
GRAMS_QUERY = r"""
CREATE FUNCTION newsflow_grams_query(terms text[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT ('(' || string_agg(DISTINCT gram, ' & ') || ') | ''newsflow long text''')::tsquery
    FROM (SELECT translate(t, E'\x01', E'\x02') AS t FROM unnest(terms) AS t) AS term,
         LATERAL (SELECT '''' || replace(replace(substr(term.t, i, 2), '\', '\\'), '''', '''''')
                         || CASE WHEN length(term.t) = 1 THEN ''':*' ELSE '''' END AS gram
                  FROM generate_series(1, greatest(1, least(length(term.t) - 1, 32))) AS i) AS grams
$$
"""

# Every occurrence of every term between « and », overlapping or adjacent ones in one mark.
MARK = r"""
CREATE FUNCTION newsflow_mark(fragment text, terms text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    chars constant text[] := string_to_array(fragment, NULL);
    inside boolean[] := array_fill(false, ARRAY[length(fragment)]);
    term text;
    at int;
    after int;
    marked text := '';
BEGIN
    FOREACH term IN ARRAY terms LOOP
        CONTINUE WHEN term = '';
        after := 0;
        LOOP
            at := strpos(substr(fragment, after + 1), term);
            EXIT WHEN at = 0;
            at := after + at;
            FOR k IN at .. at + length(term) - 1 LOOP
                inside[k] := true;
            END LOOP;
            after := at;
        END LOOP;
    END LOOP;
    FOR k IN 1 .. length(fragment) LOOP
        marked := marked || CASE WHEN inside[k] AND NOT coalesce(inside[k - 1], false) THEN '«' ELSE '' END
                  || chars[k]
                  || CASE WHEN inside[k] AND NOT coalesce(inside[k + 1], false) THEN '»' ELSE '' END;
    END LOOP;
    RETURN marked;
END
$$
"""

# Up to two fragments of the body, the terms marked: the first around the earliest
# occurrence of a term, the second around a term the first lacks; the opening of the body
# when no term occurs in it (a hit in the title). A fragment is made of whole clauses (a
# run of text and the punctuation or spaces after it) of one paragraph, widened clause by
# clause to about 60 characters, so it never starts or ends inside a word or a number
# (10月12日 stays whole; ASCII , . : and full-width ： are not clause ends, since numbers
# hold them). Only a clause longer than 240 characters is cut, 80 characters from the
# match, never inside a run of Latin letters or digits.
EXCERPT = r"""
CREATE FUNCTION newsflow_excerpt(stored_body text, terms text[]) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    body constant text := stored_body || '';  -- decompressed once, not at every use
    ends constant text := '[\s，。、；？！…“”‘’（）《》〈〉「」『』【】〔〕;?!()"]';
    width constant int := 60;
    found record;
    para_at int;
    para text;
    clause text;
    starts int[];
    stops int[];
    i int;
    j int;
    rel int;
    cut int;
    start_at int;
    stop_at int;
    shown int[] := '{}';
    excerpt text := '';
BEGIN
    IF body !~ '\S' THEN
        RETURN '';
    END IF;
    FOR found IN
        SELECT * FROM (SELECT strpos(body, t) AS at, length(t) AS len FROM unnest(terms) AS t) AS o
        WHERE at > 0
        UNION ALL SELECT 1 + length(substring(body from '^\s*')), 0  -- the opening
        WHERE NOT EXISTS (SELECT 1 FROM unnest(terms) AS t WHERE strpos(body, t) > 0)
        ORDER BY 1
    LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM generate_subscripts(shown, 1) AS k
                              WHERE k % 2 = 1 AND shown[k] <= found.at AND found.at < shown[k + 1]);
        EXIT WHEN cardinality(shown) >= 4;
        -- the paragraph around the match, at most 400 characters either side of it
        para_at := greatest(found.at - 400, 1);
        para := substr(body, para_at, found.at + found.len + 400 - para_at);
        rel := found.at - para_at + 1;
        cut := strpos(reverse(left(para, rel - 1)), E'\n');
        IF cut > 0 THEN
            para := substr(para, rel - cut + 1);
            para_at := para_at + rel - cut;
            rel := cut;
        END IF;
        cut := strpos(substr(para, rel + found.len), E'\n');
        IF cut > 0 THEN
            para := left(para, rel + found.len + cut - 2);
        END IF;
        starts := '{}';
        stops := '{}';
        i := NULL;
        j := NULL;
        FOR clause IN
            SELECT m[1] FROM regexp_matches(para, '([^' || substr(ends, 2) || '*' || ends || '*)', 'g') AS m
            WHERE m[1] <> ''
        LOOP
            starts := starts || coalesce(stops[cardinality(stops)], 1);
            stops := stops || (starts[cardinality(starts)] + length(clause));
            IF i IS NULL AND stops[cardinality(stops)] > rel THEN i := cardinality(starts); END IF;
            IF j IS NULL AND stops[cardinality(stops)] >= rel + found.len THEN j := cardinality(starts); END IF;
        END LOOP;
        i := coalesce(i, cardinality(starts), 1);
        j := coalesce(j, cardinality(starts), 1);
        LOOP
            IF j < cardinality(stops) AND stops[j + 1] - starts[i] <= width THEN
                j := j + 1;
            ELSIF i > 1 AND stops[j] - starts[i - 1] <= width THEN
                i := i - 1;
            ELSE
                EXIT;
            END IF;
        END LOOP;
        start_at := coalesce(starts[i], 1);
        stop_at := coalesce(stops[j], 1);
        IF stop_at - start_at > 240 THEN
            start_at := greatest(start_at, rel - 80);
            stop_at := least(stop_at, rel + found.len + 80);
            WHILE start_at > 1 AND substr(para, start_at - 1, 2) ~ '^[0-9A-Za-z]{2}$' LOOP
                start_at := start_at - 1;
            END LOOP;
            WHILE stop_at <= length(para) AND substr(para, stop_at - 1, 2) ~ '^[0-9A-Za-z]{2}$' LOOP
                stop_at := stop_at + 1;
            END LOOP;
        END IF;
        shown := shown || (para_at + start_at - 1) || (para_at + stop_at - 1);
    END LOOP;
    FOR k IN 1 .. cardinality(shown) BY 2 LOOP
        excerpt := excerpt || CASE WHEN left(body, shown[k] - 1) ~ '\S' OR k > 1 THEN '…' ELSE '' END
                   || newsflow_mark(regexp_replace(substr(body, shown[k], shown[k + 1] - shown[k]),
                                                   '^\s+|\s+$', '', 'g'), terms);
    END LOOP;
    RETURN excerpt || CASE WHEN substr(body, shown[cardinality(shown)]) ~ '\S' THEN '…' ELSE '' END;
END
$$
"""

# The search. Hits hold every term (exactly: LIKE '%term%' on title, subtitle or body);
# with ``words`` (a tsquery of jieba words, as the CLI passes), articles holding those words
# but not the terms follow, as word-only hits. Ranked: exact hits first (rank 1 to 2, word-only
# 0 to 1), then by the share of terms in the title and ts_rank_cd over the word lexemes (the
# words, or every substring of the terms that jieba may have kept as a word).
#
# Which hits are ranked: with max_hits NULL every one; otherwise the newest
# greatest(max_hits, 100) hits (the pool), so that a query that matches half the archive
# ranks 100 articles, not half the archive. The pool is found newest first either way:
# scanning the newest articles and checking their text (cheap when hits are dense), or
# taking the index's candidates newest first and checking them (cheap when hits are rare);
# after each stretch of scanning, the density seen so far decides which costs less.
SEARCH = r"""
CREATE FUNCTION newsflow_search(query text, include_duplicates boolean DEFAULT false,
                                max_hits integer DEFAULT 20, author text DEFAULT NULL,
                                dateline text DEFAULT NULL, since date DEFAULT NULL,
                                words tsquery DEFAULT NULL, snippets boolean DEFAULT true)
RETURNS TABLE (article_id bigint, rank real, title text, snippet text, exact boolean,
               authors text[], place text, published_on date, duplicate_of bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public, pg_temp SET plan_cache_mode = force_custom_plan SET jit = off AS $$
DECLARE
    terms constant text[] := newsflow_search_terms(query);
    pool constant int := greatest(max_hits, 100);
    single constant text := CASE WHEN cardinality(terms) = 1 THEN terms[1] END;
    patterns constant text[] := ARRAY(
        SELECT '%' || replace(replace(replace(t, '\', '\\'), '%', '\%'), '_', '\_') || '%'
        FROM unnest(terms) AS t);
    grams constant tsquery := newsflow_grams_query(terms);
    -- The candidates of terms of one or two characters hold them (but for long texts).
    checked constant boolean := EXISTS (SELECT 1 FROM unnest(terms) AS t
                                        WHERE length(t) > 2 OR t ~ '[\x01\x02]');
    indexed constant boolean := coalesce((SELECT i.indisvalid FROM pg_index AS i
                                          WHERE i.indexrelid = to_regclass('articles_grams_idx')), false);
    ranking tsquery := words;
    ids bigint[] := '{}';
    word_ids bigint[] := '{}';
    found bigint[];
    below bigint;
    chunk int := 100;
    scanned int := 0;
    seen int;
    density float8;
BEGIN
    IF terms IS NULL THEN
        RAISE EXCEPTION 'nothing to search for in %', quote_literal(query)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF max_hits < 1 OR max_hits > 10000 THEN
        RAISE EXCEPTION 'max_hits must be between 1 and 10000 (NULL: every hit), not %', max_hits
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF max_hits IS NULL AND indexed THEN
        ids := ARRAY(
            SELECT a.id FROM articles AS a
            WHERE newsflow_grams(a.title, a.subtitle, a.body) @@ grams
              AND @cheap@ AND @exact@ AND @published@);
    ELSIF max_hits IS NULL THEN
        ids := ARRAY(SELECT a.id FROM articles AS a WHERE @cheap@ AND @exact@ AND @published@);
    ELSE
        LOOP
            -- the next stretch of articles, newest first, checked against the text
            SELECT array_agg(a.id ORDER BY a.id DESC) FILTER (WHERE a.hit), min(a.id), count(*)
            INTO found, below, seen
            FROM (SELECT a.id, @cheap@ AND @exact@ AND @dated@ AS hit
                  FROM articles AS a
                  WHERE a.id < coalesce(below, 9223372036854775807)
                  ORDER BY a.id DESC LIMIT chunk) AS a;
            ids := ids || coalesce(found[1:pool - cardinality(ids)], '{}');
            scanned := scanned + seen;
            EXIT WHEN cardinality(ids) >= pool OR seen < chunk;
            density := (cardinality(ids) + 0.5) / scanned;
            -- Checking an article's text costs about six times as much as visiting an index
            -- candidate; the index has the density's share of the ``below`` articles left.
            IF indexed AND (pool - cardinality(ids)) / density * 6 > density * below THEN
                ids := ids || ARRAY(
                    SELECT a.id
                    FROM (SELECT a.id, a.title, a.subtitle, a.body, a.duplicate_of FROM articles AS a
                          WHERE newsflow_grams(a.title, a.subtitle, a.body) @@ grams AND a.id < below
                            AND @cheap@
                          ORDER BY a.id DESC OFFSET 0) AS a
                    WHERE (NOT checked AND octet_length(a.body) + coalesce(octet_length(a.title), 0)
                           + coalesce(octet_length(a.subtitle), 0) < 149990 OR @exact@)
                      AND @dated@
                    ORDER BY a.id DESC LIMIT pool - cardinality(ids));
                EXIT;
            END IF;
            chunk := least(greatest(chunk * 2, ceil((pool - cardinality(ids)) / density * 1.2)::int), 20000);
        END LOOP;
    END IF;
    IF words IS NOT NULL AND (max_hits IS NULL OR cardinality(ids) < max_hits) THEN
        word_ids := ARRAY(
            SELECT a.id
            FROM (SELECT a.id, a.duplicate_of FROM articles AS a
                  WHERE a.search @@ words AND a.id <> ALL (ids) AND @cheap@
                  ORDER BY a.id DESC OFFSET 0) AS a
            WHERE @dated@
            ORDER BY a.id DESC LIMIT pool);
    END IF;
    IF ranking IS NULL THEN  -- each term, and its pairs of characters, as jieba words
        ranking := (SELECT string_agg(DISTINCT '''' || replace(replace(lower(part), '\', '\\'), '''', '''''')
                                      || '''', ' | ')::tsquery
                    FROM unnest(terms) AS t,
                         LATERAL (SELECT t UNION SELECT substr(t, i, 2)
                                  FROM generate_series(1, length(t) - 1) AS i) AS parts(part));
    END IF;
    -- Ranked, then kept while they are published stories (checked for those shown only,
    -- when the pool was not checked already), the snippets made for those shown.
    RETURN QUERY
    WITH ranked AS MATERIALIZED (
        SELECT a.id, a.title, a.body, a.authors, a.place, a.duplicate_of, a.id = ANY (ids) AS is_exact,
               ((a.id = ANY (ids))::int
                + 0.5 * (SELECT count(*) FROM unnest(terms) AS t WHERE strpos(a.title, t) > 0)
                      / cardinality(terms)
                + 0.5 * coalesce(ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', a.search, ranking, 1 | 32), 0)
               )::real AS score
        FROM articles AS a
        WHERE a.id = ANY (ids || word_ids)
        ORDER BY score DESC, a.id DESC)
    SELECT a.id, a.score, a.title,
           CASE WHEN snippets THEN newsflow_excerpt(a.body, CASE WHEN a.is_exact THEN terms ELSE
               tsvector_to_array(to_tsvector('simple', querytree(words))) END) END,
           a.is_exact, a.authors, a.place,
           (SELECT s.published_on FROM canonical_articles AS s WHERE s.id = coalesce(a.duplicate_of, a.id)),
           a.duplicate_of
    FROM ranked AS a
    WHERE max_hits IS NULL OR since IS NOT NULL OR @published@
    LIMIT max_hits;
END
$$
"""
# the filters of the search
_CHEAP = """(include_duplicates OR a.duplicate_of IS NULL)
             AND (newsflow_search.author IS NULL OR newsflow_search.author = ANY (a.authors))
             AND (dateline IS NULL OR a.place = dateline)"""
# every term in title, subtitle or body, as LIKE finds it (one term: strpos, cheaper)
_EXACT = r"""CASE WHEN single IS NOT NULL
                  THEN strpos(concat_ws(E'\n', a.title, a.subtitle, a.body), single) > 0
                  ELSE concat_ws(E'\n', a.title, a.subtitle, a.body) LIKE ALL (patterns) END"""
# a story of canonical_articles (published on or after ``since``), as a scalar subquery:
# as EXISTS, the planner may compute the whole view to hash it
_PUBLISHED = """coalesce((SELECT true FROM canonical_articles AS s
                            WHERE s.id = coalesce(a.duplicate_of, a.id)
                              AND (since IS NULL OR s.published_on >= since)), false)"""
SEARCH = (SEARCH.replace("@cheap@", _CHEAP).replace("@exact@", _EXACT)
          .replace("@dated@", f"(since IS NULL OR {_PUBLISHED})").replace("@published@", _PUBLISHED))

FUNCTIONS = ("newsflow_grams(text, text, text)", "newsflow_search_terms(text)",
             "newsflow_grams_query(text[])",
             "newsflow_mark(text, text[])", "newsflow_excerpt(text, text[])",
             "newsflow_search(text, boolean, integer, text, text, date, tsquery, boolean)")
SEARCHES = ("newsflow_search(tsquery, boolean)", FUNCTIONS[-1])


def upgrade() -> None:
    for statement in (GRAMS, TERMS, GRAMS_QUERY, MARK, EXCERPT, SEARCH):
        op.execute(statement)
    # Searching reads articles with the owner's rights: only the reader role may do it. A
    # SECURITY DEFINER function searches pg_temp last, so a session cannot shadow a table.
    op.execute("ALTER FUNCTION newsflow_search(tsquery, boolean) SET search_path = pg_catalog, public, pg_temp")
    for function in SEARCHES:
        op.execute(f"REVOKE EXECUTE ON FUNCTION {function} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO newsflow_reader")
    if op.get_bind().execute(sa.text("SELECT EXISTS (SELECT 1 FROM articles)")).scalar():
        logging.getLogger(__name__).warning(
            "articles are stored already: `newsflow reindex` builds the substring index "
            "(searches scan the text until then)")
    else:
        op.execute(GRAMS_INDEX)
        op.execute(NO_STATISTICS)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS articles_grams_idx")
    for function in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION {function}")
    op.execute("REVOKE EXECUTE ON FUNCTION newsflow_search(tsquery, boolean) FROM newsflow_reader")
    op.execute("GRANT EXECUTE ON FUNCTION newsflow_search(tsquery, boolean) TO PUBLIC")
    op.execute("ALTER FUNCTION newsflow_search(tsquery, boolean) SET search_path = pg_catalog, public")
