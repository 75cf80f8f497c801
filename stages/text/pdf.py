"""A newspaper PDF to the text of its pages, or the reason it cannot be read.

PDFium (through pypdfium2, Apache-2.0/BSD) reads the CJK CID fonts newspapers use (Adobe's
STSong and MSung families, Identity-H encodings) and is over ten times faster than
pdfminer.six, which returns garbage for MSung text (``corpus.bench_extractors`` measures both).
Each page's text comes in the content stream's order, one line per baseline; lines are kept
as the text dump of the same page would give them, which is what the page model is trained on
(the composer's "pdf_lines" texture). Pages are joined by a form feed, the page break of a
text dump, so the segmenter can number them.

What cannot be read is refused whole, never half-stored: a file PDFium cannot open
(``damaged``), one that needs a password (``encrypted``), one with no text at all (a scan:
``no_text_layer``; OCR is out of scope), or one whose text is mostly glyphs without a Unicode
mapping (``unreadable_text``).
"""

from __future__ import annotations

import pypdfium2 as pdfium

from stages.items import StageError

PAGE_BREAK = "\f"
MAGIC = b"%PDF-"
# Characters PDFium gives for glyphs it cannot map to Unicode: the private use area, the
# replacement character, control characters.
_UNMAPPED_MAX_SHARE = 0.3


def is_pdf(data: bytes) -> bool:
    """Whether the bytes open like a PDF (its header, after at most some whitespace)."""
    return data[:1024].lstrip().startswith(MAGIC)


def unmapped_share(text: str) -> float:
    """Share of the text's inked characters that are glyphs without a Unicode mapping."""
    inked = [ch for ch in text if not ch.isspace()]
    if not inked:
        return 0.0
    bad = sum(1 for ch in inked
              if "\ue000" <= ch <= "\uf8ff" or ch == "\ufffd" or ord(ch) < 32)
    return bad / len(inked)


def _page_text(document: pdfium.PdfDocument, index: int) -> str:
    page = document[index]
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_range(0, textpage.count_chars())
    finally:
        textpage.close()
        page.close()
    # PDFium ends each line with CR LF and marks a hyphen at a line's end as U+0002.
    lines = (line.replace("\x02", "-").strip() for line in text.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise StageError("encrypted", "The PDF needs a password to be opened.") from None
        raise StageError("damaged", f"The PDF cannot be opened: {error}.") from None


def pdf_text(data: bytes) -> str:
    """The text of every page of the PDF, in page order, pages separated by ``PAGE_BREAK``."""
    document = _open(data)
    try:
        pages = [_page_text(document, i) for i in range(len(document))]
    except pdfium.PdfiumError as error:
        raise StageError("damaged", f"A page of the PDF cannot be read: {error}.") from None
    finally:
        document.close()
    text = PAGE_BREAK.join(pages)
    if not text.replace(PAGE_BREAK, "").strip():
        raise StageError("no_text_layer", f"None of the PDF's {len(pages)} pages has text (a "
                                          "scanned page?); newsflow does not run OCR.")
    if (share := unmapped_share(text)) > _UNMAPPED_MAX_SHARE:
        raise StageError("unreadable_text", f"{share:.0%} of the PDF's characters are glyphs "
                                            "with no Unicode mapping; its text cannot be read.")
    return text
