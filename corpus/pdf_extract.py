"""Text lines out of a composed PDF, and the boxes of their characters for labelling.

The lines are read as newsflow's own PDF reader reads them (``stages.text.pdf_lines``); pdfminer.six,
the alternative, is ten times slower and returns garbage for MSung-Light text
(``corpus.bench_extractors`` measures both). Character boxes (a call a character, four times the
cost of the rest) are fetched only for the rare lines whose drawn line is not clear from the line's
extent."""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from stages.text.pdf_lines import TextLine, clean, text_lines


@dataclass(frozen=True)
class Glyph:
    char: str
    x0: float
    x1: float
    baseline: float  # PDF space: up from the bottom of the page
    size: float


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
        return text_lines(textpage)


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
                char = clean(chr(pdfium_c.FPDFText_GetUnicode(raw, i)))
                pdfium_c.FPDFText_GetCharBox(raw, i, *box)
                glyphs.append(
                    Glyph(char, left.value, right.value, bottom.value, pdfium_c.FPDFText_GetFontSize(raw, i))
                )
            found[line.start] = tuple(glyphs)
        return found
