"""Recovery in about a minute: a dead worker group or a flushed broker, and the reconciler's
liveness check (messages queued or held by live workers) instead of an eleven-minute lease.

Run with the default reconciler settings (STALE_SECONDS 30, RECONCILE_INTERVAL 15); each test
prints the seconds until every file was final and asserts a generous bound.
"""

from __future__ import annotations

import signal
import time

import psutil
import redis

from tests.faults.conftest import watcher
from tests.faults.corpus import article_count, wait_until_idle, write_stories

BOUND = 120  # seconds; the target is 90, the benchmark and the note give the measured figure


def _final(stack) -> int:
    return stack.sql("SELECT count(*) FROM source_files WHERE status IN "
                     "('stored', 'duplicate', 'quarantined', 'failed')")[0][0]


FILES = 40


def _recovered(stack, since: float, what: str) -> None:
    """Wait (with a worker running) until every file is final; print the seconds it took
    since ``since``, and check the bound and that nothing was lost or doubled."""
    while _final(stack) < FILES and time.monotonic() - since < BOUND + 60:
        time.sleep(0.5)
    seconds = time.monotonic() - since
    result = wait_until_idle(stack, FILES, timeout=60)
    print(f"all final {seconds:.1f} s after the {what}")
    assert seconds < BOUND and result["lost"] == 0 and result["doubled"] == 0
    assert article_count(stack) == result["stored"] == FILES


def test_after_kill_9_of_the_worker_group_a_new_worker_finishes_every_file_within_a_minute_or_so(stack):
    # Given a worker busy with 40 stories
    with watcher(stack):
        with stack.worker(concurrency=2) as worker:
            write_stories(stack.inbox, FILES)
            deadline = time.monotonic() + 60
            while _final(stack) < 5 and time.monotonic() < deadline:
                time.sleep(0.1)
            # When the whole group is killed with SIGKILL mid-run
            for process in [*psutil.Process(worker.pid).children(recursive=True),
                            psutil.Process(worker.pid)]:
                process.send_signal(signal.SIGKILL)
        # And a new worker starts
        restarted = time.monotonic()
        # Then every file is final within the bound, nothing lost or doubled
        with stack.worker(concurrency=2):
            _recovered(stack, restarted, "restart")


def test_after_the_broker_loses_its_queues_every_file_is_final_within_a_minute_or_so(stack):
    # Given 40 stories registered and queued, with no worker running yet
    with watcher(stack):
        write_stories(stack.inbox, FILES)
        deadline = time.monotonic() + 60
        while stack.sql("SELECT count(*) FROM source_files")[0][0] < FILES and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)
        # When Redis loses everything
        redis.Redis.from_url(stack.redis_url).flushdb()
        flushed = time.monotonic()
        # Then the reconciler refills the queue: every file final within the bound
        with stack.worker(concurrency=2):
            _recovered(stack, flushed, "flush")
