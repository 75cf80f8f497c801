"""The staged item (``file_items`` row) as the steps write it and read it back."""

from models.staged import article_columns, normalized_document, parsed_columns, staged_item
from stages.dedup.candidates import Incoming, NewArticle
from stages.dedup.fingerprint import fingerprint
from stages.dedup.minhash import DEFAULT_CONFIG, signature_to_bytes
from stages.items import ItemKind, PageItem
from stages.text.normalize import normalize_item
from stages.words.enrich import enrich

TITLE, BODY = "乡村振兴 政协委员在行动", "本报讯 梨树县政协委员深入乡村，走访农户，了解乡村振兴中的难题。"


def _row(item: PageItem, document: dict | None) -> dict:
    """What ``file_items`` gives back for an item saved by parse and updated by normalize."""
    return parsed_columns(7, item) | {"normalized": document, "content_sha256": "0" * 64}


def test_a_parsed_item_reads_back_equal_field_for_field():
    # Given a parsed item with every field set
    item = PageItem(position=3, kind=ItemKind.PHOTO, body=BODY, kicker="引", title=TITLE,
                    subtitle="副", authors=["王五"], roles=["记者"], place="梨树",
                    continued_from="一版", continued_to="第3版", confident=False)
    # When it is saved as columns and read back before normalize
    staged = staged_item(_row(item, None))
    # Then it is the same item, the body in body_original
    assert staged.parsed == item and staged.file_id == 7 and staged.normalized is None
    assert parsed_columns(7, item)["body_original"] == BODY and "body" not in parsed_columns(7, item)


def test_staged_search_words_are_the_enrichment_tokens_joined():
    # Given an item normalized and enriched
    parsed = PageItem(position=0, kind=ItemKind.ARTICLE, body=BODY, title=TITLE)
    item = normalize_item(parsed)
    enrichment = enrich(item)
    # When it is staged, read back, and made an article
    staged = staged_item(_row(parsed, normalized_document(item, enrichment)))
    new = NewArticle(Incoming(staged.content_sha256, item.body,
                              fingerprint(item.body, DEFAULT_CONFIG, 50)), -1, None, None)
    values = article_columns(staged, new)
    # Then the normalized item and its entities come back as they were
    assert staged.normalized == item and staged.enrichment.entities == enrichment.entities
    # And the search words are jieba's tokens as the index takes them, title and text apart
    assert values["search_title"].split() == enrichment.title_tokens
    assert values["search_text"].split() == enrichment.tokens
    assert "振兴" in values["search_title"].split() and "梨树县" in values["search_text"].split()
    assert values["keywords"] == enrichment.keywords and values["body_original"] == BODY
    assert values["signature"] == signature_to_bytes(new.incoming.fingerprint.signature)


def test_an_item_stored_already_is_staged_without_enrichment():
    # Given an item whose body an article holds already (normalize does not enrich it)
    parsed = PageItem(position=0, kind=ItemKind.ARTICLE, body=BODY, title=TITLE)
    item = normalize_item(parsed)
    # Then it reads back normalized, with no enrichment
    staged = staged_item(_row(parsed, normalized_document(item, None)))
    assert staged.normalized == item and staged.enrichment is None
