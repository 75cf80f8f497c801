"""The seed pages cut into article blocks, where ``stages.segment.split.segment_page`` finds articles.

The segmenter returns items, not offsets: each article is located in the raw text by the
first Han characters of its kicker, title or body, and the raw lines are cut there, so a
block keeps the page's own layout (line breaks, bylines, captions) for the segmenter to
find again on a composed page.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from stages.items import ItemKind
from stages.segment.split import segment_page

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def is_han(text: str) -> bool:
    """Whether every character is a CJK Unified Ideograph (the common Han block)."""
    return all("\u4e00" <= c <= "\u9fff" for c in text)


def _han_only(text: str) -> str:
    return "".join(c for c in text if is_han(c))


def _marker(item) -> str:
    """The first Han characters of an article: the segmenter may have tidied its quotes,
    brackets and spaces, never its characters."""
    first = next(part for part in (item.kicker, item.title, item.body) if part)
    return _han_only(first.split()[0])[:6]  # a headline broken over lines is joined by a space


def _opens(line: str, marker: str) -> bool:
    """Whether a line starts the article: it holds the marker, or is the headline's first part
    when the extractor broke the headline over lines (山丹县政协 / 召开党组…)."""
    return line.startswith(marker) or (len(line) >= 4 and marker.startswith(line))


def split_at_articles(text: str) -> list[str]:
    """A page's raw text cut before every article ``segment_page`` finds (furniture stays with
    the first block; photo captions stay where they are)."""
    lines, starts, cursor = text.split("\n"), [], 0
    for item in segment_page(text):
        if item.kind is not ItemKind.ARTICLE:
            continue
        marker = _marker(item)
        for index in range(cursor, len(lines)):
            if _opens(_han_only(lines[index]), marker):
                starts.append(index)
                cursor = index + 1
                break
    bounds = [0, *starts[1:], len(lines)]  # the text above the first article joins it
    blocks = ["\n".join(lines[a:b]).strip("\n") for a, b in zip(bounds, bounds[1:], strict=False)]
    return [block for block in blocks if block.strip()]


@cache
def seed_blocks(seeds: Path = SEEDS) -> tuple[str, ...]:
    """Every article block of every seed page, in file order."""
    return tuple(b for p in sorted(seeds.glob("*.txt")) for b in split_at_articles(p.read_text("utf-8")))
