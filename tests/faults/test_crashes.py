"""Crashes of workers and of the broker: every dropped file still ends in one final state.

Each test prints its figures: files dropped, per final state, lost, doubled.
"""

from __future__ import annotations

import signal
import time

import psutil
import redis

from tests.faults.conftest import watcher
from tests.faults.corpus import article_count, wait_until_idle, write_stories


def _children(process) -> list[psutil.Process]:
    return psutil.Process(process.pid).children(recursive=True)


def _stored(stack) -> int:
    return stack.sql("SELECT count(*) FROM source_files WHERE status = 'stored'")[0][0]


def _wait_for_stored(stack, count: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while _stored(stack) < count and time.monotonic() < deadline:
        time.sleep(0.1)


def _assert_nothing_lost_or_doubled(result: dict, stories: int, articles: int) -> None:
    assert result["lost"] == 0 and result["unfinished"] == 0
    assert result["doubled"] == 0 and result["queued_messages"] == 0
    assert result["stored"] == stories and result["failed"] == 0
    assert articles == stories


def test_kill_9_of_worker_children_mid_task_loses_nothing(faulty):
    # Given a worker and a watcher busy with 60 stories
    with faulty.worker(concurrency=2) as worker, watcher(faulty):
        write_stories(faulty.inbox, 60)
        # When worker children are killed with SIGKILL three times while tasks run
        for round_ in range(3):
            _wait_for_stored(faulty, 5 + 15 * round_)
            for child in _children(worker):
                child.send_signal(signal.SIGKILL)
        result = wait_until_idle(faulty, 60)
    # Then every story is stored exactly once
    _assert_nothing_lost_or_doubled(result, 60, article_count(faulty))


def test_kill_9_of_the_whole_worker_then_restart_loses_nothing(faulty):
    # Given a worker busy with 60 stories
    with watcher(faulty):
        with faulty.worker(concurrency=2) as worker:
            write_stories(faulty.inbox, 60)
            _wait_for_stored(faulty, 10)
            # When the whole worker (main process and children) is killed with SIGKILL
            for process in [*_children(worker), psutil.Process(worker.pid)]:
                process.send_signal(signal.SIGKILL)
            worker.wait()
        # And a new worker starts later
        with faulty.worker(concurrency=2):
            result = wait_until_idle(faulty, 60)
    # Then every story is stored exactly once
    _assert_nothing_lost_or_doubled(result, 60, article_count(faulty))


def test_sigterm_lets_running_tasks_finish(faulty):
    # Given a worker busy with 30 stories
    with watcher(faulty):
        with faulty.worker(concurrency=2) as worker:
            write_stories(faulty.inbox, 30)
            _wait_for_stored(faulty, 3)
            # When it gets SIGTERM (a deploy, a service manager stop)
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=120) == 0  # warm shutdown: finished, not killed
        # Then a new worker completes the rest, nothing lost or doubled
        with faulty.worker(concurrency=2):
            result = wait_until_idle(faulty, 30)
    _assert_nothing_lost_or_doubled(result, 30, article_count(faulty))


def test_redis_flushed_with_files_queued_loses_nothing(faulty):
    # Given 40 stories registered and queued while no worker runs
    with watcher(faulty):
        write_stories(faulty.inbox, 40)
        deadline = time.monotonic() + 60
        while faulty.sql("SELECT count(*) FROM source_files")[0][0] < 40:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        # When Redis loses every queued message (a restart without persistence)
        redis.Redis.from_url(faulty.redis_url).flushdb()
        # Then, once a worker runs, the reconciler re-enqueues them all
        with faulty.worker(concurrency=2):
            result = wait_until_idle(faulty, 40)
    _assert_nothing_lost_or_doubled(result, 40, article_count(faulty))
    assert faulty.sql("SELECT min(attempts) FROM source_files")[0][0] >= 1
