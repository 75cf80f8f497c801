"""Measuring and breaking text for the PDF page: CID font widths, lines that obey 禁则.

A line never starts with closing punctuation (，。、）」 and the like): such a mark stays on the line
before, hanging into the margin, as Chinese typesetting does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

NO_LINE_START = set("，。、；：！？）」』”’》〉】〕…,.;:!?)%")


@cache
def register(font: str) -> str:
    """Register a CID font with reportlab once per process (no download: Adobe's CJK CID fonts)."""
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    return font


class Measure:
    """Glyph advance widths of one font, cached per character at 1 pt."""

    def __init__(self, font: str) -> None:
        self.font = register(font)
        self._widths: dict[str, float] = {}

    def char(self, ch: str) -> float:
        """The advance of one character at 1 pt."""
        width = self._widths.get(ch)
        if width is None:
            width = self._widths[ch] = pdfmetrics.stringWidth(ch, self.font, 1.0)
        return width

    def text(self, text: str, size: float) -> float:
        """The advance of ``text`` at ``size`` pt."""
        return sum(self.char(ch) for ch in text) * size


@dataclass(frozen=True)
class Wrapped:
    text: str
    start: int  # offsets of the line in the block's text
    end: int
    indent: float
    width: float


def wrap(text: str, width: float, size: float, measure: Measure, indent: float = 0.0) -> list[Wrapped]:
    """Greedy lines of at most ``width`` points, the first indented by ``indent``."""
    lines: list[Wrapped] = []
    start, used, room = 0, 0.0, width - indent
    for i, ch in enumerate(text):
        advance = measure.char(ch) * size
        if used + advance > room and i > start and ch not in NO_LINE_START:
            lines.append(Wrapped(text[start:i], start, i, width - room, used))
            start, used, room = i, 0.0, width
        used += advance
    if start < len(text):
        lines.append(Wrapped(text[start:], start, len(text), width - room, used))
    return lines
