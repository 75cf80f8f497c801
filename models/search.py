"""Chinese full-text search in plain PostgreSQL: jieba tokens in a ``simple`` tsvector.

PostgreSQL's parser cannot split Chinese into words, so the application does: the index holds
jieba's search-mode tokens joined by spaces (``search_vector``) and a query is cut by the same
code into words that must all occur (``query_words``). The words reach the server only as a
bound parameter of ``plainto_tsquery('simple', …)``, which parses them exactly as the index was
parsed and ANDs them; operator characters in the input are plain text there, never syntax.
Ranking (``newsflow_rank``) and snippets (``newsflow_snippet``) are SQL functions of migration
0003, shared with the ``newsflow_search`` function SQL users call, so both rank alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, bindparam, column, func, literal_column, select, table
from sqlalchemy.orm import Session

from models.tables import Article
from stages.words.enrich import search_tokens

TITLE_WEIGHT = literal_column("'A'::\"char\"")  # weighs 1.0 in newsflow_rank
TEXT_WEIGHT = literal_column("'B'::\"char\"")  # weighs 0.4
DEFAULT_LIMIT = 20
# The published view holds a story's publication date (migration 0003 defines it once).
_STORIES = table("canonical_articles", column("id"), column("published_on"))


class EmptyQuery(ValueError):
    """The query holds no word to search for (only punctuation or spaces)."""


@dataclass(frozen=True)
class SearchFilters:
    author: str | None = None  # one of the article's authors, exactly
    place: str | None = None  # the dateline place (本报嘉峪关讯 → 嘉峪关), exactly
    since: date | None = None  # published on or after; undated articles are left out
    include_duplicates: bool = False  # near-duplicates too, not only canonical articles
    limit: int = DEFAULT_LIMIT


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


def _filters(filters: SearchFilters, published: ColumnElement) -> list[ColumnElement]:
    clauses = []
    if not filters.include_duplicates:
        clauses.append(Article.duplicate_of.is_(None))
    if filters.author:
        clauses.append(Article.authors.any(filters.author))
    if filters.place:
        clauses.append(Article.place == filters.place)
    if filters.since:
        clauses.append(published >= filters.since)
    return clauses


def search(session: Session, text: str, filters: SearchFilters = SearchFilters()) -> list[SearchHit]:
    """The best ``filters.limit`` matches, best first; snippets only for those."""
    query = tsquery(query_words(text))
    published = _STORIES.c.published_on  # the story's, for near-duplicates too
    rank = func.newsflow_rank(Article.search, query)
    hits = (
        select(Article.id, Article.title, Article.body, Article.authors, Article.place,
               Article.duplicate_of, rank.label("rank"), published.label("published_on"))
        .join(_STORIES, _STORIES.c.id == func.coalesce(Article.duplicate_of, Article.id))
        .where(Article.search.op("@@")(query), *_filters(filters, published))
        .order_by(rank.desc(), Article.id)
        .limit(filters.limit)
        .subquery()
    )
    rows = session.execute(
        select(hits, func.newsflow_snippet(hits.c.body, query).label("snippet"))
        .order_by(hits.c.rank.desc(), hits.c.id)
    )
    return [SearchHit(r.id, r.rank, r.title, list(r.authors), r.place, r.published_on,
                      r.duplicate_of, r.snippet) for r in rows]
