"""A message with more work than its task's time limit allows: nothing fails, nothing is lost."""

from __future__ import annotations

from tests.faults.corpus import article_count, wait_until_idle, write_stories

FILES = 400


def test_a_batch_longer_than_the_soft_time_limit_is_split_and_every_file_stored(faulty):
    # Given 400 stories sent as one message, to tasks allowed 3 s before the soft time limit
    # (normalizing 400 files takes longer than that; a chunk of files started before half
    # the limit has the other half to finish, ample even on a busy machine)
    faulty.env |= {"NEWSFLOW_BATCH_FILES": str(FILES), "NEWSFLOW_TASK_SOFT_TIME_LIMIT": "3",
                   "NEWSFLOW_TASK_TIME_LIMIT": "30"}
    write_stories(faulty.inbox, FILES)
    with faulty.worker(concurrency=2):
        faulty.ingest(faulty.inbox, wait=600)
        result = wait_until_idle(faulty, FILES, timeout=600)
    # Then every story is stored once, and nothing is left on the queues
    assert result["stored"] == FILES == article_count(faulty)
    assert result["lost"] == result["doubled"] == result["queued_messages"] == 0
    # And the long messages gave their remaining files back to the queue instead of
    # running into the time limits
    log = (faulty.root / "worker.log").read_text(errors="replace")
    assert "back on the queue (time budget)" in log
    assert "Soft time limit" not in log and "Hard time limit" not in log
