"""PostgreSQL going away under load, with a scratch server this test owns and stops."""

from __future__ import annotations

import os
import time

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from migrations import upgrade_head
from models.articles import band_hits
from models.db import get_engine
from tasks.pipeline import TRANSIENT_ERRORS
from tests.conftest import Stack
from tests.faults.conftest import watcher
from tests.faults.corpus import article_count, wait_until_idle, write_stories
from workers import scratch as services
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


def test_a_connection_lost_during_the_candidate_look_up_is_a_transient_error(stack):
    # Given a session in the middle of a transaction, whose server process is then killed
    session = Session(get_engine(stack.database_url))
    try:
        backend = session.execute(text("SELECT pg_backend_pid()")).scalar()
        with psycopg.connect(stack.database_url.replace("+psycopg", ""), autocommit=True) as admin:
            assert admin.execute("SELECT pg_terminate_backend(%s)", [backend]).fetchone()[0]
        # When dedupe's candidate look-up (a psycopg cursor of its own) runs on it
        with pytest.raises(TRANSIENT_ERRORS) as raised:
            band_hits(session, [(0, 12345)], per_bucket=8)
        # Then it fails as a transient database error the tasks retry, the connection dropped
        assert raised.value.connection_invalidated
    finally:
        session.close()
    # And the pool hands out working connections afterwards
    with Session(get_engine(stack.database_url)) as fresh:
        assert fresh.execute(text("SELECT 1")).scalar() == 1
