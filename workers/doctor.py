"""``newsflow doctor``: each part of a deployment checked, with an OK or the fix."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable

from rich.console import Console
from sqlalchemy import text

from models.db import get_engine
from tasks.settings import Settings
from workers.credentials import masked
from workers.errors import explain

Check = tuple[str, Callable[[], str]]  # (what, a function returning what it found, or raising)


class Problem(Exception):
    """A check that found something wrong: the message says the fix."""


def _database(settings: Settings) -> str:
    url = settings.require_database_url()
    with get_engine(url).connect() as connection:
        version = connection.execute(text("SHOW server_version")).scalar()
    return f"{masked(url)} (PostgreSQL {version})"


def _migrations(settings: Settings) -> str:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from migrations import alembic_config

    with get_engine(settings.require_database_url()).connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = ScriptDirectory.from_config(alembic_config(settings.require_database_url())).get_current_head()
    if current != head:
        raise Problem(f"the database is at {current or 'no migration'}, the code at {head}: "
                      "run `newsflow migrate`")
    return f"at {head}"


def _broker(settings: Settings) -> str:
    import redis

    url = settings.require_redis_url()
    redis.Redis.from_url(url, socket_timeout=3).ping()
    return masked(url)


def _workers(settings: Settings) -> str:
    from tasks.app import Queue, app

    replies = app.control.inspect(timeout=2).active_queues() or {}
    consumed = {queue["name"] for queues in replies.values() for queue in queues}
    if not replies:
        raise Problem("no worker answers: start `newsflow worker` (or `newsflow up`)")
    if missing := [str(q) for q in Queue if str(q) not in consumed]:
        raise Problem(f"no worker consumes {', '.join(missing)}: start a worker on those queues")
    return f"{len(replies)} worker(s) on every stage queue"


def _flower(settings: Settings) -> str:
    base = f"http://{settings.flower_address}:{settings.flower_port}"
    try:
        urllib.request.urlopen(f"{base}/metrics", timeout=3)
    except urllib.error.HTTPError as error:
        if error.code == 401:
            return f"{base} (asks for a password)"
        raise
    except OSError as error:
        raise Problem(f"{base} does not answer ({error}): start Flower (`newsflow up` does)") from None
    raise Problem(f"{base}/metrics answers without a password: run Flower with `python -m "
                  "workers.flower` and FLOWER_BASIC_AUTH")


def checks(settings: Settings) -> list[Check]:
    return [("database", lambda: _database(settings)), ("migrations", lambda: _migrations(settings)),
            ("broker", lambda: _broker(settings)), ("workers", lambda: _workers(settings)),
            ("Flower", lambda: _flower(settings))]


def run_checks(settings: Settings, console: Console) -> bool:
    """Print each check's result; True when all passed."""
    passed = True
    for name, check in checks(settings):
        try:
            console.print(f"[green]OK[/green]    {name}: {check()}")
        except Exception as error:  # noqa: BLE001 (each failure is reported, the rest still run)
            passed = False
            said = error if isinstance(error, Problem) else explain(error)
            console.print(f"[red]FAIL[/red]  {name}: {said}")
    return passed
