"""The clean texture: a block per line, as web archives and careful converters give a page.

Blank lines vary as they do in the wild: between every paragraph, only between articles, or none
at all, even between articles.
"""

from __future__ import annotations

import random

from corpus.blocks import Block, LogicalPage
from corpus.labels import LabelledLine

BLANK_POLICIES = ("every", "articles", "none")
BLANK = LabelledLine("", None, None, False)


def _groups(page: LogicalPage) -> list[tuple[Block, ...]]:
    """Runs of blocks that a blank-between-articles dump keeps together."""
    return [page.top, *(story.blocks for story in page.stories), page.bottom]


def label_blocks(blocks: tuple[Block, ...], started: set[int]) -> list[LabelledLine]:
    """One labelled line per block; the first line of each item starts it."""
    lines = []
    for block in blocks:
        starts = block.item is not None and block.item not in started
        if starts:
            started.add(block.item)
        lines.append(LabelledLine(block.text, block.role, block.item, starts))
    return lines


def clean_lines(page: LogicalPage, rng: random.Random) -> tuple[list[LabelledLine], str]:
    """The page as clean lines, and its variant tag (blank-line policy and punctuation)."""
    policy = rng.choice(BLANK_POLICIES)
    started: set[int] = set()
    lines: list[LabelledLine] = [BLANK] * rng.choice((0, 0, 2))
    for group in _groups(page):
        if not group:
            continue
        if lines and lines[-1] is not BLANK and policy != "none":
            lines += [BLANK] * (rng.choice((1, 1, 2, 3)) if policy == "every" else 1)
        for line in label_blocks(group, started):
            if policy == "every" and lines and lines[-1] is not BLANK:
                lines.append(BLANK)
            lines.append(line)
    return lines, f"blank={policy},{page.form.describe()}"
