"""Newspaper PDF pages for the tests, drawn with reportlab and Adobe's CJK CID font (no font
file needed): two printed pages, each article a headline set larger than its dateline and body."""

from __future__ import annotations

import io
import re

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

# The articles of each page: (headline, dateline and body lines).
PAGES = [
    [("梨树县政协开展委员培训", "本报讯（记者 王明）近日，梨树县政协举办委员履职能力培训班。",
      "培训采取线上线下相结合的方式，全体委员参加。"),
     ("铁西区红十字会走进社区", "本报讯（通讯员 林天骥）日前，铁西区红十字会开展急救知识培训。",
      "居民们纷纷表示受益匪浅。")],
    [("春耕备耕有序推进", "本报讯（记者 李红）眼下正值春耕备耕关键时期，各地农民抢抓农时。",
      "农业技术人员深入田间地头开展指导。")],
]


def drawn_pdf(pages, encrypt: str | None = None, text: bool = True) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, encrypt=encrypt)
    for articles in pages:
        y = 790
        for title, *lines in articles:
            if text:
                sheet.setFont(FONT, 20)
                sheet.drawString(60, y, title)
                sheet.setFont(FONT, 10.5)
                for offset, line in enumerate(lines, start=1):
                    sheet.drawString(60, y - 16 - 16 * offset, line)
            else:  # a scan: only a picture of the page
                sheet.rect(60, y - 60, 400, 60, fill=1)
            y -= 120
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def broken_xref(data: bytes, how: str) -> bytes:
    """``data`` (a PDF as reportlab writes it: one xref table, trailer, startxref) with its
    cross-reference damaged ``how``: "offsets" (every object's offset 37 bytes off), "no_table"
    (the table gone, its trailer left), "startxref_past_end" (the pointer to the table leads
    past the end of the file), "cut_in_table" (the file ends inside the table, as a download cut
    short: no trailer, no startxref)."""
    table = data.rindex(b"\nxref\n") + 1
    trailer, pointer = data.index(b"trailer", table), data.rindex(b"startxref")
    if how == "offsets":
        shifted = re.sub(rb"(\d{10}) (\d{5}) n", lambda m: b"%010d %s n" % (int(m[1]) + 37, m[2]),
                         data[table:trailer])
        return data[:table] + shifted + data[trailer:]
    if how == "no_table":
        return data[:table] + data[trailer:]
    if how == "startxref_past_end":
        return data[:pointer] + b"startxref\n%d\n%%%%EOF\n" % (len(data) * 10)
    if how == "cut_in_table":
        return data[:table + 60]
    raise ValueError(how)
