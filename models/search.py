"""Chinese full-text search in plain PostgreSQL: jieba words to rank, character bigrams to find.

Two indexes serve a search. ``articles.search`` holds jieba's search-mode tokens of the title
(weight A) and of title, subtitle and body (B) in a ``simple`` tsvector, built here from the
tokens the normalize stage computed (``search_vector``, ``search_value``). The bigram index
(migration 0008: a GIN expression index over ``newsflow_grams(title, subtitle, body)``) holds
every pair of adjacent characters, computed by PostgreSQL itself whenever a row is written.

A query is cut at whitespace into terms, each of which must occur exactly as typed, as
``LIKE '%term%'`` on title, subtitle or body would find it: the terms' bigrams give the
candidates and the text itself decides. That is all SQL (``newsflow_search(text)``), so
psql and BI tools search with any string; :func:`search` calls the same function and also
passes the query's jieba words, so articles holding those words but not the exact terms
follow as word-only hits. Nothing the user typed reaches the server but as a bound value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, bindparam, func, literal_column, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from stages.words.enrich import search_tokens

TITLE_WEIGHT = literal_column("'A'::\"char\"")  # weighs 1.0 in the rank
TEXT_WEIGHT = literal_column("'B'::\"char\"")  # weighs 0.4
DEFAULT_LIMIT = 20
MAX_LIMIT = 1000  # hits a search may ask for; newsflow_search itself allows 10,000


class EmptyQuery(ValueError):
    """The query holds no word to search for (only punctuation or spaces)."""


@dataclass(frozen=True)
class SearchFilters:
    author: str | None = None  # one of the article's authors, exactly
    place: str | None = None  # the dateline place (本报嘉峪关讯 → 嘉峪关), exactly
    since: date | None = None  # published on or after; undated articles are left out
    include_duplicates: bool = False  # near-duplicates too, not only canonical articles
    limit: int = DEFAULT_LIMIT
    exact_only: bool = False  # no word-only hits after the exact ones


@dataclass(frozen=True)
class SearchHit:
    article_id: int
    rank: float
    title: str | None
    authors: list[str]
    place: str | None
    published_on: date | None
    duplicate_of: int | None
    snippet: str  # hits between « and »
    exact: bool  # every term occurs as typed; False: a word-only hit


def _weighted(words: ColumnElement, weight: ColumnElement) -> ColumnElement:
    return func.setweight(func.to_tsvector("simple", words), weight)


def search_value(title_words: ColumnElement, text_words: ColumnElement) -> ColumnElement:
    """The ``articles.search`` value from two expressions of space-joined tokens: title
    tokens at weight A, title-and-body tokens at B (the two ``search_params`` values)."""
    return _weighted(title_words, TITLE_WEIGHT).op("||")(_weighted(text_words, TEXT_WEIGHT))


def search_params(title_tokens: Sequence[str], text_tokens: Sequence[str]) -> dict[str, str]:
    """The space-joined tokens :func:`search_value` takes, by the names articles are staged
    with (``search_title``, ``search_text``)."""
    return {"search_title": " ".join(title_tokens), "search_text": " ".join(text_tokens)}


def search_vector(title_tokens: Sequence[str], text_tokens: Sequence[str]) -> ColumnElement:
    """The search value of one article's tokens, bound (an update of one row)."""
    words = search_params(title_tokens, text_tokens)
    return search_value(bindparam("search_title", words["search_title"]),
                        bindparam("search_text", words["search_text"]))


def query_words(text: str) -> list[str]:
    """The distinct jieba search tokens of a query, in order; all of them must match."""
    words = list(dict.fromkeys(search_tokens(text)))
    if not words:
        raise EmptyQuery(f"nothing to search for in {text!r}")
    return words


def tsquery(words: Sequence[str]) -> ColumnElement:
    """The words as a tsquery (w1 & w2 & …), parsed by the server like the index was."""
    return func.plainto_tsquery("simple", " ".join(words))


_SEARCH = text("""
    SELECT article_id, rank, title, authors, place, published_on, duplicate_of, snippet, exact
    FROM newsflow_search(CAST(:query AS text), include_duplicates => :include_duplicates,
                         max_hits => :limit, author => CAST(:author AS text),
                         dateline => CAST(:place AS text), since => CAST(:since AS date),
                         words => plainto_tsquery('simple', CAST(:words AS text)))
""")


def search(session: Session, query: str, filters: SearchFilters = SearchFilters()) -> list[SearchHit]:
    """The best ``filters.limit`` hits of ``newsflow_search``, best first: exact hits, then
    (unless ``exact_only``) word-only hits of the query's jieba words."""
    words = None if filters.exact_only else " ".join(dict.fromkeys(search_tokens(query))) or None
    params = {"query": query, "include_duplicates": filters.include_duplicates,
              "limit": filters.limit, "author": filters.author, "place": filters.place,
              "since": filters.since, "words": words}
    try:
        rows = session.execute(_SEARCH, params).all()
    except DBAPIError as error:
        message = getattr(getattr(error.orig, "diag", None), "message_primary", None) or ""
        if message.startswith("nothing to search for"):
            raise EmptyQuery(message) from None
        raise
    return [SearchHit(r.article_id, r.rank, r.title, list(r.authors), r.place, r.published_on,
                      r.duplicate_of, r.snippet, r.exact) for r in rows]
