"""``newsflow search`` and ``newsflow reindex``: run a search, print its hits; fill old rows."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict

from rich.console import Console
from rich.text import Text
from sqlalchemy import select, update

from models.db import transaction
from models.search import SearchFilters, SearchHit, search, search_vector
from models.tables import Article
from stages.words.enrich import search_tokens
from tasks.settings import Settings

REINDEX_BATCH = 200


def run_search(settings: Settings, query: str, filters: SearchFilters) -> list[SearchHit]:
    logging.getLogger("jieba").setLevel(logging.WARNING)  # its dictionary-loading chatter
    with transaction(settings.require_database_url()) as session:
        return search(session, query, filters)


def hit_json(hit: SearchHit) -> str:
    data = asdict(hit)
    data["published_on"] = hit.published_on.isoformat() if hit.published_on else None
    return json.dumps(data, ensure_ascii=False)


def highlighted(snippet: str) -> Text:
    """The snippet with its «hits» in bold, the marks removed (no markup parsing of text)."""
    text = Text()
    for i, part in enumerate(snippet.replace("»", "«").split("«")):
        text.append(part, style="bold yellow" if i % 2 else "")
    return text


def print_hits(hits: list[SearchHit], console: Console) -> None:
    for hit in hits:
        meta = " ".join(filter(None, ["、".join(hit.authors), hit.place,
                                      hit.published_on and hit.published_on.isoformat()]))
        console.print(Text(f"#{hit.article_id}  {hit.rank:.3f}  ", style="dim")
                      + Text(hit.title or "(untitled)", style="bold") + Text(f"  {meta}"))
        console.print(highlighted(hit.snippet))
        console.print()
    console.print(Text(f"{len(hits)} hits", style="dim"))


def reindex(settings: Settings, everything: bool = False) -> int:
    """Compute ``search`` for articles that lack it (or all): how many were updated.

    The same tokens as the normalize stage: jieba search mode over title, subtitle and body.
    """
    done, last = 0, 0
    while ids := _unindexed(settings, everything, after=last):
        with transaction(settings.require_database_url()) as session:
            for article in session.scalars(select(Article).where(Article.id.in_(ids))):
                session.execute(update(Article).where(Article.id == article.id)
                                .values(search=_vector(article)))
        done, last = done + len(ids), ids[-1]
    return done


def _vector(article: Article):
    text = "\n".join(part for part in (article.title, article.subtitle, article.body) if part)
    return search_vector(search_tokens(article.title or ""), search_tokens(text))


def _unindexed(settings: Settings, everything: bool, after: int) -> list[int]:
    query = select(Article.id).where(Article.id > after).order_by(Article.id).limit(REINDEX_BATCH)
    if not everything:
        query = query.where(Article.search.is_(None))
    with transaction(settings.require_database_url()) as session:
        return list(session.scalars(query))
