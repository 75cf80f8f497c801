"""Setting stories on the broadsheet grid: headline stacks, pictures with captions, balanced columns."""

from __future__ import annotations

import random
from itertools import groupby

from corpus.blocks import Block, LogicalPage, Story
from corpus.pdf_layout import FONTS, Layout, Picture, Setter, choose_grid, skyline_slot, story_span
from corpus.pdf_text import Measure, Wrapped, wrap

FURNITURE_SIZE = 8.5


def layout_page(page: LogicalPage, rng: random.Random) -> Layout:
    """Every line of the page placed: running head, stories on the skyline, foot."""
    layout = Layout(FONTS[page.form.script], choose_grid(rng, sum(len(b.text) for b in page.blocks())))
    setter = Setter(layout, Measure(layout.font), rng, {id(b): i for i, b in enumerate(page.blocks())})
    grid = layout.grid
    top = furniture(setter, page.top, grid.margin)
    layout.rules.append((grid.margin, grid.page_width - grid.margin, top))
    skyline = [top + grid.size * 2] * grid.columns
    for story in page.stories:
        place_story(setter, story, skyline)
    layout.height = furniture(setter, page.bottom, max(skyline) + grid.size) + grid.margin
    return layout


def furniture(setter: Setter, blocks: tuple[Block, ...], top: float) -> float:
    """Running head or foot lines at 8.5 pt, spread over the page width; returns the top below them."""
    frame = setter.layout.new_frame()
    grid = setter.layout.grid
    for block in blocks:
        top += FURNITURE_SIZE * 1.6
        line = wrap(block.text, grid.width(grid.columns), FURNITURE_SIZE, setter.measure)[:1]
        x = grid.margin + setter.rng.choice((0.0, (grid.width(grid.columns) - line[0].width) / 2))
        setter.emit(block, line, (x, top), FURNITURE_SIZE, frame)
    return top + FURNITURE_SIZE


def place_story(setter: Setter, story: Story, skyline: list[float]) -> None:
    """Set one story on the skyline's highest run of columns and raise the skyline under it."""
    grid, rng = setter.layout.grid, setter.rng
    span = story_span(story, grid, rng)
    first = skyline_slot(skyline, span)
    top = max(skyline[first : first + span])
    top = set_head(setter, [b for b in story.blocks if b.zone == "head"], (first, span), top, story.lead)
    starts = [top] * span
    pictures = [
        list(g) for _, g in groupby((b for b in story.blocks if b.zone == "picture"), key=lambda b: b.item)
    ]
    body = [b for b in story.blocks if b.zone == "body"]
    for group in pictures:
        wide = span if not body else min(span, rng.choice((1, 2)))
        set_picture(setter, group, (first, wide), starts)
    bottom = flow(setter, body, first, starts) if body else max(starts)
    skyline[first : first + span] = [bottom + grid.size * 1.5] * span
    if rng.random() < 0.5:
        setter.layout.rules.append(
            (grid.x(first), grid.x(first) + grid.width(span), bottom + grid.size * 0.6)
        )


def _head_size(block: Block, setter: Setter, width: float, lead: bool) -> float:
    """Titles biggest (the lead's most), kicker and subtitle smaller, bylines at body size."""
    body = setter.layout.grid.size
    if block.role == "title":
        size = setter.rng.uniform(24, 32) if lead else setter.rng.uniform(15, 22)
        return max(12.0, min(size, width / max(setter.measure.text(block.text, 1.0), 1.0)))
    if block.role in ("kicker", "subtitle"):
        return setter.rng.uniform(11.5, 14)
    return body + 0.5


def set_head(setter: Setter, blocks: list[Block], columns: tuple[int, int], top: float, lead: bool) -> float:
    """The headline stack across the story's columns, centred or flush left; returns the top below it."""
    if not blocks:
        return top
    grid = setter.layout.grid
    x, width = grid.x(columns[0]), grid.width(columns[1])
    centred = setter.rng.random() < 0.5
    frame = setter.layout.new_frame()
    for block in blocks:
        size = _head_size(block, setter, width, lead)
        for n, piece in enumerate(wrap(block.text, width, size, setter.measure)):
            shift = (width - piece.width) / 2 if centred else 0.0
            baseline = top + size
            setter.emit(block, [piece], (x + shift, baseline), size, frame, first=n)
            top = baseline + size * 0.3
        top += size * 0.2
    return top + grid.size * 0.5


def set_picture(setter: Setter, group: list[Block], columns: tuple[int, int], starts: list[float]) -> None:
    """A grey picture over ``columns`` with its caption and credit under it; lowers those columns' tops."""
    grid, rng = setter.layout.grid, setter.rng
    first, span = columns
    x, width = grid.x(first), grid.width(span)
    top = max(starts[:span])
    height = width * rng.uniform(0.5, 0.8)
    frame = setter.layout.new_frame()
    setter.layout.pictures.append(Picture(x, top, width, height, frame))
    top += height + grid.size * 0.6
    size = grid.size - 0.5
    for block in group:
        pieces = wrap(block.text, width, size, setter.measure)
        shift = width - pieces[0].width if block.role == "credit" and rng.random() < 0.5 else 0.0
        top += size * 0.9 if block.role == "credit" else 0.0  # set off from the caption, as printed
        top = setter.emit(block, pieces, (x + shift, top + size), size, frame) - size
    starts[:span] = [top + grid.size] * span


def _body_lines(setter: Setter, block: Block) -> list[Wrapped]:
    """A body-zone block broken at the column width, indented or aligned as its role is set."""
    grid, measure = setter.layout.grid, setter.measure
    em = grid.size * measure.char("中")
    if block.role in ("body", "dateline"):
        return wrap(block.text, grid.column_width, grid.size, measure, indent=2 * em)
    pieces = wrap(block.text, grid.column_width, grid.size, measure)
    if block.role in ("subhead", "jump", "tail") and len(pieces) == 1:
        room = grid.column_width - pieces[0].width
        shift = room / 2 if block.role == "subhead" else room * setter.rng.choice((0.0, 1.0))
        return [Wrapped(pieces[0].text, pieces[0].start, pieces[0].end, shift, pieces[0].width)]
    return pieces


def flow(setter: Setter, blocks: list[Block], first: int, starts: list[float]) -> float:
    """Pour the body's lines into the story's columns, balanced to one bottom; returns that bottom."""
    grid = setter.layout.grid
    slots: list[tuple[Block, int, Wrapped] | None] = []
    for block in blocks:  # most papers set a subhead or a closing credit a line apart
        if slots and block.role in ("subhead", "tail") and setter.rng.random() < 0.8:
            slots.append(None)
        slots += [(block, n, piece) for n, piece in enumerate(_body_lines(setter, block))]
    # never above a picture's caption, however few lines the story has
    bottom = max(min(starts) + grid.leading * -(-len(slots) // len(starts)), max(starts))
    while sum(max(0, int((bottom - s) // grid.leading)) for s in starts) < len(slots):
        bottom += grid.leading
    at = 0
    for j, start in enumerate(starts):
        frame = setter.layout.new_frame()
        for row in range(max(0, int((bottom - start) // grid.leading))):
            if at == len(slots):
                break
            if slots[at] is not None:
                block, n, piece = slots[at]
                top = start + grid.size + row * grid.leading
                setter.emit(block, [piece], (grid.x(first + j), top), grid.size, frame, first=n)
            at += 1
    return bottom
