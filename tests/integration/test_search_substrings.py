"""``newsflow_search(text)`` finds exactly what LIKE finds, in every way it may look.

A scratch database holds a few hundred articles written in a small alphabet (so that short
terms match many of them), with the characters LIKE and tsquery treat specially, the
separator byte the bigrams are cut at, near-duplicates, and one body too long for a tsvector
of its bigrams. For random terms, the function's hits are compared with LIKE's.
"""

from __future__ import annotations

import random

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrations import upgrade_head
from workers import scratch as services

ALPHABET = "乡村振兴政协会议中国的人" * 3 + "0123456789" + "Aab" + "，。、“”%_\\'&|!:*" + "\x01\x02"
SPACES = " \n\u3000"
LONG_BODY_CHARS = 100_000  # about 200,000 bytes: past the 150,000 of a bigram tsvector
WORD_CHAR = "乡村振兴政协会议中国的人鼎0123456789Aab"


def _text(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(ALPHABET) if rng.random() > 0.08 else rng.choice(SPACES)
                   for _ in range(size))


def _articles(rng: random.Random) -> list[tuple]:
    """(title, subtitle, body, duplicate_of) of the corpus, near-duplicates pointing back
    at canonical articles (ids from 1)."""
    rows, canonical = [], []
    for n in range(1, 401):
        title = _text(rng, rng.randint(1, 20)) if rng.random() < 0.8 else None
        subtitle = _text(rng, rng.randint(1, 12)) if rng.random() < 0.2 else None
        body = _text(rng, rng.randint(1, 400))
        duplicate_of = rng.choice(canonical) if canonical and rng.random() < 0.1 else None
        canonical += [] if duplicate_of else [n]
        rows.append((title, subtitle, body, duplicate_of))
    rows.append(("长文", None, _text(rng, LONG_BODY_CHARS) + "独一无二的结尾", None))
    return rows + EDGES


# Characters that occur once, at the very end of a body, of a subtitle, or as a whole title:
# no pair starts after them but the one the bigrams add at the end.
EDGES = [("边缘", None, "乡村鼐", None), ("边缘", "政协鼒", "会议", None), ("鼑", None, "人", None)]


def _store(url: str, rows: list[tuple]) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for n, (title, subtitle, body, duplicate_of) in enumerate(rows, start=1):
            conn.execute(
                "INSERT INTO articles (id, kind, title, subtitle, body, body_original,"
                " content_sha256, duplicate_of, search) VALUES (%s, 'article', %s, %s, %s, %s,"
                " md5(%s::text), %s, setweight(to_tsvector('simple', coalesce(%s, '')), 'A')"
                " || setweight(to_tsvector('simple', %s), 'B'))",
                (n, title, subtitle, body, body, n, duplicate_of, title, body))
            conn.execute(
                "INSERT INTO source_files (id, path, path_bytes, content_sha256, size, status,"
                " published_on) VALUES (%s, %s, convert_to(%s, 'UTF8'), md5(%s::text), 0,"
                " 'stored', date '2022-10-01' + %s)", (n, f"p{n}.txt", f"p{n}.txt", n, n % 30))
            conn.execute("INSERT INTO article_occurrences (article_id, file_id, position)"
                         " VALUES (%s, %s, 0)", (n, n))


@pytest.fixture(scope="module")
def corpus(postgres_admin):
    """Given a migrated scratch database holding the corpus: its URL and its texts."""
    rows = _articles(random.Random(25))
    with services.scratch_database(postgres_admin) as url:
        upgrade_head(url)
        _store(url, rows)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ANALYZE")
        yield url, [field for row in rows for field in row[:3] if field]


def _like(term: str) -> str:
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def like_hits(conn, terms: list[str], include_duplicates: bool = False) -> set[int]:
    """What LIKE finds: articles holding every term in title, subtitle or body."""
    clauses = " AND ".join("(a.title LIKE %s OR a.subtitle LIKE %s OR a.body LIKE %s)"
                           for _ in terms)
    rows = conn.execute(f"SELECT a.id FROM articles a WHERE {clauses}"
                        + ("" if include_duplicates else " AND a.duplicate_of IS NULL"),
                        [_like(t) for t in terms for _ in range(3)])
    return {row[0] for row in rows}


def search_hits(conn, query: str, **options) -> list[tuple]:
    names = ", ".join(f"{name} => %({name})s" for name in options)
    return conn.execute(
        f"SELECT article_id, rank, exact FROM newsflow_search(%(query)s{', ' if names else ''}{names})",
        {"query": query, **options}).fetchall()


def _terms(texts: list[str]):
    """A term: a piece of 1 to 8 characters of a stored text, or random characters (which
    may occur nowhere), without whitespace and with a letter, digit or ideograph."""
    # texts drawn by index: a drawn 100,000-character text would be printed in every report
    piece = st.builds(lambda n, at, size: texts[n][at % len(texts[n]):at % len(texts[n]) + size],
                      st.integers(0, len(texts) - 1), st.integers(0, 10**6), st.integers(1, 8))
    made_up = st.text(st.sampled_from(ALPHABET + "鼎"), min_size=1, max_size=6)
    return st.one_of(piece, made_up).map(lambda t: "".join(c for c in t if c not in SPACES)).filter(
        lambda t: any(c in WORD_CHAR for c in t))


