"""Scratch services and the real newsflow processes for one pipeline run.

Each run gets its own scratch database and Redis db number (``workers.scratch``), an empty
inbox, ``newsflow worker --concurrency N`` and ``newsflow watch INBOX`` as subprocesses with
the same ``NEWSFLOW_*`` environment the integration tests give them, and a sampler of the
worker processes' resident memory.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import defaultdict
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import psycopg
import redis

from migrations import upgrade_head
from models.db import get_engine
from workers import scratch as services

FINAL = ("stored", "duplicate", "quarantined", "failed")
TASK_LINE = re.compile(r"Task (newsflow\.\w+)\[[^\]]+\] succeeded in ([0-9.eE+-]+)s")


@dataclass
class Stack:
    """One run's services, folders and processes."""

    database_url: str
    root: Path
    env: dict
    worker: object = None  # the ``newsflow worker`` Popen
    watcher: object = None  # the ``newsflow watch`` Popen
    rss: RssSampler | None = None

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def worker_log(self) -> Path:
        return self.root / "worker.log"

    def query(self, sql: str, *params) -> list[tuple]:
        with psycopg.connect(self.database_url.replace("+psycopg", ""), autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds used so far, by part: the pool processes that run the tasks, the
        Celery main process (broker, events, pool bookkeeping), the watcher, this database's
        PostgreSQL backends and the Redis server (all of it: the run has it to itself)."""
        pool = psutil.Process(self.worker.pid).children(recursive=True)
        info = redis.Redis.from_url(self.env["NEWSFLOW_REDIS_URL"]).info("cpu")
        return {"pool": _cpu([p.pid for p in pool]), "worker_main": _cpu([self.worker.pid]),
                "watcher": _cpu([self.watcher.pid]), "postgres": backend_cpu(self.database_url),
                "redis": info["used_cpu_user"] + info["used_cpu_sys"]}


def backend_cpu(database_url: str) -> float:
    """CPU seconds of the PostgreSQL backends connected to this database (but the asking one)."""
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        pids = [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid()")]
    return _cpu(pids)


def _cpu(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.Error:
            continue  # gone since it was listed
    return total


@dataclass
class RssSampler:
    """Peak RSS of a process and each of its children, sampled on a thread; and the largest
    child's RSS over time (one point every ``timeline_every`` seconds), to show it is flat."""

    pid: int
    interval: float = 0.25
    timeline_every: float = 5.0
    peaks: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    timeline: list[tuple[float, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)

    def start(self) -> RssSampler:
        threading.Thread(target=self._loop, daemon=True).start()
        return self

    def _loop(self) -> None:
        started = next_point = time.monotonic()
        while not self._stop.wait(self.interval):
            try:
                parent = psutil.Process(self.pid)
                children = [(c.pid, c.memory_info().rss) for c in parent.children(recursive=True)]
                for pid, rss in [(parent.pid, parent.memory_info().rss), *children]:
                    self.peaks[pid] = max(self.peaks[pid], rss)
            except psutil.Error:
                continue  # a child that exited between listing and reading
            if children and time.monotonic() >= next_point:
                self.timeline.append((round(time.monotonic() - started, 1),
                                      round(max(rss for _, rss in children) / 2**20, 1)))
                next_point += self.timeline_every

    def stop(self) -> dict:
        """Peak RSS in MB: the main worker process, and each child (the task runners)."""
        self._stop.set()
        peaks = {pid: rss / 2**20 for pid, rss in self.peaks.items()}
        children = {pid: mb for pid, mb in peaks.items() if pid != self.pid}
        return {"main_mb": peaks.get(self.pid), "children_mb": sorted(children.values()),
                "max_child_mb": max(children.values(), default=None),
                "child_mb_over_time": self.timeline}


def worker_children(pid: int) -> list[int]:
    """Pids of the prefork pool's processes, the ones that run the tasks."""
    return [child.pid for child in psutil.Process(pid).children(recursive=True)]


@contextmanager
def scratch_services(root: Path, stability: float):
    """A migrated scratch database and an empty Redis db; dropped and flushed afterwards."""
    with services.postgres_admin_url(root) as admin, services.scratch_database(admin) as db_url, \
            services.redis_base_url(root) as redis_base, services.scratch_redis_db(redis_base) as redis_url:
        upgrade_head(db_url)
        (root / "inbox").mkdir(parents=True, exist_ok=True)
        env = os.environ | {
            "NEWSFLOW_DATABASE_URL": db_url,
            "NEWSFLOW_REDIS_URL": redis_url,
            "NEWSFLOW_DATA_DIR": str(root / "data"),
            "NEWSFLOW_INBOX": str(root / "inbox"),
            "NEWSFLOW_STABILITY_SECONDS": str(stability),
        }
        try:
            yield Stack(db_url, root, env)
        finally:
            get_engine(db_url).dispose()


@contextmanager
def running_stack(root: Path, workers: int, stability: float):
    """Services, a worker with ``workers`` processes and the watcher, all ready."""
    with ExitStack() as stack:
        run = stack.enter_context(scratch_services(root, stability))
        argv = services.newsflow("worker", f"--concurrency={workers}", "--loglevel=INFO")
        run.worker = stack.enter_context(
            services.running(argv, run.env, run.worker_log, ready="ready.", timeout=120))
        watch = services.newsflow("watch", str(run.inbox))
        run.watcher = stack.enter_context(
            services.running(watch, run.env, root / "watcher.log", ready="watching"))
        run.rss = RssSampler(run.worker.pid).start()
        yield run


def drop(inbox: Path, name: str, data: bytes) -> float:
    """Write a page as a producer should (temporary name, then rename); the drop's time."""
    temporary = inbox / f".{name}.part"
    temporary.write_bytes(data)
    os.replace(temporary, inbox / name)
    return time.time()


def task_runtimes(log: Path) -> dict[str, dict]:
    """Sum and count of Celery's "Task newsflow.X[...] succeeded in Ns" lines per task."""
    totals: dict[str, list[float]] = defaultdict(list)
    for match in TASK_LINE.finditer(log.read_text(errors="replace")):
        totals[match.group(1)].append(float(match.group(2)))
    return {name: {"count": len(v), "seconds": sum(v), "mean_ms": 1e3 * sum(v) / len(v)}
            for name, v in sorted(totals.items())}
