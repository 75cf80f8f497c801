"""The five pipeline steps called in this process against a scratch database: no broker.

    .venv/bin/python -m benchmarks.steps [--pages N]

Where the pipeline's time goes besides the stages: each file's steps run in batches of
``NEWSFLOW_BATCH_FILES`` files, stage after stage, one transaction per batch (as the tasks run
them), so the difference between a step's CPU and the stage floor's is its database work
and bookkeeping. Prints, per step, wall and CPU ms per file; the scratch database's
PostgreSQL backend CPU per file; and the statements by their total time as the client saw it
(SQLAlchemy cursor events: dedupe's candidate look-up, ``models.articles.band_hits``, runs
through psycopg directly and is not among them). Nothing is written to ``results/``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event, text

from benchmarks.corpus import build_corpus
from benchmarks.floors import stage_floor
from benchmarks.stack import backend_cpu
from migrations import upgrade_head
from models.db import get_engine, shared_connection
from tasks.settings import get_settings  # read (and cached) once NEWSFLOW_DATABASE_URL is set
from workers import scratch as services

TOP_STATEMENTS = 15


class StatementClock:
    """Client-side seconds and executions per statement (its first 70 characters)."""

    def __init__(self, engine) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info["newsflow_bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        key = " ".join(statement.split())[:70]
        self.seconds[key] += time.perf_counter() - conn.info.pop("newsflow_bench_started")
        self.calls[key] += 1


def run_steps(url: str, paths: list[Path]) -> tuple[dict, dict, float, StatementClock, list]:
    """Register the files, then run every step; (wall s, CPU s) per step, backend CPU s,
    the statement clock and dedupe's wall seconds in each quarter of the files."""
    from intake.register import register_lot
    from tasks import steps

    settings = get_settings()
    ids = [intake.file_id for _, intake in register_lot(paths, url).intakes]
    clock = StatementClock(get_engine(url))
    wall, cpu, dedupe_quarters = defaultdict(float), defaultdict(float), [0.0] * 4
    backends = backend_cpu(url)
    with shared_connection(url) as session:
        for start in range(0, len(ids), settings.batch_files):
            for step in steps.IN_ORDER:
                started, used = time.perf_counter(), time.process_time()
                with session.begin():
                    step(session, ids[start:start + settings.batch_files], settings)
                session.expunge_all()
                elapsed = time.perf_counter() - started
                wall[step.__name__] += elapsed
                cpu[step.__name__] += time.process_time() - used
                if step is steps.dedupe_files:
                    dedupe_quarters[start * 4 // len(ids)] += elapsed
    return wall, cpu, backend_cpu(url) - backends, clock, dedupe_quarters


def near_duplicate_links(url: str) -> tuple[int, int]:
    """(articles, articles linked to another as its near-duplicate) in the database."""
    with get_engine(url).connect() as conn:
        return tuple(conn.execute(text("SELECT count(*), count(duplicate_of) FROM articles")).one())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args(argv)
    corpus = build_corpus(args.pages)
    floor = stage_floor([(page.name, page.data) for page in corpus])
    with tempfile.TemporaryDirectory() as tmp, services.postgres_admin_url(Path(tmp)) as admin, \
            services.scratch_database(admin) as url:
        os.environ["NEWSFLOW_DATABASE_URL"] = url
        upgrade_head(url)
        inbox = Path(tmp) / "inbox"
        inbox.mkdir()
        for page in corpus:
            (inbox / page.name).write_bytes(page.data)
        wall, cpu, backends, clock, quarters = run_steps(url, [inbox / page.name for page in corpus])
        links = near_duplicate_links(url)
    per_file = 1e3 / args.pages
    print(f"{args.pages} pages; stage floor {floor['seconds'] * per_file:.1f} ms per file")
    print("| step | wall ms/file | CPU ms/file |\n|---|---|---|")
    for name in wall:
        print(f"| {name} | {wall[name] * per_file:.1f} | {cpu[name] * per_file:.1f} |")
    print(f"| all | {sum(wall.values()) * per_file:.1f} | {sum(cpu.values()) * per_file:.1f} |")
    print(f"PostgreSQL backends: {backends * per_file:.1f} ms CPU per file")
    print("dedupe wall ms/file by quarter of the files: "
          + ", ".join(f"{seconds * per_file * 4:.2f}" for seconds in quarters)
          + f" (newest {get_settings().dedup_bucket_candidates} per bucket;"
          f" {links[0]:,} articles, {links[1]:,} near-duplicates)")
    print("statements by client-side time (ms per file, executions):")
    for key, seconds in sorted(clock.seconds.items(), key=lambda kv: -kv[1])[:TOP_STATEMENTS]:
        print(f"  {seconds * per_file:6.2f} {clock.calls[key]:6d}  {key}")


if __name__ == "__main__":
    main()
