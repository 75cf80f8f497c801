"""The pipeline on real PostgreSQL, Redis and Celery worker processes."""

from __future__ import annotations

import json
import re
import shutil

from tests.conftest import SEEDS
from tests.pdf_pages import PAGES, drawn_pdf
from workers.scratch import newsflow, running

FINAL = "SELECT count(*) FROM source_files WHERE status IN ('stored','duplicate','quarantined','failed')"


def test_pages_dropped_into_the_watched_inbox_become_stored_articles(stack):
    # Given a worker and a watcher on an empty inbox
    watcher = running(newsflow("watch", str(stack.inbox)), stack.env, stack.root / "watch.log",
                      ready="watching")
    with stack.worker(), watcher:
        # When the five sample pages are dropped into it
        for seed in sorted(SEEDS.glob("*.txt")):
            shutil.copy(seed, stack.inbox / seed.name)
        # Then every file ends stored, with each of its items linked to an article
        assert stack.wait_until(FINAL, 5) == 5
    states = stack.sql("SELECT status, count(*) FROM source_files GROUP BY status")
    assert dict(states) == {"stored": 5}
    items, occurrences = stack.sql(
        "SELECT (SELECT sum(item_count) FROM source_files),"
        " (SELECT count(*) FROM article_occurrences)")[0]
    assert occurrences == items and items >= 10
    empty = stack.sql("SELECT count(*) FROM articles WHERE body = ''")
    assert empty[0][0] == 0
    titles = {row.title for row in stack.sql("SELECT title FROM articles")}
    assert "服务中心献良策 汇聚共识增合力" in titles  # the lead story of page 000
    assert stack.sql("SELECT count(*) FROM page_texts")[0][0] == 5


def _counts(stack):
    return stack.sql("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM "
                     "article_occurrences), (SELECT count(*) FROM source_files)")[0]


def test_ingesting_the_same_files_twice_stores_nothing_new(stack):
    with stack.worker():
        # Given the seeds ingested once
        first = stack.ingest(SEEDS)
        assert first.returncode == 0, first.stderr
        before = _counts(stack)
        # When they are ingested again
        second = stack.ingest(SEEDS)
        # Then nothing is enqueued and no row is added
        assert second.returncode == 0, second.stderr
        assert "0 enqueued, 5 already in a final state" in second.stderr
        assert _counts(stack) == before
        # And `newsflow status` tells the same
        status = stack.run("status", timeout=120)
        assert status.returncode == 0, status.stderr
        assert re.search(r"stored[\s│|]+5\b", status.stdout), status.stdout
        assert f"articles: {before[0]} " in status.stdout
        # And a copy of one page under another name is a duplicate: occurrences only
        copy = stack.inbox / "copy-of-000.txt"
        shutil.copy(sorted(SEEDS.glob("*.txt"))[0], copy)
        third = stack.ingest(copy)
    assert third.returncode == 0, third.stderr
    articles, occurrences, files = _counts(stack)
    status, item_count = stack.sql("SELECT status, item_count FROM source_files WHERE path = :p",
                                   p=str(copy))[0]
    assert status == "duplicate"
    assert (articles, files) == (before[0], before[2] + 1)
    assert occurrences == before[1] + item_count