@st.composite
def queries(draw, texts: list[str]) -> list[str]:
    return draw(st.lists(_terms(texts), min_size=1, max_size=3, unique=True))


PROPERTY = settings(max_examples=250, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_every_hit_and_only_them_are_what_like_finds(corpus):
    url, texts = corpus

    @PROPERTY
    @given(terms=queries(texts), separator=st.sampled_from([" ", "\u3000", "  \n"]))
    def check(terms, separator):
        with psycopg.connect(url) as conn:
            # When the terms are searched for, every hit asked for
            found = search_hits(conn, separator.join(terms), max_hits=None, snippets=False)
            # Then the hits are exactly the articles LIKE finds, all exact
            assert {row[0] for row in found} == like_hits(conn, terms)
            assert all(row[2] for row in found)
            with_copies = search_hits(conn, " ".join(terms), max_hits=None, snippets=False,
                                      include_duplicates=True)
            assert {row[0] for row in with_copies} == like_hits(conn, terms, include_duplicates=True)

    check()


def test_the_best_hits_are_exact_ranked_and_as_many_as_asked(corpus):
    url, texts = corpus

    @PROPERTY
    @given(terms=queries(texts), limit=st.integers(1, 120))
    def check(terms, limit):
        with psycopg.connect(url) as conn:
            expected = like_hits(conn, terms)
            found = search_hits(conn, " ".join(terms), max_hits=limit)
            assert {row[0] for row in found} <= expected
            assert len(found) == min(limit, len(expected))
            ranks = [row[1] for row in found]
            assert ranks == sorted(ranks, reverse=True) and all(1 <= r <= 2 for r in ranks)

    check()


def test_without_the_bigram_index_the_text_is_scanned_with_the_same_hits(corpus):
    url, texts = corpus
    rng = random.Random(3)
    samples = [text[at:at + size] for text in rng.sample(texts, 40)
               for at, size in [(rng.randrange(len(text)), rng.randint(1, 5))]]
    samples = [t for t in samples if any(c in WORD_CHAR for c in t) and not set(t) & set(SPACES)]
    with psycopg.connect(url) as conn:
        # Given a database whose bigram index is not built (yet): dropped in this transaction
        conn.execute("DROP INDEX articles_grams_idx")
        for term in samples:
            expected = like_hits(conn, [term])
            # Then every search still finds what LIKE finds, and the best of them
            assert {r[0] for r in search_hits(conn, term, max_hits=None)} == expected
            assert len(search_hits(conn, term, max_hits=5)) == min(5, len(expected))
        conn.rollback()


def test_a_text_too_long_for_its_bigrams_is_still_found(corpus):
    url, _ = corpus
    with psycopg.connect(url) as conn:
        long_id = conn.execute("SELECT id FROM articles WHERE title = '长文'").fetchone()[0]
        grams = conn.execute("SELECT newsflow_grams(title, subtitle, body)::text FROM articles"
                             " WHERE id = %s", (long_id,)).fetchone()[0]
        assert grams == "'newsflow long text'"  # one marker lexeme, which every query matches
        assert [r[0] for r in search_hits(conn, "一无二的结")] == [long_id]
        assert long_id in {r[0] for r in search_hits(conn, "乡村", max_hits=None)}


def test_a_character_at_the_very_end_of_a_field_is_found(corpus):
    url, _ = corpus
    with psycopg.connect(url) as conn:
        for term in ("鼐", "村鼐", "鼒", "协鼒", "鼑"):
            expected = like_hits(conn, [term])
            assert len(expected) == 1, term
            assert {r[0] for r in search_hits(conn, term, max_hits=None)} == expected, term


def test_a_query_is_cut_at_whitespace_and_punctuation_alone_is_no_term(corpus):
    url, _ = corpus
    with psycopg.connect(url) as conn:
        cut = conn.execute("SELECT newsflow_search_terms(%s)",
                           (" 乡村振兴\u3000政协， ，，  乡村振兴\nGDP 3.5% “ ",)).fetchone()[0]
        assert cut == ["乡村振兴", "政协，", "GDP", "3.5%"]
        assert conn.execute("SELECT newsflow_search_terms('，。 “”')").fetchone()[0] is None
        with pytest.raises(psycopg.errors.InvalidParameterValue, match="nothing to search for"):
            conn.execute("SELECT * FROM newsflow_search('，。')")
        conn.rollback()
        for limit in (0, -1, 10_001):
            with pytest.raises(psycopg.errors.InvalidParameterValue, match="max_hits"):
                conn.execute("SELECT * FROM newsflow_search('乡村', max_hits => %s)", (limit,))
            conn.rollback()
