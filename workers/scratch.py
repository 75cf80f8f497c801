"""Real PostgreSQL and Redis for the tests, each run in its own scratch database and db number.

Which servers: ``NEWSFLOW_TEST_DATABASE_URL`` / ``NEWSFLOW_TEST_REDIS_URL`` when set, else
the ones on 127.0.0.1 when they answer, else embedded ones this module starts (the same
servers ``newsflow up`` uses). A server that cannot be had is an error, never a skip.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg
import redis

from workers.embedded import EmbeddedPostgres, EmbeddedRedis

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
LOCAL_REDIS = "redis://127.0.0.1:6379/0"


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@contextmanager
def postgres_admin_url(tmp: Path):
    """A URL of a maintenance database on a server where we may create databases."""
    if url := os.environ.get("NEWSFLOW_TEST_DATABASE_URL"):
        yield url
    elif _answers("127.0.0.1", 5432):
        yield LOCAL_POSTGRES
    else:
        server = EmbeddedPostgres(tmp / "postgres")
        server.start()
        try:
            yield server.server.get_uri()
        finally:
            server.stop()


@contextmanager
def scratch_database(admin_url: str):
    """A new empty database for this run, dropped afterwards."""
    name = f"newsflow_test_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield _with_database(admin_url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _with_database(url: str, name: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = name
    host = info.get("host", "")
    if host.startswith("/"):
        return f"postgresql://{info.get('user', 'postgres')}@/{name}?host={host}"
    port = info.get("port", 5432)
    return f"postgresql://{info.get('user', 'postgres')}@{host}:{port}/{name}"


@contextmanager
def redis_base_url(tmp: Path):
    if url := os.environ.get("NEWSFLOW_TEST_REDIS_URL"):
        yield url
    elif _answers("127.0.0.1", 6379):
        yield LOCAL_REDIS
    else:
        server = EmbeddedRedis(tmp / "redis", port=0)
        try:
            yield server.start()
        finally:
            server.stop()


@contextmanager
def scratch_redis_db(base_url: str):
    """An empty Redis db number claimed for this run (1–15), flushed afterwards.

    The claims are keys of db 0, not of the claimed db: a test that flushes its db (a broker
    losing its queues) must not free it for another run to take while it still uses it.
    """
    stem = base_url.rsplit("/", 1)[0] if base_url.count("/") > 2 else base_url
    registry = redis.Redis.from_url(f"{stem}/0")
    for number in range(15, 0, -1):
        claim = f"newsflow:test-run:{number}"
        if registry.set(claim, secrets.token_hex(4), nx=True, ex=7200):
            client = redis.Redis.from_url(f"{stem}/{number}")
            if client.dbsize() == 0:
                break
            registry.delete(claim)  # in use by something that is not a test run: leave it
    else:
        raise RuntimeError(f"no empty Redis db number on {stem} for a scratch run")
    try:
        yield f"{stem}/{number}"
    finally:
        client.flushdb()
        registry.delete(claim)


def newsflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "workers.cli", *args]


@contextmanager
def running(argv: list[str], env: dict, log: Path, ready: str | None = None, timeout: float = 60):
    """A child process for the duration of a block, stopped with SIGTERM afterwards."""
    with open(log, "wb") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        if ready:
            _wait_for_line(process, log, ready, timeout)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_line(process: subprocess.Popen, log: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = log.read_text(errors="replace")
        if text in content:
            return
        if process.poll() is not None:
            raise RuntimeError(f"{process.args} exited early:\n{content[-3000:]}")
        time.sleep(0.2)
    raise TimeoutError(f"{process.args} not ready in {timeout} s:\n{log.read_text()[-3000:]}")


def get_engine_dispose(url: str) -> None:
    """Close this process's pooled connections to ``url`` (before its server stops)."""
    from models.db import get_engine

    get_engine(url).dispose()
