"""Archives in one file: JSON Lines of thousands of pre-split articles, on the lock settings of
the PostgreSQL the tests run against (by default ``max_locks_per_transaction`` 64), with two
worker processes. Every article is stored or linked exactly once, every file ends ``stored``,
and a worker group killed half-way through a large archive resumes where it stopped."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import psutil
import pytest

from tests.faults.conftest import watcher
from tests.faults.corpus import story, wait_until_idle

# Every tenth line of an archive reprints the story seven lines above it: linked to that
# story's article, never a new one.
REPRINT_EVERY, REPRINT_OF = 10, 7


def write_archive(path: Path, count: int, first: int = 0) -> int:
    """``count`` pre-split articles from story ``first`` on, written whole and then renamed
    into place; how many distinct stories it holds."""
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for n in range(first, first + count):
            reprint = (n - first) % REPRINT_EVERY == REPRINT_EVERY - 1
            out.write(json.dumps(story(n - REPRINT_OF if reprint else n), ensure_ascii=False) + "\n")
    tmp.rename(path)
    return count - count // REPRINT_EVERY


def counts(stack) -> dict:
    """What the database holds: files by state, items linked, articles, occurrences."""
    [(items, linked, occurrences)] = stack.sql(
        "SELECT count(*), count(article_id), (SELECT count(*) FROM article_occurrences) "
        "FROM file_items")
    return {"states": dict(stack.sql("SELECT status, count(*) FROM source_files GROUP BY 1")),
            "errors": stack.sql("SELECT error_code FROM source_files WHERE error_code IS NOT NULL"),
            "items": items, "linked": linked, "occurrences": occurrences,
            "articles": stack.sql("SELECT count(*) FROM articles")[0][0],
            "near_duplicates": stack.sql(
                "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")[0][0]}


def expected(files: int, items: int, distinct: int) -> dict:
    return {"states": {"stored": files}, "errors": [], "items": items, "linked": items,
            "occurrences": items, "articles": distinct, "near_duplicates": 0}


def _kill_group(worker) -> None:
    for process in [*psutil.Process(worker.pid).children(recursive=True), psutil.Process(worker.pid)]:
        process.send_signal(signal.SIGKILL)


def test_eight_archives_of_a_thousand_articles_dropped_together_are_stored_whole(faulty):
    print("max_locks_per_transaction", faulty.sql("SHOW max_locks_per_transaction")[0][0])
    # Given two worker processes watching the inbox
    with watcher(faulty), faulty.worker(concurrency=2):
        # When eight archives of 1,000 articles each land together
        distinct = sum(write_archive(faulty.inbox / f"day{n}.jsonl", 1000, first=n * 1000)
                       for n in range(8))
        wait_until_idle(faulty, 8, timeout=900)
    # Then every file is stored and every article stored or linked exactly once
    assert counts(faulty) == expected(8, 8000, distinct)
    assert "out of shared memory" not in (faulty.root / "worker.log").read_text()


@pytest.mark.timeout(1800)  # 20,000 articles through one process at a time: minutes
def test_a_20000_article_archive_killed_half_way_resumes_to_the_same_counts(faulty):
    print("max_locks_per_transaction", faulty.sql("SHOW max_locks_per_transaction")[0][0])
    with watcher(faulty):
        # Given a worker group half-way through an archive of 20,000 articles
        with faulty.worker(concurrency=2) as worker:
            distinct = write_archive(faulty.inbox / "month.jsonl", 20_000)
            assert faulty.wait_until(
                "SELECT count(article_id) >= 5000 FROM file_items", True, timeout=900)
            # When the whole group is killed with SIGKILL
            _kill_group(worker)
        linked_at_kill = counts(faulty)["linked"]
        # And a new one starts
        with faulty.worker(concurrency=2):
            wait_until_idle(faulty, 1, timeout=1200)
    print(f"killed with {linked_at_kill} of 20,000 items linked")
    # Then the archive is stored whole: no article doubled, none skipped
    assert linked_at_kill < 20_000
    assert counts(faulty) == expected(1, 20_000, distinct)


def test_an_archive_ingested_with_wait_shows_progress_in_articles(stack):
    # Given two worker processes, and an archive of 2,000 articles outside the inbox
    archive = stack.root / "archive" / "day.jsonl"
    archive.parent.mkdir()
    distinct = write_archive(archive, 2000)
    with stack.worker(concurrency=2):
        # When it is ingested with --wait
        result = stack.ingest(archive, wait=500)
    # Then the progress counted its articles, and it is stored whole
    assert result.returncode == 0, result.stdout + result.stderr
    # (progress is on stderr; without a terminal, its last count in words)
    assert "articles 2000/2000" in result.stderr, result.stderr
    assert counts(stack) == expected(1, 2000, distinct)
