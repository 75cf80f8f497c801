"""A logical page laid out as a multi-column broadsheet: every glyph line placed, with its role and item.

Stories are set one after another on a skyline of columns (a story takes the run of columns whose
bottom is highest): its headline stack across its columns in larger sizes, its pictures (grey
boxes, captions under them) at the top of its first columns, and its body in balanced columns, so
that articles break mid-sentence from one column to the next. Coordinates are measured from the
top of the page; ``pdf_draw`` turns them into PDF space.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from corpus.blocks import CREDIT, Block, Story
from corpus.pdf_text import Measure, Wrapped

FONTS = {"simplified": "STSong-Light", "traditional": "MSung-Light"}


@dataclass(frozen=True)
class Grid:
    """The page's column grid and body type."""

    columns: int
    column_width: float
    gutter: float
    margin: float
    size: float  # body type size
    leading: float  # body line pitch

    def x(self, column: int) -> float:
        """The left edge of a column."""
        return self.margin + column * (self.column_width + self.gutter)

    def width(self, span: int) -> float:
        """The width of ``span`` adjacent columns and the gutters between them."""
        return span * self.column_width + (span - 1) * self.gutter

    @property
    def page_width(self) -> float:
        """Columns, gutters and both margins."""
        return 2 * self.margin + self.width(self.columns)


@dataclass(frozen=True)
class DrawnLine:
    text: str
    x: float
    top: float  # baseline, measured down from the top of the page
    size: float
    width: float
    role: str
    item: int | None
    order: tuple[int, int]  # (block in reading order, line in block)
    frame: int  # the text frame it is drawn in: frames are what a PDF's content order shuffles


@dataclass(frozen=True)
class Picture:
    x: float
    top: float
    width: float
    height: float
    frame: int


@dataclass
class Layout:
    font: str
    grid: Grid
    lines: list[DrawnLine] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # (x0, x1, top)
    height: float = 0.0
    frames: int = 0

    def new_frame(self) -> int:
        """A new text frame's number: frames are drawn in an order of their own."""
        self.frames += 1
        return self.frames - 1


@dataclass
class Setter:
    """What laying out one page needs at hand: the layout being filled, measures, block numbers."""

    layout: Layout
    measure: Measure
    rng: random.Random
    numbers: dict[int, int]  # id(block) → its place in reading order

    def emit(
        self,
        block: Block,
        pieces: list[Wrapped],
        at: tuple[float, float],
        size: float,
        frame: int,
        first: int = 0,
    ) -> float:
        """Place wrapped lines of a block 1.3 sizes apart, the first with its baseline at ``at`` = (x, top).

        ``first`` numbers the lines within the block when a block is placed in several runs (a
        paragraph continued in the next column). Returns the baseline below the last line.
        """
        credit = _credit_spans(block)
        x, top = at
        for n, piece in enumerate(pieces):
            role = _line_role(block, piece, credit)
            line = DrawnLine(
                piece.text,
                x + piece.indent,
                top,
                size,
                piece.width,
                role,
                block.item,
                (self.numbers[id(block)], first + n),
                frame,
            )
            self.layout.lines.append(line)
            top += size * 1.3
        return top


def _credit_spans(block: Block) -> list[tuple[int, int]]:
    spans, at = [], 0
    for kind, text in block.segments:
        if kind == CREDIT:
            spans.append((at, at + len(text)))
        at += len(text)
    return spans


def _line_role(block: Block, piece: Wrapped, credit: list[tuple[int, int]]) -> str:
    """A lead paragraph's lines that carry its dateline are dateline lines; the rest are body."""
    if block.role != "dateline":
        return block.role
    touches = any(start < piece.end and piece.start < end for start, end in credit)
    return "dateline" if touches else "body"


def choose_grid(rng: random.Random, chars: int) -> Grid:
    """Three to six columns of 11–16 characters at 9–10 pt, gutters wide enough to read apart;
    more columns for a fuller page, so that pages keep a broadsheet's proportions."""
    size = rng.choice((9.0, 9.5, 10.0))
    columns = rng.choice((3, 4) if chars < 3000 else (4, 5) if chars < 6000 else (5, 6))
    return Grid(
        columns,
        size * rng.randint(11, 16),
        size * rng.uniform(2.2, 3.0),
        36.0,
        size,
        size * rng.uniform(1.35, 1.6),
    )


def story_span(story: Story, grid: Grid, rng: random.Random) -> int:
    """How many columns a story takes: the lead most of the page, others by their length."""
    chars = sum(len(b.text) for b in story.blocks)
    if story.lead:
        return max(1, grid.columns - rng.choice((0, 0, 1)))
    if chars < 400:
        wanted = rng.choice((1, 2))
    elif chars < 1500:
        wanted = rng.choice((2, 3))
    else:
        wanted = rng.randint(3, max(3, grid.columns))
    return max(1, min(wanted, grid.columns))


def skyline_slot(skyline: list[float], span: int) -> int:
    """The first column of the run of ``span`` columns whose lowest bottom is highest."""
    starts = range(len(skyline) - span + 1)
    return min(starts, key=lambda s: (max(skyline[s : s + span]), s))
