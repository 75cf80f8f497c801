"""A layout drawn as PDF bytes with reportlab: grey pictures, rules, text frames in a content order.

A real page's content stream holds its text frames in whatever order the layout program wrote them,
which is the order extractors read them in. Most pages here keep reading order; some swap a few
frames, so that fragments come out of order as they do in real dumps.
"""

from __future__ import annotations

import io
import random

from reportlab.pdfgen import canvas

from corpus.pdf_layout import Layout
from corpus.pdf_text import register


def frame_order(layout: Layout, rng: random.Random) -> tuple[list[int], str]:
    """The order the frames are written in, and its name: "reading" or "swapped"."""
    order = list(range(layout.frames))
    if layout.frames < 3 or rng.random() < 0.7:
        return order, "reading"
    for _ in range(rng.randint(1, 3)):
        i, j = rng.sample(range(layout.frames), 2)
        order[i], order[j] = order[j], order[i]
    return order, "swapped"


def draw_pdf(layout: Layout, order: list[int]) -> bytes:
    """The page as a one-page PDF; CID fonts are referenced, not embedded, as Adobe's CJK fonts allow."""
    register(layout.font)
    buffer = io.BytesIO()
    # invariant: no creation time or random document id, so a page always gives the same bytes
    page = canvas.Canvas(
        buffer, pagesize=(layout.grid.page_width, layout.height), pageCompression=1, invariant=1
    )
    height = layout.height
    page.setFillGray(0.8)
    for picture in layout.pictures:
        page.rect(
            picture.x, height - picture.top - picture.height, picture.width, picture.height, stroke=0, fill=1
        )
    page.setLineWidth(0.5)
    for x0, x1, top in layout.rules:
        page.line(x0, height - top, x1, height - top)
    page.setFillGray(0.0)
    by_frame: dict[int, list] = {}
    for line in layout.lines:
        by_frame.setdefault(line.frame, []).append(line)
    for frame in order:
        for line in by_frame.get(frame, []):
            page.setFont(layout.font, line.size)
            # PDFium drops a text object of one two-byte CID code: a lone last character would vanish.
            page.drawString(line.x, height - line.top, line.text if len(line.text) > 1 else line.text + " ")
    page.showPage()
    page.save()
    return buffer.getvalue()
