"""An item of a file as the steps leave it in ``file_items``, and the rows made from it.

One dataclass per shape: the parse step saves a ``PageItem``, normalize adds a
``NormalizedItem`` and what enrich found (``IndexedEnrichment``), dedupe an ``ItemLink``; each
step reads the rows back as ``StagedItem``. The item's fields are those of the stage
dataclasses: the columns below are derived from them, never listed again by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from models.search import search_params
from stages.dedup.candidates import NewArticle
from stages.dedup.minhash import signature_to_bytes
from stages.items import Enrichment, Entity, ItemKind, NormalizedItem, PageItem

# ``file_items`` keeps the parsed body as ``body_original``: ``body`` is the normalized one.
_PARSED_COLUMN = {field.name: "body_original" if field.name == "body" else field.name
                  for field in fields(PageItem)}
PARSED_COLUMNS = tuple(_PARSED_COLUMN.values())


@dataclass(frozen=True)
class IndexedEnrichment:
    """What dedupe and store read of an enrichment: the search words joined as the index
    takes them (a JSON list of every token cost more to write and read than the text)."""

    keywords: list[str]
    entities: list[Entity]
    search_title: str
    search_text: str

    @classmethod
    def of(cls, enrichment: Enrichment) -> IndexedEnrichment:
        words = search_params(enrichment.title_tokens, enrichment.tokens)
        return cls(enrichment.keywords, enrichment.entities, **words)


@dataclass(frozen=True)
class StagedItem:
    """One ``file_items`` row: the item as parsed, and what normalize made of it (None
    before normalize; ``enrichment`` None when its body was stored already)."""

    file_id: int
    parsed: PageItem
    normalized: NormalizedItem | None = None
    enrichment: IndexedEnrichment | None = None
    content_sha256: str | None = None


@dataclass(frozen=True)
class ItemLink:
    """What dedupe decided for an item: its article, whether this item brought it, and its
    signature when it was fingerprinted."""

    file_id: int
    position: int
    article_id: int
    new_article: bool
    signature: bytes | None = None


def parsed_columns(file_id: int, item: PageItem) -> dict:
    """The ``file_items`` columns of a parsed item."""
    values = {_PARSED_COLUMN[name]: value for name, value in item.to_dict().items()}
    return values | {"file_id": file_id}


def staged_item(row: Mapping) -> StagedItem:
    """A ``file_items`` row (a mapping of its columns) as a StagedItem."""
    values = {name: row[column] for name, column in _PARSED_COLUMN.items()}
    parsed = PageItem(**values | {"kind": ItemKind(values["kind"])})
    document = row["normalized"] or {}
    found = document.get("enrichment")
    enrichment = found and IndexedEnrichment(
        found["keywords"], [Entity(**entity) for entity in found["entities"]],
        found["search_title"], found["search_text"])
    normalized = NormalizedItem(**document["item"]) if document else None
    return StagedItem(row["file_id"], parsed, normalized, enrichment, row["content_sha256"])


def normalized_document(item: NormalizedItem, enrichment: Enrichment | None) -> dict:
    """The ``file_items.normalized`` value: the normalized item and, when it was enriched,
    what dedupe and store read of it."""
    indexed = IndexedEnrichment.of(enrichment) if enrichment is not None else None
    return {"item": item.to_dict(),
            "enrichment": None if indexed is None else dict(vars(indexed)) | {
                "entities": [dict(vars(entity)) for entity in indexed.entities]}}


def article_columns(item: StagedItem, new: NewArticle) -> dict:
    """The ``articles`` columns of an item's first-seen copy, as the dedupe plan decided it.

    ``duplicate_of`` may still be a placeholder (negative): the insert resolves it.
    """
    assert item.normalized is not None and item.enrichment is not None
    enrichment = item.enrichment
    return item.normalized.to_dict() | {
        "kind": str(item.parsed.kind), "body_original": item.parsed.body,
        "content_sha256": item.content_sha256, "keywords": enrichment.keywords,
        "search_title": enrichment.search_title, "search_text": enrichment.search_text,
        "signature": signature_to_bytes(new.incoming.fingerprint.signature),
        "shingle_count": new.incoming.fingerprint.shingle_count,
        "duplicate_of": new.duplicate_of, "similarity": new.similarity}
