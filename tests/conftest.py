"""Fixtures for service-backed tests: a scratch database and Redis db per test, real workers."""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from intake.register import register_lot
from migrations import upgrade_head
from models.db import get_engine, transaction
from tasks.settings import Settings
from workers import scratch as services

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def postgres_admin(tmp_path_factory):
    with services.postgres_admin_url(tmp_path_factory.mktemp("pg")) as url:
        yield url


@pytest.fixture(scope="session")
def redis_base(tmp_path_factory):
    with services.redis_base_url(tmp_path_factory.mktemp("redis")) as url:
        yield url


@dataclass
class Stack:
    """One test's scratch services and folders, and how to run newsflow against them."""

    database_url: str
    redis_url: str
    root: Path
    env: dict = field(default_factory=dict)

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def settings(self) -> Settings:
        return Settings(database_url=self.database_url, redis_url=self.redis_url,
                        data_dir=self.root / "data", inbox=self.inbox)

    def sql(self, query: str, **params):
        with get_engine(self.database_url).connect() as conn:
            return conn.execute(text(query), params).all()

    def wait_until(self, query: str, expected, timeout: float = 120, **params):
        """Poll a one-value query until it equals ``expected``; return the last value."""
        deadline, value = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            value = self.sql(query, **params)[0][0]
            if value == expected:
                return value
            time.sleep(0.25)
        return value

    def register(self, path: Path) -> int:
        """Record ``path`` in the ledger as the watcher would (not enqueued): its file id."""
        [(_, intake)] = register_lot([path], self.database_url).intakes
        return intake.file_id

    def run_steps(self, file_id: int, steps) -> None:
        """Run pipeline steps (``tasks.steps`` functions) for one file in this process,
        each in its own transaction, as the tasks do; no broker."""
        for step in steps:
            with transaction(self.database_url) as session:
                step(session, [file_id], self.settings)

    def run(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess:
        """``newsflow ARGS`` against this stack, as a user runs it."""
        return subprocess.run(services.newsflow(*args), env=self.env, capture_output=True,
                              text=True, timeout=timeout)

    def ingest(self, *paths, wait: float = 180) -> subprocess.CompletedProcess:
        """``newsflow ingest PATHS --wait``: returns when every file is final (or ``wait``)."""
        args = ("ingest", *map(str, paths), "--wait", "--timeout", str(wait))
        return self.run(*args, timeout=wait + 60)

    def worker(self, concurrency: int = 2):
        argv = services.newsflow("worker", f"--concurrency={concurrency}", "--loglevel=INFO")
        return services.running(argv, self.env, self.root / "worker.log", ready="ready.")


@pytest.fixture
def stack(postgres_admin, redis_base, tmp_path):
    """Given a migrated scratch database and an empty Redis db: a Stack to run newsflow on."""
    with services.scratch_database(postgres_admin) as db_url, \
            services.scratch_redis_db(redis_base) as redis_url:
        upgrade_head(db_url)
        env = os.environ | {
            "NEWSFLOW_DATABASE_URL": db_url,
            "NEWSFLOW_REDIS_URL": redis_url,
            "NEWSFLOW_DATA_DIR": str(tmp_path / "data"),
            "NEWSFLOW_INBOX": str(tmp_path / "inbox"),
            "NEWSFLOW_STABILITY_SECONDS": "0.3",
        }
        (tmp_path / "inbox").mkdir()
        yield Stack(db_url, redis_url, tmp_path, env)
        get_engine(db_url).dispose()


@pytest.fixture
def unreadable(monkeypatch):
    """Make files of the given names unreadable to registration (a permission error when
    hashed): faked, since the tests run as root, which reads anything."""
    from intake import register as intake

    real_hash, names = intake.sha256_of, set()

    def sha256_of(path: Path) -> str:
        if path.name in names:
            raise PermissionError(13, "Permission denied", str(path))
        return real_hash(path)

    monkeypatch.setattr(intake, "sha256_of", sha256_of)
    return names
