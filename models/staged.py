"""Conversions between the stages' dataclasses and ``file_items`` rows."""

from __future__ import annotations

from types import SimpleNamespace

from models.search import search_params
from stages.items import Enrichment, ItemKind, NormalizedItem, PageItem


def item_row(item: PageItem) -> dict:
    """The ``file_items`` columns of a parsed item; the parsed body is the original text."""
    data = item.to_dict()
    data["body_original"] = data.pop("body")
    return data


def page_item(row: SimpleNamespace) -> PageItem:
    """The parsed item a row holds, as the normalize stage takes it."""
    return PageItem(
        position=row.position,
        kind=ItemKind(row.kind),
        body=row.body_original,
        kicker=row.kicker,
        title=row.title,
        subtitle=row.subtitle,
        authors=list(row.authors),
        roles=list(row.roles),
        place=row.place,
        continued_from=row.continued_from,
        continued_to=row.continued_to,
        confident=row.confident,
    )


def normalized_json(item: NormalizedItem, enrichment: Enrichment | None) -> dict:
    """The ``file_items.normalized`` value: the normalized item and, when it was enriched,
    what dedupe and store read of it. The search words are kept joined, as the index takes
    them: a JSON list of every token cost more to write and read back than the text itself.
    """
    if enrichment is None:
        return {"item": item.to_dict(), "enrichment": None}
    return {"item": item.to_dict(), "enrichment": {
        "keywords": enrichment.keywords,
        "entities": [dict(vars(entity)) for entity in enrichment.entities],
        **search_params(enrichment.title_tokens, enrichment.tokens)}}


def _search_words(enrichment: dict) -> dict[str, str]:
    if "search_text" in enrichment:
        return {"search_title": enrichment["search_title"], "search_text": enrichment["search_text"]}
    # Staged by a version that kept token lists (a file in flight across an upgrade).
    return search_params(enrichment["title_tokens"], enrichment["tokens"])


def article_values(row: SimpleNamespace) -> dict:
    """The ``articles`` columns of a normalized item (its first-seen copy becomes the article).

    The search vector is built by the server from ``search_title`` / ``search_text``, the
    enrichment's jieba tokens joined (``models.articles.insert_articles``).
    """
    item = row.normalized["item"]
    enrichment = row.normalized["enrichment"]
    return {
        "kind": row.kind,
        "kicker": item["kicker"],
        "title": item["title"],
        "subtitle": item["subtitle"],
        "authors": item["authors"],
        "place": item["place"],
        "body": item["body"],
        "body_original": row.body_original,
        "content_sha256": row.content_sha256,
        "script": item["script"],
        "quality_flags": item["quality_flags"],
        "quality_score": item["quality_score"],
        "char_count": item["char_count"],
        "keywords": enrichment["keywords"],
        "signature": row.signature,
        **_search_words(enrichment),
    }
