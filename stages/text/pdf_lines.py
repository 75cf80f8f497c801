"""A PDF page's text lines with their extent and type size, and the text blocks they form.

PDFium ends a line with a generated CR LF where the baseline changes, in the content stream's
order. A line's extent comes from the boxes of its first and last inked characters, a few
calls a line; its type size from its first (the font size times the text's scale). Text set
side by side on one baseline and written one after the other comes as one line, cut apart
where a wide gap opens in it (``text_lines(…, at_gaps=True)``). Lines then group into text blocks as
extractors group them (same type size, one line pitch apart, no indent, the line before
running to the block's right edge): a headline, a paragraph, a byline, a caption. A blank
line between blocks is what a text dump of the page shows, and what the page model reads
as a gap.
"""

from __future__ import annotations

import ctypes
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


@dataclass(frozen=True)
class TextLine:
    """One line as PDFium reports it (PDF space: y grows up from the bottom of the page)."""

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


def clean(text: str) -> str:
    """PDFium marks a hyphen ending a line as U+0002 (U+FFFE in its text): the hyphen it was."""
    return text.replace("\x02", "-").replace("\ufffe", "-")


def _box(raw, index: int) -> tuple[float, float, float]:
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    pdfium_c.FPDFText_GetCharBox(raw, index, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom),
                                 ctypes.byref(top))  # fmt: skip
    return left.value, right.value, bottom.value


def type_size(raw, index: int) -> float:
    """The size a character is printed at, in points: the font size its text object sets,
    scaled by the matrices it is drawn through. Many PDF writers set every font at size 1 and
    scale the text matrix instead (``/F1 1 Tf 20 0 0 20 x y Tm``), where the font size alone
    would make a headline and its body the same size."""
    matrix = pdfium_c.FS_MATRIX()
    scale = 1.0
    if pdfium_c.FPDFText_GetMatrix(raw, index, ctypes.byref(matrix)):
        scale = math.sqrt(abs(matrix.a * matrix.d - matrix.b * matrix.c)) or 1.0
    return pdfium_c.FPDFText_GetFontSize(raw, index) * scale


def _line(raw, text: str, start: int) -> TextLine:
    """A line's extent from the boxes of its first and last inked characters (PDFium orders a
    line's characters left to right; its text rectangles skip Han glyphs of fonts it cannot load),
    and its baseline from its first and last Han characters (quotes and dashes sit higher)."""
    inked = [i for i, ch in enumerate(text) if not ch.isspace()]
    han = [i for i in inked if "\u4e00" <= text[i] <= "\u9fff"] or inked
    left, right = _box(raw, start + inked[0])[0], _box(raw, start + inked[-1])[1]
    bottoms = (_box(raw, start + han[0])[2], _box(raw, start + han[-1])[2])
    size = type_size(raw, start + inked[0])
    return TextLine(
        clean(text).strip(), left, right, min(bottoms), max(bottoms) + size, size, start, len(text)
    )


def text_lines(textpage: pdfium.PdfTextPage, at_gaps: bool = False) -> list[TextLine]:
    """The page's lines, in the order PDFium reads them; blank lines dropped. With ``at_gaps``,
    each line is cut where a gap wider than two characters opens inside it: PDFium makes one
    line of text set side by side on one baseline when the PDF writes it one after the other
    (some writers set a page line by line across its columns: 今年以来，城区利用边角空 每到周三
    晚上，村文化礼堂); the gap is where a space stands in its text."""
    text = textpage.get_text_range(0, textpage.count_chars())
    lines, start = [], 0
    for piece in text.split("\r\n"):
        if piece.strip():
            spaced = at_gaps and (" " in piece.strip() or "\u3000" in piece.strip())
            lines.extend(_pieces(textpage.raw, piece, start) if spaced
                         else [_line(textpage.raw, piece, start)])
        start += len(piece) + 2
    return lines


def cut_at_gaps(lines: list[TextLine]) -> bool:
    """Whether some of the lines are pieces of one line cut at a gap (no line break between)."""
    return any(b.start == a.start + a.count for a, b in zip(lines, lines[1:], strict=False))


def _pieces(raw, text: str, start: int) -> list[TextLine]:
    """The line ``text`` (at ``start`` in the page's text) cut at its wide gaps."""
    inked = [i for i, ch in enumerate(text) if not ch.isspace()]
    gap = _GAP * type_size(raw, start + inked[0])
    cuts = [i for i, j in zip(inked, inked[1:], strict=False)
            if j > i + 1 and _box(raw, start + j)[0] - _box(raw, start + i)[1] > gap]
    bounds = [0, *(i + 1 for i in cuts), len(text)]
    return [_line(raw, text[a:b], start + a) for a, b in zip(bounds, bounds[1:], strict=False)
            if text[a:b].strip()]


_GAP = 2.0  # a gap inside a line this many type sizes wide parts two pieces of text


def _continues(block: list[TextLine], right: float, line: TextLine) -> bool:
    """True when ``line`` carries on the text block above it, whose lines reach ``right``."""
    last = block[-1]
    size = last.size
    if abs(line.size - size) > 0.3 or not 0.8 * size <= last.baseline - line.baseline <= 2.0 * size:
        return False
    left = block[1].x0 if len(block) > 1 else block[0].x0
    if not left - 2.6 * size <= line.x0 <= left + 0.6 * size:
        return False
    # a short line above, or a longer one here, ends the block
    return last.x1 >= right - 1.5 * size and line.x1 <= right + 1.5 * size


def text_blocks(lines: list[TextLine], anywhere: bool = False) -> list[list[TextLine]]:
    """Extracted lines grouped into text blocks: each line carries on the block just before it,
    or starts one; with ``anywhere`` (text written line by line across columns), it carries
    on whichever of the recent blocks it continues."""
    blocks: list[list[TextLine]] = []
    rights: list[float] = []
    for line in lines:
        recent = range(len(blocks) - 1, max(len(blocks) - (_RECENT if anywhere else 1), 0) - 1, -1)
        into = next((n for n in recent if _continues(blocks[n], rights[n], line)), None)
        if into is None:
            blocks.append([line])
            rights.append(line.x1)
        else:
            blocks[into].append(line)
            rights[into] = max(rights[into], line.x1)
    return blocks


_RECENT = 12  # blocks a line written across columns may carry on


def dump_text(blocks: list[list[TextLine]]) -> str:
    """The blocks as a text dump gives them: a line per line, a blank line between blocks."""
    return "\n\n".join("\n".join(line.text for line in block) for block in blocks)



def line_sizes(blocks: list[list[TextLine]]) -> str:
    """The type size of each line of :func:`dump_text`, in points, as one compact string."""
    return " ".join(f"{line.size:.1f}" for block in blocks for line in block)


def read_sizes(sizes: str) -> list[float]:
    """:func:`line_sizes` back to numbers."""
    return [float(size) for size in sizes.split()]


def body_size(texts: Sequence[str], sizes: Sequence[float]) -> float:
    """The size that most of a page's characters are set in (1.0 for a page with none)."""
    weight: Counter = Counter()
    for text, size in zip(texts, sizes, strict=True):
        weight[round(size, 1)] += len(text)
    return weight.most_common(1)[0][0] if weight else 1.0