def test_bad_files_are_quarantined_with_their_reason_and_kept(stack):
    # Given an empty file, a binary file and a GB18030 page
    (stack.inbox / "empty.txt").write_bytes(b"")
    (stack.inbox / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    page = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    (stack.inbox / "gbk.txt").write_bytes(page.encode("gb18030"))
    with stack.worker():
        # When they are ingested
        result = stack.ingest(stack.inbox)
    # Then the bad ones are quarantined with a code and a sentence, moved aside, not deleted
    assert result.returncode == 0, result.stderr
    rows = stack.sql("SELECT path, status, error_code, error_detail, quarantine_path, encoding "
                     "FROM source_files ORDER BY path")
    by_name = {row.path.rsplit("/", 1)[1]: row for row in rows}
    assert by_name["empty.txt"].status == "quarantined"
    assert by_name["empty.txt"].error_code == "empty"
    assert by_name["image.txt"].error_code == "binary"
    assert by_name["image.txt"].error_detail
    for name in ("empty.txt", "image.txt"):
        assert not (stack.inbox / name).exists()
        assert open(by_name[name].quarantine_path, "rb")  # kept in quarantine
    assert by_name["gbk.txt"].status == "stored"
    assert by_name["gbk.txt"].encoding.replace("-", "").lower() in {"gb18030", "gbk", "gb2312"}


LABELS = SEEDS.parent / "tests" / "data" / "segmentation"
FIELDS = ("kind", "kicker", "title", "subtitle", "authors", "place")


def test_the_pipeline_stores_exactly_the_hand_labelled_items_of_each_page(stack):
    # Given the seeds ingested through the real pipeline
    with stack.worker():
        result = stack.ingest(SEEDS)
    assert result.returncode == 0, result.stderr
    for seed in sorted(SEEDS.glob("*.txt")):
        expected = json.loads((LABELS / f"{seed.stem}.json").read_text(encoding="utf-8"))["items"]
        # Then the items in PostgreSQL are the labelled ones, in page order, field by field
        rows = stack.sql("SELECT i.* FROM file_items i JOIN source_files f ON f.id = i.file_id"
                         " WHERE f.path = :p ORDER BY i.position", p=str(seed.absolute()))
        assert [{k: getattr(r, k) for k in FIELDS} for r in rows] == [
            {k: item.get(k, [] if k == "authors" else None) for k in FIELDS} for item in expected
        ], seed.name
        for row, item in zip(rows, expected, strict=True):
            assert row.body_original.startswith(item.get("body_start", item.get("body", "")))
            assert row.body_original.endswith(item.get("body_end", item.get("body", "")))


def test_pool_processes_over_the_memory_limit_are_replaced_and_nothing_is_lost(stack):
    # Given a worker whose pool processes may hold 1 MB (each is over it after any task)
    stack.env["NEWSFLOW_WORKER_MAX_MEMORY_MB"] = "1"
    pages = sorted(SEEDS.glob("*.txt"))
    for page in pages:
        shutil.copy(page, stack.inbox / page.name)
    # When the sample pages go through it
    with stack.worker(concurrency=1):
        result = stack.ingest(stack.inbox, wait=300)
    # Then every file is stored, and the pool process was replaced along the way
    assert result.returncode == 0, result.stderr
    assert stack.sql("SELECT count(*) FROM source_files WHERE status = 'stored'")[0][0] == len(pages)
    log = (stack.root / "worker.log").read_text(errors="replace")
    runners = set(re.findall(r"(ForkPoolWorker-\d+) celery\.app\.trace INFO Task newsflow", log))
    assert len(runners) >= 2, runners


def test_a_pdf_of_two_pages_dropped_into_the_inbox_stores_its_articles_with_their_pages(stack):
    # Given a worker and a watcher on an empty inbox
    watcher = running(newsflow("watch", str(stack.inbox)), stack.env, stack.root / "watch.log",
                      ready="watching")
    with stack.worker(), watcher:
        # When an e-paper PDF of two printed pages is dropped into it
        (stack.inbox / "2022-10-14.pdf").write_bytes(drawn_pdf(PAGES))
        assert stack.wait_until(FINAL, 1) == 1
    # Then it is stored, each article with the page it was printed on
    assert stack.sql("SELECT status, format FROM source_files")[0] == ("stored", "pdf")
    rows = stack.sql("SELECT a.title, c.page FROM article_copies c JOIN articles a"
                     " ON a.id = c.article_id ORDER BY c.position")
    assert [tuple(row) for row in rows] == [
        ("梨树县政协开展委员培训", 1), ("铁西区红十字会走进社区", 1), ("春耕备耕有序推进", 2)]
    # and the type sizes its parse step read are kept beside its text: a headline's 20 points
    # and the body's 10.5 on each page
    (layout,), = stack.sql("SELECT layout FROM page_texts")
    assert [set(page.split()) for page in layout.split("\f")] == [{"20.0", "10.5"}] * 2
