"""``newsflow search`` and ``newsflow reindex``: run a search, print its hits; fill old rows
and build the bigram index of a database that held articles before migration 0008."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text
from sqlalchemy import func, select, text, update

from models.db import get_engine, transaction
from models.search import SearchFilters, SearchHit, search, search_vector
from models.tables import Article
from stages.words.enrich import search_tokens
from tasks.settings import Settings

REINDEX_BATCH = 200
GRAMS_INDEX = "articles_grams_idx"  # migration 0008
_BUILD_GRAMS = (f"CREATE INDEX CONCURRENTLY {GRAMS_INDEX} ON articles"
                " USING gin (newsflow_grams(title, subtitle, body))")


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
                                      hit.published_on and hit.published_on.isoformat(),
                                      None if hit.exact else "(words only)"]))
        console.print(Text(f"#{hit.article_id}  {hit.rank:.3f}  ", style="dim")
                      + Text(hit.title or "(untitled)", style="bold") + Text(f"  {meta}"))
        console.print(highlighted(hit.snippet))
        console.print()
    exact = sum(hit.exact for hit in hits)
    console.print(Text(f"{len(hits)} hits ({exact} exact, {len(hits) - exact} words only)", style="dim"))


def reindex(settings: Settings, everything: bool = False, console: Console | None = None) -> int:
    """Compute ``search`` for articles that lack it (or all), a batch per transaction, and
    build the bigram index if it is missing: how many word vectors were updated.

    The same tokens as the normalize stage: jieba search mode over title, subtitle and body.
    """
    console = console or Console(stderr=True)
    url = settings.require_database_url()
    with transaction(url) as session:
        query = select(func.count()).select_from(Article)
        todo = session.scalar(query if everything else query.where(Article.search.is_(None)))
    done, last = 0, 0
    with _bar("word vectors", console, todo) as (progress, bar):
        while ids := _unindexed(settings, everything, after=last):
            with transaction(url) as session:
                for article in session.scalars(select(Article).where(Article.id.in_(ids))):
                    session.execute(update(Article).where(Article.id == article.id)
                                    .values(search=_vector(article)))
            done, last = done + len(ids), ids[-1]
            progress.advance(bar, len(ids))
    build_grams_index(url, console)
    return done


@contextmanager
def _bar(label: str, console: Console, total: int | None) -> Iterator[tuple[Progress, TaskID]]:
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        yield progress, progress.add_task(label, total=total)


def build_grams_index(url: str, console: Console) -> bool:
    """Build the bigram index unless a valid one exists (concurrently: ingestion goes on),
    showing the table blocks read; whether it was built."""
    engine = get_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        valid = conn.execute(text("SELECT indisvalid FROM pg_index"
                                  " WHERE indexrelid = to_regclass(:name)"), {"name": GRAMS_INDEX}).scalar()
        if valid:
            return False
        if valid is False:  # an earlier build was interrupted
            conn.execute(text(f"DROP INDEX CONCURRENTLY {GRAMS_INDEX}"))
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        finished = threading.Event()
        watcher = threading.Thread(target=_show_build, args=(url, pid, finished, console), daemon=True)
        watcher.start()
        try:
            conn.execute(text("SET maintenance_work_mem = '256MB'"))
            conn.execute(text(_BUILD_GRAMS))
            conn.execute(text(f"ALTER INDEX {GRAMS_INDEX} ALTER COLUMN 1 SET STATISTICS 0"))
        finally:
            finished.set()
            watcher.join()
    console.print(f"built the substring index {GRAMS_INDEX}")
    return True


def _show_build(url: str, pid: int, finished: threading.Event, console: Console) -> None:
    """The table blocks the index build has read, from PostgreSQL's progress view."""
    progress_sql = text("SELECT blocks_done, blocks_total FROM pg_stat_progress_create_index"
                        " WHERE pid = :pid")
    with _bar("substring index (table blocks)", console, None) as (progress, bar), \
            get_engine(url).connect() as conn:
        while not finished.wait(0.5):
            row = conn.execute(progress_sql, {"pid": pid}).first()
            conn.rollback()
            if row and row.blocks_total:
                progress.update(bar, completed=row.blocks_done, total=row.blocks_total)


def _vector(article: Article):
    text = "\n".join(part for part in (article.title, article.subtitle, article.body) if part)
    return search_vector(search_tokens(article.title or ""), search_tokens(text))


def _unindexed(settings: Settings, everything: bool, after: int) -> list[int]:
    query = select(Article.id).where(Article.id > after).order_by(Article.id).limit(REINDEX_BATCH)
    if not everything:
        query = query.where(Article.search.is_(None))
    with transaction(settings.require_database_url()) as session:
        return list(session.scalars(query))
