"""PostgreSQL going away under load, with a scratch server this test owns and stops."""

from __future__ import annotations

import os
import time

from migrations import upgrade_head
from tests import services
from tests.conftest import Stack
from tests.faults.conftest import watcher
from tests.faults.corpus import article_count, wait_until_idle, write_stories
from workers.embedded import EmbeddedPostgres


def test_postgres_stopped_and_restarted_under_load_loses_nothing(redis_base, tmp_path):
    # Given the stack on a PostgreSQL this test owns, working through 40 stories
    server = EmbeddedPostgres(tmp_path / "pg")
    url = server.start()
    upgrade_head(url)
    with services.scratch_redis_db(redis_base) as redis_url:
        stack = Stack(url, redis_url, tmp_path)
        stack.inbox.mkdir()
        stack.env = os.environ | {
            "NEWSFLOW_DATABASE_URL": url, "NEWSFLOW_REDIS_URL": redis_url,
            "NEWSFLOW_DATA_DIR": str(tmp_path / "data"), "NEWSFLOW_STABILITY_SECONDS": "0.3",
            "NEWSFLOW_LEASE_SECONDS": "5", "NEWSFLOW_RECONCILE_INTERVAL": "1"}
        try:
            with stack.worker(concurrency=2), watcher(stack):
                write_stories(stack.inbox, 20)
                time.sleep(2)
                # When PostgreSQL stops for 15 seconds while files keep arriving
                server.stop()
                write_stories(stack.inbox, 20, start=20)
                time.sleep(15)
                server.resume()
                # Then workers and watcher back off, resume, and finish everything
                result = wait_until_idle(stack, 40, timeout=400)
            articles = article_count(stack)
        finally:
            services.get_engine_dispose(url)
            server.stop()
    assert result["lost"] == 0 and result["unfinished"] == 0 and result["doubled"] == 0
    assert result["stored"] == 40 and result["failed"] == 0
    assert articles == 40
