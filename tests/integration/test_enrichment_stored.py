"""Normalization and enrichment results of the sample pages, as stored in PostgreSQL."""

from __future__ import annotations

import re

from tests.conftest import SEEDS

PINYIN = re.compile(r"[（(][a-zɑɡüāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,6}[)）]")


def test_every_article_has_keywords_entities_and_clean_simplified_text(stack):
    # Given the sample pages ingested through the real pipeline
    with stack.worker():
        result = stack.ingest(SEEDS, wait=240)
    assert result.returncode == 0, result.stderr
    articles = stack.sql("SELECT id, kind, body, keywords, script, quality_flags FROM articles")
    entities = stack.sql("SELECT article_id, text, type FROM article_entities")
    with_entities = {row.article_id for row in entities}
    # Then every article has keywords and named entities
    for article in (a for a in articles if a.kind == "article"):
        assert article.keywords, article.id
        assert article.id in with_entities, article.id
    # And the place names of the pages are whole place entities
    places = {row.text for row in entities if row.type == "place"}
    assert {"梨树县", "铁东区", "伊通满族自治县", "新河县"} <= places
    assert places & {"嘉峪关", "嘉峪关市"}  # the page writes 嘉峪关市政协
    # And the Traditional page is stored in Simplified, pinyin gone, with its original kept
    (traditional,) = [a for a in articles if a.script == "traditional"]
    assert "converted_from_traditional" in traditional.quality_flags
    assert "政协" in traditional.body and "政協" not in traditional.body
    assert not PINYIN.search(traditional.body)
    original = stack.sql("SELECT body_original FROM articles WHERE id = :i", i=traditional.id)
    assert "政協(xié)" in original[0][0]
    # And Chinese punctuation is full-width, with no space between Chinese and digits
    # (a ? left inside mojibake, 基地?U建 on page 002, is the damage, flagged, not punctuation)
    bodies = "".join(a.body for a in articles if "mojibake" not in a.quality_flags)
    assert len(bodies) > 15000  # nearly all the text of the pages
    assert not re.search(r"[\u4e00-\u9fff][,;:?!]", bodies)
    assert not re.search(r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", bodies)
