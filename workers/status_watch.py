"""``newsflow status --watch``: live counts by state and what moved in the last minute.

Throughput comes from ``source_files.updated_at``, which every stage transition sets (indexed
since migration 0003): a file updated within the window is counted at the stage it reached
last. A file that went through several stages inside one window counts once, at its latest,
so the figure per stage is the number of files that *ended the window* there, a lower bound
on how many passed through; the sum over all columns is exact (files that moved at all).
"""

from __future__ import annotations

import time
from datetime import timedelta

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models.articles import article_counts
from models.db import transaction
from models.ledger import status_counts
from models.tables import FINAL_STATES, LedgerState, SourceFile, Stage
from tasks.settings import Settings

WINDOW = timedelta(minutes=1)
# Registered but not yet ingested files have no stage: they show as "queued".
MILESTONES = (LedgerState.QUEUED, Stage.INGESTED, Stage.PARSED, Stage.NORMALIZED, Stage.DEDUPED,
              *FINAL_STATES)


def recent_moves(session: Session, window: timedelta = WINDOW) -> dict[str, int]:
    """Files whose last move, inside the window, took them to each stage or final state."""
    rows = session.execute(
        select(SourceFile.status, SourceFile.stage, func.count())
        .where(SourceFile.updated_at > func.now() - window)
        .group_by(SourceFile.status, SourceFile.stage)
    )
    moves: dict[str, int] = {}
    for status, stage, count in rows:
        key = status if status in FINAL_STATES or stage is None else stage
        moves[key] = moves.get(key, 0) + count
    return moves


def snapshot(settings: Settings) -> Group:
    """One frame: files by state, what moved in the last minute, article counts."""
    with transaction(settings.require_database_url()) as session:
        states, moves = status_counts(session), recent_moves(session)
        articles = article_counts(session)
    table = Table("state", "files", title="files by state")
    for state in LedgerState:
        table.add_row(str(state), str(states.get(state, 0)))
    flow = Table(*map(str, MILESTONES), title="reached in the last minute (latest stage only)")
    flow.add_row(*(str(moves.get(str(m), 0)) for m in MILESTONES))
    totals = Text(f"articles: {articles['articles']} ({articles['canonical']} canonical), "
                  f"occurrences: {articles['occurrences']}")
    return Group(table, flow, totals)


def watch_status(settings: Settings, console: Console, interval: float = 2.0,
                 frames: int | None = None) -> None:
    """Redraw the snapshot every ``interval`` seconds until Ctrl-C (or ``frames`` frames)."""
    shown = 0
    with Live(snapshot(settings), console=console, auto_refresh=False) as live:
        try:
            while frames is None or (shown := shown + 1) < frames:
                time.sleep(interval)
                live.update(snapshot(settings), refresh=True)
        except KeyboardInterrupt:
            pass
