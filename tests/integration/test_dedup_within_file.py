"""One file holding a story more than once: the dedupe step's in-file bookkeeping.

The step judges a file's items in page order against stored articles and against the
file's own new articles, then inserts all new articles in one statement; an item that is
a near copy of an earlier item of the same file must still point at that item's article.
"""

from __future__ import annotations

import json

from models.db import transaction
from stages.dedup.decide import shingles
from tasks import steps
from tests.conftest import SEEDS

STEPS = steps.IN_ORDER


def _long_paragraphs(count: int) -> list[str]:
    text = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8")
    return sorted((p.strip() for p in text.split("\n") if len(p.strip()) > 150), key=len)[-count:]


def _near_copy(body: str) -> str:
    """The body with every 60th character replaced: well above the 0.8 similarity rule."""
    return "".join("的" if i % 60 == 59 else c for i, c in enumerate(body))


def _registered(stack, name: str, records: list[dict]) -> int:
    path = stack.inbox / name
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return stack.register(path)


def _process(stack, name: str, records: list[dict]) -> int:
    file_id = _registered(stack, name, records)
    stack.run_steps(file_id, STEPS)
    return file_id


def test_a_story_twice_and_a_near_copy_in_one_file(stack):
    # Given one file with story A, A again, a near copy of A and a different story B
    story_a, story_b = _long_paragraphs(2)
    records = [{"title": "甲", "body": story_a}, {"title": "甲", "body": story_a},
               {"title": "甲二", "body": _near_copy(story_a)}, {"title": "乙", "body": story_b}]
    # When it goes through every step
    file_id = _process(stack, "twice.jsonl", records)
    # Then A, its near copy and B are three articles, the near copy pointing at A
    articles = stack.sql("SELECT id, title, duplicate_of, similarity FROM articles ORDER BY id")
    assert [a.title for a in articles] == ["甲", "甲二", "乙"]
    a, near, b = articles
    assert (a.duplicate_of, near.duplicate_of, b.duplicate_of) == (None, a.id, None)
    assert 0.8 <= near.similarity < 1.0
    # And every item is an occurrence of its article, the repeated A twice
    occurrences = stack.sql("SELECT position, article_id FROM article_occurrences"
                            " WHERE file_id = :f ORDER BY position", f=file_id)
    assert [o.article_id for o in occurrences] == [a.id, a.id, near.id, b.id]
    # And each article records the size of its shingle set (the size-aware prefilter's input)
    sizes = stack.sql("SELECT body, shingle_count FROM articles ORDER BY id")
    assert [row.shingle_count for row in sizes] == [len(shingles(row.body, 5)) for row in sizes]
    # And each new article has its bands, and the file is stored
    banded = stack.sql("SELECT DISTINCT article_id FROM article_bands ORDER BY 1")
    assert [row.article_id for row in banded] == [a.id, near.id, b.id]
    assert stack.sql("SELECT status FROM source_files WHERE id = :f", f=file_id)[0][0] == "stored"


def test_a_second_file_reuses_the_articles_of_the_first(stack):
    # Given a file with stories A and B stored
    story_a, story_b = _long_paragraphs(2)
    _process(stack, "first.jsonl", [{"title": "甲", "body": story_a}, {"title": "乙", "body": story_b}])
    # When a second file holds B again and a near copy of A
    second = _process(stack, "second.jsonl", [{"title": "乙", "body": story_b},
                                              {"title": "甲二", "body": _near_copy(story_a)}])
    # Then only the near copy is a new article, pointing at A; B is an occurrence only
    articles = stack.sql("SELECT id, title, duplicate_of FROM articles ORDER BY id")
    assert [(a.title, a.duplicate_of) for a in articles] == [
        ("甲", None), ("乙", None), ("甲二", articles[0].id)]
    links = stack.sql("SELECT article_id FROM article_occurrences WHERE file_id = :f"
                      " ORDER BY position", f=second)
    assert [row.article_id for row in links] == [articles[1].id, articles[2].id]


def test_two_files_in_one_message_see_each_others_new_articles(stack):
    # Given two files, the second holding story A of the first again and a near copy of B
    story_a, story_b = _long_paragraphs(2)
    first = _registered(stack, "first.jsonl", [{"title": "甲", "body": story_a},
                                               {"title": "乙", "body": story_b}])
    second = _registered(stack, "second.jsonl", [{"title": "甲", "body": story_a},
                                                 {"title": "乙二", "body": _near_copy(story_b)}])
    # When every step runs over both as one message (one transaction per step, as the tasks)
    for step in STEPS:
        with transaction(stack.database_url) as session:
            step(session, [first, second], stack.settings)
    # Then A is one article, and the near copy of B a new one pointing at B
    articles = stack.sql("SELECT id, title, duplicate_of FROM articles ORDER BY id")
    assert [(a.title, a.duplicate_of) for a in articles] == [
        ("甲", None), ("乙", None), ("乙二", articles[1].id)]
    links = stack.sql("SELECT file_id, article_id FROM article_occurrences ORDER BY file_id, position")
    assert [tuple(row) for row in links] == [(first, articles[0].id), (first, articles[1].id),
                                             (second, articles[0].id), (second, articles[2].id)]
    assert stack.sql("SELECT status FROM source_files ORDER BY id") == [("stored",), ("stored",)]
