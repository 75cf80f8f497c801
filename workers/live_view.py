"""The terminal of ``newsflow up`` and ``newsflow watch``: where things are, and what happened.

One compact frame, redrawn every second: the lines a user needs to keep (inbox, database, Flower,
the psql command), files by state, and the last files to finish with their outcome. The
processes' own logs go to files (``DATA_DIR/logs``) instead of scrolling this away.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rich.console import Console, Group
from rich.live import Live
from rich.table import Table
from rich.text import Text

from models.articles import article_counts
from models.db import transaction
from models.ledger import status_counts
from models.outcomes import latest_outcomes
from models.tables import LedgerState

RECENT = 8
_STYLES = {"stored": "green", "duplicate": "cyan", "quarantined": "yellow", "failed": "red"}


def frame(database_url: str, header: list[tuple[str, str]]) -> Group:
    """One frame of the view: the header, the counts and the latest outcomes."""
    with transaction(database_url) as session:
        states, articles = status_counts(session), article_counts(session)
        recent = latest_outcomes(session, RECENT)
    top = Table.grid(padding=(0, 2))
    for label, value in header:
        top.add_row(Text(label, style="bold"), Text(value))
    counts = Text("files: " + ", ".join(f"{states.get(s, 0)} {s}" for s in LedgerState)
                  + f"  |  articles: {articles['articles']} ({articles['canonical']} canonical)")
    latest = Table("file", "outcome", box=None, title="latest files", title_justify="left")
    for outcome in recent:
        latest.add_row(outcome.name, Text(outcome.describe(), style=_STYLES.get(outcome.status, "")))
    return Group(top, Text(""), counts, latest)


def run_view(database_url: str, header: list[tuple[str, str]], keep_going: Callable[[], bool],
             console: Console, interval: float = 1.0) -> None:
    """Redraw the view until ``keep_going`` says no (or Ctrl-C, which propagates)."""
    with Live(frame(database_url, header), console=console, auto_refresh=False) as live:
        while keep_going():
            time.sleep(interval)
            try:
                live.update(frame(database_url, header), refresh=True)
            except Exception as error:  # noqa: BLE001 (the database restarting: keep the last frame)
                live.console.log(f"view not updated: {error}")
