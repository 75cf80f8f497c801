"""Deduplication through the real pipeline: exact, cross-script and near copies, under races."""

from __future__ import annotations

import json
import random
import subprocess

import opencc
import pytest

from tests.conftest import SEEDS
from workers.scratch import newsflow

PAGE_000 = sorted(SEEDS.glob("*.txt"))[0]


def _ingest(stack, *paths) -> None:
    result = stack.ingest(*paths, wait=300)
    assert result.returncode == 0, result.stderr


def _cut_one_paragraph(page: str) -> str:
    """The page with the third body paragraph of its lead article removed."""
    paragraphs = page.split("\n\n")
    long_ones = [i for i, p in enumerate(paragraphs) if len(p) > 150]
    del paragraphs[long_ones[2]]
    return "\n\n".join(paragraphs)


def test_a_page_its_copies_and_variants_store_one_canonical_article_per_story(stack):
    # Given page 000, a second copy of it under another name, its Traditional conversion
    # and a copy with one paragraph cut
    page = PAGE_000.read_text(encoding="utf-8")
    (stack.inbox / "a.txt").write_text(page, encoding="utf-8")
    (stack.inbox / "b-again.txt").write_text(page, encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(page)
    (stack.inbox / "c-traditional.txt").write_text(traditional, encoding="utf-8")
    (stack.inbox / "d-cut.txt").write_text(_cut_one_paragraph(page), encoding="utf-8")
    with stack.worker():
        # When they are ingested one after another
        for name in ("a.txt", "b-again.txt", "c-traditional.txt", "d-cut.txt"):
            _ingest(stack, stack.inbox / name)
    # Then each story of the page has exactly one canonical article
    items = stack.sql("SELECT item_count FROM source_files ORDER BY path")
    stories = items[0][0]
    assert [row[0] for row in items] == [stories] * 4
    assert stack.sql("SELECT count(*) FROM canonical_articles")[0][0] == stories
    # And the cut copy is linked to its canonical with its similarity
    linked = stack.sql("SELECT duplicate_of, similarity FROM articles WHERE duplicate_of IS NOT NULL")
    assert len(linked) == 1 and 0 < linked[0].similarity < 1
    # And every appearance is recorded against its story
    copies = stack.sql("SELECT canonical_id, count(*) FROM article_copies GROUP BY canonical_id")
    assert sorted(count for _, count in copies) == [4] * stories
    states = dict(stack.sql("SELECT path, status FROM source_files"))
    assert sorted(states.values()) == ["duplicate", "duplicate", "stored", "stored"]


def _variant(body: str, rng: random.Random, changes: int) -> str:
    """The body with ``changes`` Han characters replaced: a lightly edited reprint."""
    chars = list(body)
    han = [i for i, c in enumerate(chars) if "\u4e00" <= c <= "\u9fff"]
    for i in rng.sample(han, changes):
        chars[i] = "的"
    return "".join(chars)


def _stories() -> list[tuple[str, str]]:
    """(title, body) of the long articles of the sample pages, as a JSONL reprint would carry."""
    rows = []
    for seed in sorted(SEEDS.glob("*.txt"))[:2]:
        argv = newsflow("parse", str(seed))
        out = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=True).stdout
        rows += [json.loads(line) for line in out.splitlines()]
    return [(r["title"], r["body"]) for r in rows if r["kind"] == "article" and len(r["body"]) > 300]


@pytest.mark.parametrize("round_", range(3))
def test_many_workers_racing_on_near_duplicates_agree_with_one_worker(stack, round_):
    # Given 4 lightly edited reprints of each of several stories, one file each
    rng = random.Random(round_)
    stories = _stories()
    for s, (title, body) in enumerate(stories):
        for copy in range(4):
            record = {"title": title, "body": _variant(body, rng, changes=2)}
            path = stack.inbox / f"story{s}-copy{copy}.jsonl"
            path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    # When they are all enqueued at once to a worker with 4 processes
    with stack.worker(concurrency=4):
        _ingest(stack, stack.inbox)
    # Then every story has exactly one canonical article, as one worker would have stored,
    # and every other copy points to it
    assert stack.sql("SELECT count(*) FROM canonical_articles")[0][0] == len(stories)
    orphans = stack.sql("SELECT count(*) FROM articles a JOIN articles c ON c.id = a.duplicate_of"
                        " WHERE c.duplicate_of IS NOT NULL")
    assert orphans[0][0] == 0
    assert stack.sql("SELECT count(*) FROM article_occurrences")[0][0] == 4 * len(stories)
