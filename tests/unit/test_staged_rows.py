"""The normalize stage's staged JSON (``file_items.normalized``) as the dedupe stage reads it."""

from models.staged import article_values, normalized_json
from models.tables import FileItem
from stages.items import ItemKind, PageItem
from stages.text.normalize import normalize_item
from stages.words.enrich import enrich

TITLE, BODY = "乡村振兴 政协委员在行动", "本报讯 梨树县政协委员深入乡村，走访农户，了解乡村振兴中的难题。"


def _staged(normalized: dict) -> FileItem:
    return FileItem(position=0, kind="article", body_original=BODY, normalized=normalized,
                    content_sha256="0" * 64, signature=None)


def test_staged_search_words_are_the_enrichment_tokens_joined():
    # Given an item normalized and enriched
    item = normalize_item(PageItem(position=0, kind=ItemKind.ARTICLE, body=BODY, title=TITLE))
    enrichment = enrich(item)
    # When it is staged and read back as article values
    values = article_values(_staged(normalized_json(item, enrichment)))
    # Then the search words are jieba's tokens as the index takes them, title and text apart
    assert values["search_title"].split() == enrichment.title_tokens
    assert values["search_text"].split() == enrichment.tokens
    assert "振兴" in values["search_title"].split() and "梨树县" in values["search_text"].split()
    assert values["keywords"] == enrichment.keywords


def test_a_row_staged_with_token_lists_before_an_upgrade_gives_the_same_values():
    # Given the same item staged by the earlier format (token lists), as a file in flight
    # across an upgrade would be
    item = normalize_item(PageItem(position=0, kind=ItemKind.ARTICLE, body=BODY, title=TITLE))
    enrichment = enrich(item)
    old = {"item": item.to_dict(), "enrichment": {
        "tokens": enrichment.tokens, "title_tokens": enrichment.title_tokens,
        "keywords": enrichment.keywords,
        "entities": [dict(vars(entity)) for entity in enrichment.entities]}}
    # Then dedupe builds the same article from it
    assert article_values(_staged(old)) == article_values(_staged(normalized_json(item, enrichment)))
