"""The logical page: role-tagged blocks in reading order, grouped in stories, and the truth items.

A block is one line of a clean dump (a paragraph, a headline line, a byline) and a run of wrapped
lines in a PDF. Its text is a sequence of segments so that a dateline or credit opening or closing
a lead paragraph, or a jump marker inside one, stays known after the block is wrapped or joined.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from corpus.labels import BODY_ROLES, TruthItem
from corpus.script import TextForm

TEXT, CREDIT, JUMP = "text", "credit", "jump"


@dataclass(frozen=True)
class Block:
    role: str
    segments: tuple[tuple[str, str], ...]  # (TEXT | CREDIT | JUMP, text)
    item: int | None
    zone: str  # where a PDF layout sets it: "head", "body", "picture", "top" or "bottom"

    @property
    def text(self) -> str:
        """The block as printed: its segments joined."""
        return "".join(text for _, text in self.segments)

    def part(self, kind: str) -> str:
        """The text of this block's segments of one kind."""
        return "".join(text for k, text in self.segments if k == kind)


def plain(role: str, text: str, item: int | None, zone: str) -> Block:
    """A block of one text segment."""
    return Block(role, ((TEXT, text),), item, zone)


@dataclass(frozen=True)
class Story:
    """An article (with any photo set inside it) or a photo on its own: one module of a PDF page."""

    blocks: tuple[Block, ...]
    lead: bool = False  # the page's lead story: the biggest headline


@dataclass(frozen=True)
class LogicalPage:
    top: tuple[Block, ...]  # running head: paper, date, page number
    stories: tuple[Story, ...]
    bottom: tuple[Block, ...]  # 责任编辑, page number, mailbox
    items: tuple[TruthItem, ...]
    form: TextForm

    def blocks(self) -> Iterator[Block]:
        """Every block in reading order."""
        yield from self.top
        for story in self.stories:
            yield from story.blocks
        yield from self.bottom


def truth_body(blocks: list[Block] | tuple[Block, ...], item: int, kind: str) -> str:
    """An item's truth body from its blocks: text segments of body lines (captions for a photo)."""
    roles = BODY_ROLES if kind == "article" else {"caption"}
    return "\n".join(b.part(TEXT) for b in blocks if b.item == item and b.role in roles)
