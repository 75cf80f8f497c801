"""A logical page through a real PDF: laid out, drawn with reportlab, read back with pypdfium2, labelled."""

from __future__ import annotations

import random
from dataclasses import dataclass

from corpus.blocks import LogicalPage
from corpus.labels import LabelledLine
from corpus.pdf_draw import draw_pdf, frame_order
from corpus.pdf_extract import extract_lines, line_glyphs
from corpus.pdf_layout import Layout
from corpus.pdf_stories import layout_page
from corpus.pdf_texture import DrawnIndex, label_texture, needs_glyphs
from stages.text.pdf_lines import text_blocks


@dataclass(frozen=True)
class PdfPage:
    pdf: bytes
    layout: Layout
    order: str  # "reading" or "swapped": the content order of the text frames


def render_pdf(page: LogicalPage, rng: random.Random) -> PdfPage:
    """The page laid out and drawn; the same ``rng`` state gives the same bytes."""
    layout = layout_page(page, rng)
    order, name = frame_order(layout, rng)
    return PdfPage(draw_pdf(layout, order), layout, name)


def pdf_lines(pdf: PdfPage, texture: str) -> tuple[list[LabelledLine], str]:
    """The extracted, labelled lines of ``texture`` ("pdf_lines" or "pdf_blocks") and a variant tag."""
    lines = extract_lines(pdf.pdf)
    index = DrawnIndex(pdf.layout)
    glyphs = line_glyphs(pdf.pdf, needs_glyphs(lines, index))
    labels = label_texture(text_blocks(lines), index, glyphs, joined=texture == "pdf_blocks")
    grid = pdf.layout.grid
    tag = f"columns={grid.columns},order={pdf.order},mixed={labels.mixed}/{labels.labelled}"
    return labels.lines, tag + (f",unmatched={labels.unmatched}" if labels.unmatched else "")
