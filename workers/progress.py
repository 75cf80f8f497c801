"""Enqueueing from the command line, waiting with a progress bar, and the status table."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import select

from intake import register as intake
from intake.policy import files_under
from intake.register import Registered
from models.articles import article_counts
from models.db import transaction
from models.items import item_progress
from models.ledger import status_counts
from models.tables import FINAL_STATES, LedgerState, SourceFile
from tasks.enqueue import send_files
from tasks.settings import Settings


def enqueue_paths(paths: list[Path], settings: Settings, console: Console) -> Registered:
    """Register and enqueue every file under ``paths``, a lot (``intake.lots``) at a time,
    with a progress bar when there is more than one lot; say what was already done, and which
    files could not be read (they are not registered; the others go on)."""
    files = list(dict.fromkeys(f.absolute() for p in paths for f in files_under(p)))  # named twice
    lot = Registered()
    columns = (TextColumn("registering"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console,
                  disable=len(files) <= intake.REGISTER_CHUNK) as progress:
        bar = progress.add_task("files", total=len(files))
        for chunk in intake.lots(files):
            part = intake.register_lot(chunk, settings.require_database_url(), requeue=set(chunk))
            send_files([(i.file_id, i.path) for _, i in part.intakes if i.enqueued], settings)
            lot.intakes += part.intakes
            lot.unreadable += part.unreadable
            progress.advance(bar, len(chunk))
    done = sum(not i.enqueued for _, i in lot.intakes)
    console.print(f"{len(lot.intakes)} files: {len(lot.intakes) - done} enqueued, "
                  f"{done} already in a final state")
    for path, error in lot.unreadable:
        console.print(f"[red]cannot read {path}: {error.strerror or error}; not registered[/red]")
    return lot


def _states(settings: Settings, ids: list[int]) -> list[SourceFile]:
    with transaction(settings.require_database_url()) as session:
        return list(session.scalars(select(SourceFile).where(SourceFile.id.in_(ids))))


def wait_for_files(ids: list[int], settings: Settings, console: Console, timeout: float) -> bool:
    """Show progress until every file is final, in files and in articles (a large archive
    is one file of thousands); print a summary; True if any failed."""
    columns = (TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    deadline = time.monotonic() + timeout
    with Progress(*columns, console=console) as progress:
        bar = progress.add_task("files", total=len(ids))
        articles = progress.add_task("articles", total=None)
        while True:
            files = _states(settings, ids)
            final = [f for f in files if f.status in FINAL_STATES]
            progress.update(bar, completed=len(final))
            done = _article_progress(settings, ids)
            progress.update(articles, **done)
            if len(final) == len(ids) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    if not console.is_terminal:  # no bars drawn (a pipe, a log): the last count, in words
        console.print(f"files {len(final)}/{len(ids)}, "
                      f"articles {done['completed']}/{done['total'] or 0}")
    _summary(files, console)
    unfinished = len(ids) - len(final)
    if unfinished:
        console.print(f"[red]{unfinished} files not finished after {timeout:.0f} s[/red]")
    return unfinished > 0 or any(f.status == LedgerState.FAILED for f in files)


def _article_progress(settings: Settings, ids: list[int]) -> dict:
    """The files' items parsed so far (the total, once known) and those given their article."""
    with transaction(settings.require_database_url()) as session:
        parsed, linked = item_progress(session, ids)
    return {"total": parsed or None, "completed": linked}


def _summary(files: list[SourceFile], console: Console) -> None:
    table = Table("file", "state", "items", "reason")
    for f in sorted(files, key=lambda f: f.path):
        reason = f"{f.error_code}: {f.error_detail}" if f.error_code else ""
        table.add_row(Path(f.path).name, f.status, str(f.item_count or ""), reason)
    console.print(table)
    counts = Counter(f.status for f in files)
    console.print(", ".join(f"{n} {state}" for state, n in sorted(counts.items())))


def print_status(settings: Settings, console: Console) -> None:
    with transaction(settings.require_database_url()) as session:
        files, articles = status_counts(session), article_counts(session)
    table = Table("files by state", "count")
    for state in LedgerState:
        table.add_row(str(state), str(files.get(state, 0)))
    console.print(table)
    console.print(f"articles: {articles['articles']} ({articles['canonical']} canonical), "
                  f"occurrences: {articles['occurrences']}")
