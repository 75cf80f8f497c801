"""``newsflow up``: the whole stack in one terminal, the embedded servers when none is configured.

Children are the same commands a production deployment runs separately (``newsflow worker``,
``newsflow watch``, ``celery flower``); this module only starts them with the right URLs and
stops them in order on Ctrl-C: watcher first (no new work), then workers (warm shutdown
finishes running tasks), Flower, then Redis and PostgreSQL.
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
from workers.embedded import EmbeddedPostgres, EmbeddedRedis

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
console = Console(soft_wrap=True)  # long paths and URLs stay on one line, copy-pastable


def _newsflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "workers.cli", *args]


def _start_servers(settings: Settings, embedded: list) -> dict[str, str]:
    """URLs of the database and broker, starting embedded servers for those not configured."""
    urls = {"database_url": settings.database_url, "redis_url": settings.redis_url}
    if not urls["database_url"]:
        console.print("starting embedded PostgreSQL …")
        pg = EmbeddedPostgres(settings.data_dir / "postgres")
        embedded.append(pg)
        urls["database_url"] = pg.start()
    if not urls["redis_url"]:
        console.print("starting embedded Redis …")
        redis = EmbeddedRedis(settings.data_dir / "redis")
        embedded.append(redis)
        urls["redis_url"] = redis.start()
    return urls


def _children(settings: Settings, inbox: Path, env: dict) -> list[subprocess.Popen]:
    flower = [sys.executable, "-m", "celery", "-A", "tasks.app", "flower",
              f"--address={settings.flower_address}", f"--port={settings.flower_port}"]
    commands = [_newsflow("worker"), _newsflow("watch", str(inbox)), flower]
    return [subprocess.Popen(cmd, env=env, start_new_session=True) for cmd in commands]


def _stop(children: list[subprocess.Popen], embedded: list) -> None:
    watcher, worker, flower = children[1], children[0], children[2]
    for child in (watcher, worker, flower):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
        try:
            child.wait(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
    for server in reversed(embedded):
        server.stop()


def _announce(settings: Settings, urls: dict, inbox: Path, embedded: list) -> None:
    console.print(f"[bold green]newsflow is up[/bold green]\n  inbox:    {inbox.absolute()}"
                  f"\n  database: {urls['database_url']}\n  broker:   {urls['redis_url']}"
                  f"\n  Flower:   http://{settings.flower_address}:{settings.flower_port}")
    for server in embedded:
        if isinstance(server, EmbeddedPostgres):
            console.print(f"  query:    {server.psql_command()}")
    console.print("  status:   newsflow status    (in another terminal)\nCtrl-C stops everything.")


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


def run_stack(settings: Settings, inbox: Path, demo: bool) -> None:
    signal.signal(signal.SIGTERM, _interrupt)
    embedded: list = []
    children: list[subprocess.Popen] = []
    try:
        urls = _start_servers(settings, embedded)
        if embedded:
            settings.stack_file.write_text(json.dumps(urls))
        upgrade_head(urls["database_url"])
        env = os.environ | {"NEWSFLOW_DATABASE_URL": urls["database_url"],
                            "NEWSFLOW_REDIS_URL": urls["redis_url"]}
        inbox.mkdir(parents=True, exist_ok=True)
        children = _children(settings, inbox, env)
        _announce(settings, urls, inbox, embedded)
        _wait_for_port(settings.flower_port)  # so Flower sees the demo's tasks from the start
        if demo:
            for seed in sorted(SEEDS.glob("*.txt")):
                shutil.copy(seed, inbox / seed.name)
            console.print(f"copied {len(list(SEEDS.glob('*.txt')))} sample pages into {inbox}")
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        console.print("[red]a component exited; stopping[/red]")
    except KeyboardInterrupt:
        console.print("stopping …")
    finally:
        _stop(children, embedded) if children else [s.stop() for s in reversed(embedded)]
        settings.stack_file.unlink(missing_ok=True)
