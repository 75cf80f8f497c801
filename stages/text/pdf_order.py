"""Reading order for a PDF page whose content stream holds its text frames out of it.

A layout program writes a page's text frames (a headline stack, a column of a story, a
caption) in whatever order it keeps them, and PDFium reads them in that order. Most pages
keep reading order, and then nothing is moved: moving blocks by geometry alone would cut
stories that sit side by side. A page is taken for out of order when a column of body text
ends mid-sentence and what follows it is neither the rest of that sentence nor the text right
under it, or when a headline comes after the text set right under it (its frame written
later): ``out_of_order``. Such a page is read story by story instead (``by_story``): each
block of body text belongs to the headline stack above it (the nearest headline between it
and the text above it in its column, else the story of that text); stories follow their
headlines top down, left to right, and within a story the lines set above its columns (a
byline, a centred subtitle) come first, then each column top down, left to right. Text that
no headline is over (page furniture, a continuation from another page) keeps its place by
position.
"""

from __future__ import annotations

from dataclasses import dataclass

from stages.text.pdf_lines import TextLine, body_size

Block = list[TextLine]

# A block set this much larger than the body is a headline (a kicker or subtitle included).
HEADLINE_RATIO = 1.15
# Text that ends with one of these does not run on into the next column.
_CLOSED = tuple("。！？!?…”’」』）)：:；;—")


@dataclass(frozen=True)
class _Box:
    n: int  # the block's place in content order
    x0: float
    x1: float
    top: float  # PDF space: y grows up
    bottom: float
    size: float

    @classmethod
    def of(cls, n: int, block: Block) -> _Box:
        return cls(n, min(line.x0 for line in block), max(line.x1 for line in block),
                   max(line.top for line in block), min(line.baseline for line in block),
                   max(line.size for line in block))

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def _overlap(a: _Box, b: _Box) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def _gap(a: _Box, b: _Box) -> float:
    """The horizontal distance between two boxes (0 when they overlap)."""
    return max(0.0, -_overlap(a, b))


def reading_order(blocks: list[Block]) -> list[Block]:
    """The page's text blocks in reading order: as they came, unless they came out of it."""
    body = body_size([line.text for block in blocks for line in block],
                     [line.size for block in blocks for line in block])
    boxes = [_Box.of(n, block) for n, block in enumerate(blocks)]
    if not out_of_order(blocks, boxes, body):
        return blocks
    return [blocks[n] for n in by_story(boxes, body)]


def out_of_order(blocks: list[Block], boxes: list[_Box], body: float) -> bool:
    """Whether the blocks (and their ``boxes``) came out of reading order (see the module's
    docstring)."""
    return _sentence_breaks_off(blocks, boxes, body) or _headline_after_its_text(boxes, body)


def _sentence_breaks_off(blocks: list[Block], boxes: list[_Box], body: float) -> bool:
    """Whether a block of body text that ends mid-sentence at full width is followed by one
    that neither carries the sentence on (flush left, body size) nor sits right under it."""
    def is_body(block: Block) -> bool:
        return abs(block[0].size - body) <= 0.3

    for n in range(len(blocks) - 1):
        first, then, a, b = blocks[n], blocks[n + 1], boxes[n], boxes[n + 1]
        if not is_body(first) or len(first) < 2 or first[-1].text.rstrip().endswith(_CLOSED):
            continue
        if first[-1].x1 < max(line.x1 for line in first) - 1.5 * body:
            continue  # its last line is short: a paragraph's end
        if _overlap(a, b) > 0 and 0 <= a.bottom - b.top <= 2.5 * body:
            continue  # the text right under it
        flush = then[0].x0 <= b.x0 + 0.5 * body
        if not is_body(then) or (len(then) > 1 and not flush):
            return True
    return False


def _headline_after_its_text(boxes: list[_Box], body: float) -> bool:
    """Whether a headline comes after the text set right under it (its frame written later)."""
    for head in (box for box in boxes if box.size >= HEADLINE_RATIO * body):
        if any(box.n < head.n - 1 and _overlap(head, box) > 0.5 * min(head.width, box.width)
               and 0 <= head.bottom - box.top <= 2.5 * max(head.size, body) for box in boxes):
            return True
    return False


