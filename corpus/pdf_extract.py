"""Text lines out of a PDF with pypdfium2: text, extent and type size per line, in content order.

pypdfium2 (PDFium, Apache-2.0) reads Adobe's CJK CID fonts both ways (STSong-Light, MSung-Light)
and is over ten times faster than pdfminer.six, which returns garbage for MSung-Light text
(``corpus.bench_extractors`` measures both). PDFium ends a line with a generated CR LF where the
baseline changes; its order is the content stream's. A line's extent comes from PDFium's text
rectangles, a few calls a line; character boxes (a call a character, four times the cost of the
rest) are fetched only for the rare lines that need them.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


@dataclass(frozen=True)
class Glyph:
    char: str
    x0: float
    x1: float
    baseline: float  # PDF space: up from the bottom of the page
    size: float


@dataclass(frozen=True)
class TextLine:
    """One line as the extractor reports it."""

    text: str
    x0: float  # from the first inked character's box
    x1: float  # to the last's
    baseline: float  # the lower of their box bottoms: the baseline, for Han characters
    top: float  # the higher, plus the type size: a line merged from several may reach that high
    size: float
    start: int  # its characters' indices in the page's text
    count: int

    @property
    def inked(self) -> int:
        """How many characters of the line are not whitespace."""
        return sum(1 for ch in self.text if not ch.isspace())


def _clean(text: str) -> str:
    """PDFium marks a hyphen ending a line as U+0002 (U+FFFE in its text): the hyphen it was."""
    return text.replace("\x02", "-").replace("\ufffe", "-")


def _box(raw, index: int) -> tuple[float, float, float]:
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(raw, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom),
                                 ctypes.byref(top))  # fmt: skip
    return left.value, right.value, bottom.value


def _line(raw, text: str, start: int) -> TextLine:
    """A line's extent from the boxes of its first and last inked characters (PDFium orders a
    line's characters left to right; its text rectangles skip Han glyphs of fonts it cannot load),
    and its baseline from its first and last Han characters (quotes and dashes sit higher)."""
    inked = [i for i, ch in enumerate(text) if not ch.isspace()]
    han = [i for i in inked if "\u4e00" <= text[i] <= "\u9fff"] or inked
    left, right = _box(raw, start + inked[0])[0], _box(raw, start + inked[-1])[1]
    bottoms = (_box(raw, start + han[0])[2], _box(raw, start + han[-1])[2])
    size = pdfium_c.FPDFText_GetFontSize(raw, start + inked[0])
    return TextLine(
        _clean(text).strip(), left, right, min(bottoms), max(bottoms) + size, size, start, len(text)
    )


@contextmanager
def _text_of_first_page(pdf: bytes) -> Iterator[pdfium.PdfTextPage]:
    document = pdfium.PdfDocument(pdf)
    page = document[0]
    textpage = page.get_textpage()
    try:
        yield textpage
    finally:
        textpage.close()
        page.close()
        document.close()


def extract_lines(pdf: bytes) -> list[TextLine]:
    """The first page's lines, in the order PDFium reads them; blank lines dropped."""
    with _text_of_first_page(pdf) as textpage:
        text = textpage.get_text_range(0, textpage.count_chars())
        lines, start = [], 0
        for piece in text.split("\r\n"):
            if piece.strip():
                lines.append(_line(textpage.raw, piece, start))
            start += len(piece) + 2
        return lines


def line_glyphs(pdf: bytes, lines: list[TextLine]) -> dict[int, tuple[Glyph, ...]]:
    """Each line's characters with their boxes, by the line's ``start``."""
    if not lines:
        return {}
    with _text_of_first_page(pdf) as textpage:
        raw = textpage.raw
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        box = (ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom), ctypes.byref(top))
        found = {}
        for line in lines:
            glyphs = []
            for i in range(line.start, line.start + line.count):
                char = _clean(chr(pdfium_c.FPDFText_GetUnicode(raw, i)))
                pdfium_c.FPDFText_GetCharBox(raw, i, *box)
                glyphs.append(
                    Glyph(char, left.value, right.value, bottom.value, pdfium_c.FPDFText_GetFontSize(raw, i))
                )
            found[line.start] = tuple(glyphs)
        return found
