"""Whatever a PDF page's layout, newsflow's reader loses and invents no character: lines cut
at gaps, grouped into blocks and put in reading order still hold every printed character once.
Pages drawn with reportlab from generated layouts (hypothesis)."""

from __future__ import annotations

import io
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen import canvas

from stages.text.pdf import pdf_text
from tests.pdf_pages import FONT

_HAN = "春耕备耕有序推进各地农民抢抓农时技术人员深入田间地头开展指导城区新增口袋公园"
_SLOT = 180  # points: three column slots across the page, text never wider than one
_ROWS = [790 - 24 * n for n in range(30)]  # baselines far enough apart for 20-point type


@st.composite
def layouts(draw):
    """Lines of Han text (with a space or punctuation here and there), each in its own row and
    column slot, set at 8 to 20 points, written in any order."""
    cells = draw(st.lists(st.tuples(st.sampled_from(range(len(_ROWS))), st.sampled_from(range(3))),
                          min_size=1, max_size=40, unique=True))
    lines = []
    for row, slot in cells:
        size = draw(st.sampled_from((8.0, 9.0, 10.0, 10.5, 12.0, 14.0, 18.0, 20.0)))
        # at least two characters: PDFium reads no text from a string of a single two-byte code
        # of a font it cannot load (reportlab's STSong-Light is not embedded)
        length = draw(st.integers(2, int(_SLOT // size) - 1))
        text = "".join(draw(st.lists(st.sampled_from(_HAN + "，。 "), min_size=length, max_size=length)))
        if text.strip():
            lines.append((40 + _SLOT * slot, _ROWS[row], size, text))
    return draw(st.permutations(lines))


def _drawn(lines) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(600, 820))
    for x, y, size, text in lines:
        sheet.setFont(FONT, size)
        sheet.drawString(x, y, text)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def _inked(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_every_printed_character_is_read_once_whatever_the_layout(lines):
    if not any(text.strip() for *_, text in lines):
        return
    assert _inked(pdf_text(_drawn(lines))) == _inked("".join(text for *_, text in lines))
