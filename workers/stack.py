"""``newsflow up``: the whole stack in one terminal, the embedded servers when none is configured.

Children are the same commands a production deployment runs separately (``newsflow worker``,
``newsflow watch``, Flower); this module starts them with the right URLs, their output going to
``DATA_DIR/logs/<name>.log`` (``--verbose`` streams it here instead), shows the live view
(``workers.live_view``), and stops them in order on Ctrl-C: watcher first (no new work), then
workers (warm shutdown finishes running tasks), Flower, then Redis and PostgreSQL.

Secure by default: the embedded Redis asks for a generated password, Flower for basic auth
(its generated password is printed once, when it is made, and kept in
``DATA_DIR/credentials.json``, mode 0600); URLs are shown with their passwords masked, and
``stack.json``, which a second terminal reads the URLs from, is private to its owner.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console

from migrations import upgrade_head
from tasks.settings import Settings
from workers.credentials import Credentials, load_or_create, masked, private_dir, write_private
from workers.embedded import EmbeddedPostgres, EmbeddedRedis
from workers.live_view import run_view

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# The samples print no date; the demo files them under one, so that date filters have data.
DEMO_DATE = "2022-10-13"
CHILDREN = ("worker", "watcher", "flower")
console = Console(soft_wrap=True)  # long paths and URLs stay on one line, copy-pastable


def _newsflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "workers.cli", *args]


def _start_servers(settings: Settings, credentials: Credentials, embedded: list) -> dict[str, str]:
    """URLs of the database and broker, starting embedded servers for those not configured."""
    urls = {"database_url": settings.database_url, "redis_url": settings.redis_url}
    if not urls["database_url"]:
        console.print("starting embedded PostgreSQL …")
        pg = EmbeddedPostgres(settings.data_dir / "postgres")
        embedded.append(pg)
        urls["database_url"] = pg.start()
    if not urls["redis_url"]:
        console.print("starting embedded Redis …")
        redis = EmbeddedRedis(settings.data_dir / "redis", password=credentials.redis_password)
        embedded.append(redis)
        urls["redis_url"] = redis.start()
    return urls


def _children(settings: Settings, inbox: Path, env: dict, logs: Path | None) -> list[subprocess.Popen]:
    """Worker, watcher and Flower, each writing to its log file (or to this terminal)."""
    flower = [sys.executable, "-m", "workers.flower", f"--address={settings.flower_address}",
              f"--port={settings.flower_port}"]
    commands = [_newsflow("worker"), _newsflow("watch", str(inbox), "--no-view"), flower]
    started = []
    for name, command in zip(CHILDREN, commands, strict=True):
        out = open(logs / f"{name}.log", "ab") if logs else None  # noqa: SIM115 (the child owns it)
        started.append(subprocess.Popen(command, env=env, start_new_session=True, stdout=out,
                                        stderr=subprocess.STDOUT if out else None))
        if out:
            out.close()
    return started


def _stop(children: list[subprocess.Popen], embedded: list) -> None:
    worker, watcher, flower = children
    for child in (watcher, worker, flower):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
    for server in reversed(embedded):
        server.stop()


def _header(settings: Settings, urls: dict, inbox: Path, embedded: list, logs: Path | None
            ) -> list[tuple[str, str]]:
    """What the user keeps on screen: where to drop files, to look and to query."""
    rows = [("inbox", str(inbox.absolute())), ("database", masked(urls["database_url"])),
            ("broker", masked(urls["redis_url"])),
            ("Flower", f"http://{settings.flower_address}:{settings.flower_port}  (user newsflow, "
                       f"password in {settings.data_dir / 'credentials.json'})")]
    rows += [("query", server.psql_command()) for server in embedded
             if isinstance(server, EmbeddedPostgres)]
    if logs:
        rows.append(("logs", str(logs)))
    return rows


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM (a service manager's stop) shuts down like Ctrl-C


def _copy_samples(inbox: Path) -> None:
    folder = inbox / DEMO_DATE
    folder.mkdir(parents=True, exist_ok=True)
    samples = sorted(SEEDS.glob("*.txt"))
    for seed in samples:
        shutil.copy(seed, folder / seed.name)
    console.print(f"copied {len(samples)} sample pages into {folder}")


def _announce(header: list[tuple[str, str]], credentials: Credentials, new: bool) -> None:
    console.print("[bold green]newsflow is up[/bold green]")
    for label, value in header:
        console.print(f"  {label + ':':<10}{value}")
    if new:  # shown once, when generated; afterwards it is only in the credentials file
        console.print(f"  Flower password (generated, shown once): {credentials.flower_password}")
    console.print("Ctrl-C stops everything.")


def run_stack(settings: Settings, inbox: Path, demo: bool, verbose: bool = False) -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    embedded: list = []
    children: list[subprocess.Popen] = []
    private_dir(settings.data_dir)
    credentials, new = load_or_create(settings.data_dir)
    logs = None if verbose else private_dir(settings.data_dir / "logs")
    try:
        urls = _start_servers(settings, credentials, embedded)
        if embedded:
            write_private(settings.stack_file, json.dumps(urls))
        upgrade_head(urls["database_url"])
        env = os.environ | {"NEWSFLOW_DATABASE_URL": urls["database_url"],
                            "NEWSFLOW_REDIS_URL": urls["redis_url"],
                            "NEWSFLOW_INBOX": str(inbox.absolute()),
                            "FLOWER_BASIC_AUTH": credentials.flower_basic_auth}
        inbox.mkdir(parents=True, exist_ok=True)
        children = _children(settings, inbox, env, logs)
        header = _header(settings, urls, inbox, embedded, logs)
        _announce(header, credentials, new)
        _wait_for_port(settings.flower_port)  # so Flower sees the demo's tasks from the start
        if demo:
            _copy_samples(inbox)
        def alive() -> bool:
            return all(child.poll() is None for child in children)

        if console.is_terminal and not verbose:
            run_view(urls["database_url"], header, alive, console)
        while alive():
            time.sleep(0.5)
        console.print("[red]a component exited; stopping (see its log)[/red]")
    except KeyboardInterrupt:
        console.print("stopping …")
    finally:
        _stop(children, embedded) if children else [s.stop() for s in reversed(embedded)]
        settings.stack_file.unlink(missing_ok=True)
