"""A newspaper PDF to the text of its pages, or the reason it cannot be read.

PDFium (through pypdfium2, Apache-2.0/BSD) reads the CJK CID fonts newspapers use (Adobe's
STSong and MSung families, Identity-H encodings) and is over ten times faster than
pdfminer.six, which returns garbage for MSung text (``corpus.bench_extractors`` measures both).
Each page's text comes one line per baseline, its text blocks (a headline, a paragraph, a
caption) apart by a blank line (``stages.text.pdf_lines``): the text dump the page model is
trained on (the composer's "pdf_lines" texture reads its PDFs so), in the content stream's
order unless that is out of reading order (``stages.text.pdf_order``). Pages are joined by
a form feed, the page break of a text dump, so the segmenter can number them.

What cannot be read is refused whole, never half-stored: a file PDFium cannot open
(``damaged``), one that needs a password (``encrypted``), one with no text at all (a scan:
``no_text_layer``; OCR is out of scope), or one whose text is mostly glyphs without a Unicode
mapping (``unreadable_text``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pypdfium2 as pdfium

from stages.items import StageError
from stages.text.pdf_lines import cut_at_gaps, dump_text, line_sizes, text_blocks, text_lines
from stages.text.pdf_order import reading_order

PAGE_BREAK = "\f"
MAGIC = b"%PDF-"
# Characters PDFium gives for glyphs it cannot map to Unicode: the private use area, the
# replacement character, control characters (those that are not whitespace).
_UNMAPPED = re.compile("[\ue000-\uf8ff\ufffd\x00-\x08\x0e-\x1b]")
_SPACE = re.compile(r"\s")  # str.isspace's characters
_UNMAPPED_MAX_SHARE = 0.3
# PDFium keeps every object it has parsed until the document is closed (some 40 KB a
# broadsheet page, never freed while the file is read): reopening the file every so many pages
# keeps memory flat over a long PDF, for a new parse of the cross-reference table each time.
PAGES_PER_OPEN = 50


def is_pdf(data: bytes) -> bool:
    """Whether the bytes open like a PDF (its header, after at most some whitespace)."""
    return data[:1024].lstrip().startswith(MAGIC)


def _glyph_counts(text: str) -> tuple[int, int]:
    """The text's inked characters, and how many of them are glyphs without a Unicode mapping;
    counted without a copy of the text (a 500-page file holds millions of characters)."""
    inked = len(text) - sum(1 for _ in _SPACE.finditer(text))
    return inked, sum(1 for _ in _UNMAPPED.finditer(text))


def unmapped_share(text: str) -> float:
    """Share of the text's inked characters that are glyphs without a Unicode mapping."""
    inked, unmapped = _glyph_counts(text)
    return unmapped / inked if inked else 0.0


def _page_text(document: pdfium.PdfDocument, index: int) -> tuple[str, str]:
    """A page's text dump and the type sizes of its lines (``stages.text.pdf_lines``)."""
    page = document[index]
    textpage = page.get_textpage()
    try:
        lines = text_lines(textpage, at_gaps=True)
        blocks = reading_order(text_blocks(lines, anywhere=cut_at_gaps(lines)))
        return dump_text(blocks), line_sizes(blocks)
    finally:
        textpage.close()
        page.close()


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise StageError("encrypted", "The PDF needs a password to be opened.") from None
        # PDFium rebuilds a broken cross-reference table by scanning the file for objects;
        # what fails here failed that too (a file cut short, one with no trailer).
        raise StageError("damaged", "The PDF cannot be opened, even with its cross-reference "
                                    f"table rebuilt: {str(error).rstrip('.')}.") from None


def _page_texts(data: bytes) -> Iterator[tuple[str, str]]:
    """Each page's text in page order, the file reopened every ``PAGES_PER_OPEN`` pages."""
    document, index = _open(data), 0
    try:
        for index in range(len(document)):
            if index and index % PAGES_PER_OPEN == 0:
                document.close()
                document = _open(data)
            yield _page_text(document, index)
    except pdfium.PdfiumError as error:
        raise StageError("damaged", f"Page {index + 1} of the PDF cannot be read: "
                                    f"{str(error).rstrip('.')}.") from None
    finally:
        document.close()


def read_pdf(data: bytes) -> tuple[str, str]:
    """The text of every page of the PDF, in page order, pages separated by ``PAGE_BREAK``,
    and the type sizes of its lines, pages separated the same way."""
    pages, sizes, inked, unmapped = [], [], 0, 0
    for text, page_sizes in _page_texts(data):
        pages.append(text)
        sizes.append(page_sizes)
        counts = _glyph_counts(text)
        inked, unmapped = inked + counts[0], unmapped + counts[1]
    if not inked:
        raise StageError("no_text_layer", f"None of the PDF's {len(pages)} pages has text (a "
                                          "scanned page?); newsflow does not run OCR.")
    if (share := unmapped / inked) > _UNMAPPED_MAX_SHARE:
        raise StageError("unreadable_text", f"{share:.0%} of the PDF's characters are glyphs "
                                            "with no Unicode mapping; its text cannot be read.")
    return PAGE_BREAK.join(pages), PAGE_BREAK.join(sizes)


def pdf_text(data: bytes) -> str:
    """The text of every page of the PDF (:func:`read_pdf` without the sizes)."""
    return read_pdf(data)[0]
