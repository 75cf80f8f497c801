"""Extracted PDF text labelled by geometry, in two textures: ``pdf_lines`` and ``pdf_blocks``.

Each extracted glyph is matched to the drawn line under it (same baseline, inside its extent), so
an extracted line takes the role and item of the drawn lines it covers: the majority when it mixes
several (counted; the layout keeps it rare), a dateline when it carries a lead's dateline. Lines
group into text blocks as newsflow's PDF reader groups them (``stages.text.pdf_lines``): blocks are
what ``pdf_blocks`` joins into one line and what ``pdf_lines`` separates with a blank line.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.labels import LabelledLine
from corpus.pdf_extract import Glyph
from corpus.pdf_layout import DrawnLine, Layout
from stages.text.pdf_lines import TextLine

BLANK = LabelledLine("", None, None, False)


class DrawnIndex:
    """Drawn lines by baseline, for finding the ones under an extracted line or glyph."""

    def __init__(self, layout: Layout) -> None:
        self.lines = layout.lines
        self._rows: dict[int, list[int]] = defaultdict(list)
        for n, line in enumerate(layout.lines):
            self._rows[round(layout.height - line.top)].append(n)

    def _near(self, bottom: float, size: float) -> Iterator[DrawnLine]:
        """Lines whose baseline may lie under a box starting at ``bottom``. PDFium boxes the ink, so
        quotes and dashes sit above the baseline: up to 0.6 of the type size."""
        for row in range(round(bottom - 0.6 * size), round(bottom + 0.3 * size) + 1):
            yield from (self.lines[n] for n in self._rows.get(row, ()))

    def covering(self, line: TextLine) -> list[DrawnLine]:
        """The drawn lines an extracted line overlaps by more than a point: PDFium may merge lines
        of a few points' difference in height into one, so all baselines under its box count."""
        rows = range(round(line.baseline - 0.6 * line.size), round(line.top) + 1)
        near = (self.lines[n] for row in rows for n in self._rows.get(row, ()))
        return [d for d in near if min(line.x1, d.x + d.width) - max(line.x0, d.x) > 1]

    def under(self, glyph: Glyph) -> DrawnLine | None:
        """The drawn line a glyph was drawn in, or None."""
        middle = (glyph.x0 + glyph.x1) / 2
        return next(
            (d for d in self._near(glyph.baseline, glyph.size) if d.x - 0.5 <= middle <= d.x + d.width + 0.5),
            None,
        )


@dataclass(frozen=True)
class Tally:
    """Where one extracted line's characters were drawn."""

    role: str | None
    item: int | None
    first: tuple[int, int] | None  # earliest drawn line of ``item`` in reading order
    mixed: bool  # characters from more than one (role, item), a lead's dateline and body aside
    unmatched: int


def _kind(drawn: DrawnLine) -> tuple[str, int | None]:
    return ("body" if drawn.role == "dateline" else drawn.role), drawn.item


def votes(line: TextLine, index: DrawnIndex, glyphs: dict[int, tuple[Glyph, ...]]) -> Counter:
    """How many inked characters of ``line`` lie on each drawn line (None: on none). One lookup
    for the whole line when a single drawn line is under it."""
    if line.start not in glyphs:
        covering = index.covering(line)
        return Counter({covering[0] if covering else None: line.inked})
    return Counter(index.under(g) for g in glyphs[line.start] if not g.char.isspace())


def tally(drawn: Counter) -> Tally:
    """The majority role and item of some characters, by the drawn lines under them."""
    unmatched = drawn.pop(None, 0)
    if not drawn:
        return Tally(None, None, None, False, unmatched)
    kinds: Counter = Counter()
    for line, count in drawn.items():
        kinds[_kind(line)] += count
    role, item = kinds.most_common(1)[0][0]
    mine = [d for d in drawn if _kind(d) == (role, item)]
    if any(d.role == "dateline" for d in mine):
        role = "dateline"
    return Tally(role, item, min(d.order for d in mine), len(kinds) > 1, unmatched)


def needs_glyphs(lines: list[TextLine], index: DrawnIndex) -> list[TextLine]:
    """The lines that lie over more than one drawn line (or none): they are labelled glyph by glyph."""
    return [line for line in lines if len(index.covering(line)) != 1]


@dataclass
class PdfLabels:
    lines: list[LabelledLine]
    mixed: int  # labelled lines that mix roles or items
    labelled: int  # non-blank lines
    unmatched: int  # glyphs under no drawn line


def label_texture(
    blocks: list[list[TextLine]], index: DrawnIndex, glyphs: dict[int, tuple[Glyph, ...]], joined: bool
) -> PdfLabels:
    """``pdf_blocks`` (``joined``: a block per line) or ``pdf_lines`` (a visual line per line)."""
    units = [[block] for block in blocks] if joined else [[[line] for line in block] for block in blocks]
    rows: list[tuple[str, Tally, float | None] | None] = []
    for group in units:
        if rows:
            rows.append(None)
        for part in group:
            drawn = tally(sum((votes(line, index, glyphs) for line in part), Counter()))
            rows.append((_joined_text(part), drawn, None if joined else part[0].size))
    return _labelled(rows)


def _joined_text(lines: list[TextLine]) -> str:
    text = ""
    for line in lines:
        piece = line.text
        text += (
            " " if text and text[-1].isascii() and piece[:1].isascii() and text[-1].isalnum() else ""
        ) + piece
    return text


def _labelled(rows: list[tuple[str, Tally, float | None] | None]) -> PdfLabels:
    """Labelled lines; each item starts on its line holding the item's first drawn line."""
    firsts: dict[int, tuple[tuple[int, int], int]] = {}
    for n, row in enumerate(rows):
        if (
            row
            and row[1].item is not None
            and (row[1].item not in firsts or row[1].first < firsts[row[1].item][0])
        ):
            firsts[row[1].item] = (row[1].first, n)
    starts = {n for _, n in firsts.values()}
    lines, mixed, unmatched = [], 0, 0
    for n, row in enumerate(rows):
        if row is None:
            lines.append(BLANK)
            continue
        text, t, size = row
        lines.append(LabelledLine(text, t.role, t.item, n in starts, size))
        mixed += t.mixed
        unmatched += t.unmatched
    return PdfLabels(lines, mixed, sum(1 for r in rows if r), unmatched)
