"""The small dataclasses that flow between the pure stages.

Every stage takes and returns these; nothing here knows about queues, databases or files.
The tasks in ``tasks/`` persist them through ``models/`` between stages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ItemKind(StrEnum):
    ARTICLE = "article"
    PHOTO = "photo"


class StageError(Exception):
    """Input a stage refuses, with a stable machine code and a sentence for the operator.

    The ingest task turns it into a ``quarantined`` ledger row; it is never retried.
    """

    def __init__(self, code: str, detail: str):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class DecodedPage:
    """A dropped file turned into text: what ``decode_page`` returns."""

    text: str
    encoding: str  # the codec that decoded the bytes, e.g. "utf-8", "gb18030", "big5", "utf-16"
    format: str  # "text", "html", "jsonl" or "pdf": chosen by content, not by extension
    # A PDF's type sizes, one per non-blank line of the text (``stages.text.pdf_lines``).
    layout: str | None = None


@dataclass
class PageItem:
    """One article or photo caption found on a page, in page order (``position`` from 0)."""

    position: int
    kind: ItemKind
    body: str
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    authors: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    place: str | None = None
    continued_from: str | None = None
    continued_to: str | None = None
    # False when the segmenter found no structure and kept the page as one item.
    confident: bool = True
    # The page of a PDF the item was printed on, from 1 (None for a one-page text).
    page: int | None = None

    def to_dict(self) -> dict:
        """The fields as a JSON-ready dict, shallow like :meth:`NormalizedItem.to_dict`."""
        data = dict(vars(self))
        data["kind"] = str(self.kind)
        return data


@dataclass
class Entity:
    text: str
    type: str  # "place", "person" or "organization"
    count: int


@dataclass
class NormalizedItem:
    """A PageItem after normalization: Simplified, clean typography, with quality flags."""

    kicker: str | None
    title: str | None
    subtitle: str | None
    authors: list[str]
    place: str | None
    body: str
    script: str  # "simplified", "traditional" or "mixed" (of the source text)
    quality_flags: list[str]
    quality_score: float
    char_count: int

    def to_dict(self) -> dict:
        """The fields as a JSON-ready dict. Shallow: ``asdict`` deep-copies every list and
        cost more than normalizing a short item."""
        return dict(vars(self))


@dataclass
class Enrichment:
    """What jieba tells us about a normalized article."""

    tokens: list[str]  # search-mode tokens of title + body
    title_tokens: list[str]
    keywords: list[str]
    entities: list[Entity]
