"""What the steps write is what the pure stages made of the page (no broker needed)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from models.db import get_engine
from models.search import search_vector
from stages.segment.split import split_document
from stages.text.decode import decode_page
from stages.text.normalize import NormalizeConfig, normalize_item
from stages.words.enrich import enrich
from tasks import steps
from tests.conftest import SEEDS

PAGES = sorted(SEEDS.glob("*.txt"))
ITEM_COLUMNS = ("position", "kind", "body_original", "kicker", "title", "subtitle", "authors",
                "roles", "place", "continued_from", "continued_to", "confident")


@pytest.mark.parametrize("seed", PAGES, ids=[page.name[:3] for page in PAGES])
def test_parsed_items_are_saved_field_for_field(stack, seed):
    # Given a sample page in the inbox
    path = stack.inbox / seed.name
    shutil.copy(seed, path)
    # When it is ingested and parsed
    file_id = stack.register(path)
    stack.run_steps(file_id, [steps.ingest_files, steps.parse_files])
    # Then every item the segmenter finds is a row with all its fields, and the ledger row
    # has the page's encoding, format and item count
    page = decode_page(path.read_bytes(), str(path))
    expected = [(item.position, str(item.kind), item.body, item.kicker, item.title,
                 item.subtitle, item.authors, item.roles, item.place, item.continued_from,
                 item.continued_to, item.confident) for item in split_document(page)]
    rows = stack.sql(f"SELECT {', '.join(ITEM_COLUMNS)} FROM file_items WHERE file_id = :id"
                     " ORDER BY position", id=file_id)
    assert [tuple(row) for row in rows] == expected and expected
    assert stack.sql("SELECT encoding, format, item_count FROM source_files WHERE id = :id",
                     id=file_id) == [(page.encoding, page.format, len(expected))]


def test_stored_occurrences_and_entities_are_those_of_the_linked_items(stack):
    # Given a sample page run through every step
    path = stack.inbox / PAGES[1].name
    shutil.copy(PAGES[1], path)
    file_id = stack.register(path)
    stack.run_steps(file_id, [steps.ingest_files, steps.parse_files, steps.normalize_files,
                              steps.dedupe_files, steps.store_files])
    # Then each position occurs once, in the article dedupe linked it to
    links = stack.sql("SELECT position, article_id FROM file_items WHERE file_id = :id"
                      " ORDER BY position", id=file_id)
    occurrences = stack.sql("SELECT position, article_id FROM article_occurrences"
                            " WHERE file_id = :id ORDER BY position", id=file_id)
    assert occurrences == links and len(links) > 1
    # And each new article has the entities jieba finds in its normalized item
    config = NormalizeConfig(opencc_config=stack.settings.opencc_config)
    page = decode_page(path.read_bytes(), str(path))
    expected = set()
    for item, (_, article_id) in zip(split_document(page), links, strict=True):
        found = enrich(normalize_item(item, config)).entities
        expected |= {(article_id, e.text, e.type, e.count) for e in found}
    stored = stack.sql("SELECT article_id, text, type, count FROM article_entities")
    assert set(map(tuple, stored)) == expected and expected
    assert stack.sql("SELECT status FROM source_files WHERE id = :id", id=file_id) == [("stored",)]


ARTICLE_COLUMNS = ("kind", "kicker", "title", "subtitle", "authors", "place", "body",
                   "body_original", "script", "quality_flags", "quality_score", "char_count",
                   "keywords")


@pytest.mark.parametrize("seed", PAGES, ids=[page.name[:3] for page in PAGES])
def test_new_articles_are_stored_field_for_field(stack, seed):
    # Given a sample page (one is Traditional with pinyin) run through every step
    path = stack.inbox / seed.name
    shutil.copy(seed, path)
    file_id = stack.register(path)
    stack.run_steps(file_id, [steps.ingest_files, steps.parse_files, steps.normalize_files,
                              steps.dedupe_files, steps.store_files])
    # Then each new article holds what the pure stages make of its item, column for column
    config = NormalizeConfig(opencc_config=stack.settings.opencc_config)
    page = decode_page(path.read_bytes(), str(path))
    by_position = {item.position: item for item in split_document(page)}
    stored = stack.sql(
        f"SELECT i.position, a.id, i.signature = a.signature, {', '.join('a.' + c for c in ARTICLE_COLUMNS)}"
        " FROM file_items i JOIN articles a ON a.id = i.article_id"
        " WHERE i.file_id = :id AND i.new_article ORDER BY i.position", id=file_id)
    assert stored
    for position, article_id, same_signature, *columns in stored:
        item = by_position[position]
        normalized = normalize_item(item, config)
        enrichment = enrich(normalized)
        expected = (str(item.kind), normalized.kicker, normalized.title, normalized.subtitle,
                    normalized.authors, normalized.place, normalized.body, item.body,
                    normalized.script, normalized.quality_flags, normalized.quality_score,
                    normalized.char_count, enrichment.keywords)
        assert tuple(columns) == expected, position
        assert same_signature, position
        # And its search vector is the one its jieba tokens make
        with get_engine(stack.database_url).connect() as conn:
            wanted = conn.execute(select(search_vector(enrichment.title_tokens,
                                                       enrichment.tokens))).scalar()
        assert stack.sql("SELECT search FROM articles WHERE id = :id", id=article_id) == [(wanted,)]
    # And the articles' ids follow page order (the earliest copy is the canonical one)
    assert [row[1] for row in stored] == sorted(row[1] for row in stored)