def by_story(boxes: list[_Box], body: float) -> list[int]:
    """The blocks' places in content order, story by story (see the module's docstring)."""
    stacks = _headline_stacks(boxes, body)
    stack_of = {box.n: k for k, stack in enumerate(stacks) for box in stack}
    owner = _owners(boxes, stacks, stack_of)
    units = [(max(h.top for h in stack), min(h.x0 for h in stack),
              [h.n for h in stack] + _story_order([b for b in boxes if owner.get(b.n) == k], body))
             for k, stack in enumerate(stacks)]
    units += [(box.top, box.x0, [box.n]) for box in boxes
              if box.n not in stack_of and owner.get(box.n) is None]
    units.sort(key=lambda unit: (-unit[0], unit[1]))
    return [n for unit in units for n in unit[2]]


def _headline_stacks(boxes: list[_Box], body: float) -> list[list[_Box]]:
    """Headline blocks, those that follow each other in content order one under the other
    as one stack (kicker, title, subtitle)."""
    stacks: list[list[_Box]] = []
    for box in boxes:
        if box.size < HEADLINE_RATIO * body:
            continue
        last = stacks[-1][-1] if stacks else None
        if last is not None and last.n == box.n - 1 and \
                0 <= last.bottom - box.top <= 2.5 * max(last.size, box.size) and _gap(last, box) < 2 * body:
            stacks[-1].append(box)
        else:
            stacks.append([box])
    return stacks


def _owners(boxes: list[_Box], stacks: list[list[_Box]], stack_of: dict[int, int]) -> dict[int, int | None]:
    """Each non-headline block's story: the headline between it and the text above it in its
    column (one over it first, else the nearest), else the story of that text above."""
    heads = [box for stack in stacks for box in stack]
    texts = [box for box in boxes if box.n not in stack_of]
    owner: dict[int, int | None] = {}

    def find(box: _Box) -> int | None:
        if box.n in owner:
            return owner[box.n]
        owner[box.n] = None  # while it is being looked for: no cycle through it
        above = [t for t in texts if t is not box and t.bottom > box.top - 0.5
                 and _overlap(t, box) > 0.3 * min(box.width, t.width)]
        near = min(above, key=lambda t: t.bottom, default=None)
        floor = near.bottom if near else float("inf")
        between = [h for h in heads if h.bottom > box.top - 0.5 and h.top < floor + 0.5]
        if between:
            over = [h for h in between if _overlap(h, box) > 0]
            pick = (min(over, key=lambda h: h.bottom) if over
                    else min(between, key=lambda h: (_gap(h, box), h.bottom)))
            owner[box.n] = stack_of[pick.n]
        elif near is not None:
            owner[box.n] = find(near)
        return owner[box.n]

    for box in texts:
        find(box)
    return owner


def _story_order(members: list[_Box], body: float) -> list[int]:
    """A story's blocks under its headline: those set above every column's first line first,
    top down, then column by column, each top down."""
    if not members:
        return []
    widths = sorted(box.width for box in members)
    column_width = widths[len(widths) * 3 // 4]
    wide = [box for box in members if box.width >= 0.8 * column_width]
    starts: list[float] = []
    for box in sorted(wide, key=lambda b: b.x0):
        if not starts or box.x0 - starts[-1] > 3 * body:
            starts.append(box.x0)
    columns_top = max((box.top for box in wide), default=max(box.top for box in members))

    def column(box: _Box) -> int:
        middle = (box.x0 + box.x1) / 2
        inside = [k for k, x in enumerate(starts) if x - body <= middle <= x + column_width + body]
        if inside or not starts:
            return inside[0] if inside else 0
        return min(range(len(starts)), key=lambda k: abs(starts[k] - box.x0))

    above = sorted((box for box in members if box not in wide and box.bottom > columns_top - 0.5 * body),
                   key=lambda b: -b.top)
    rest = sorted((box for box in members if box not in above), key=lambda b: (column(b), -b.top))
    return [box.n for box in above + rest]
