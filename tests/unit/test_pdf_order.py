"""Reading order of a PDF page whose frames were written out of it: moved story by story only
when a column's sentence breaks off into text that does not carry it on; a page in order is
read as it came. Pages drawn with reportlab, frames written in a chosen order."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen import canvas

from stages.segment.split import split_document
from stages.text.decode import decode_page
from stages.text.pdf import pdf_text
from tests.pdf_pages import FONT

WIDTH = 12  # characters a column line holds
# Two stories side by side, each a headline centred over its two columns and one paragraph
# that runs from the first column into the second mid-sentence.
STORIES = [
    ("城区新增十处口袋公园", "今年以来，城区利用边角空地新建口袋公园十处，市民出门不远就能休闲健身，园林部门"
                          "介绍，公园选址征求了周边居民意见，设计保留了原有的大树和老井，还增设了儿童游乐设施。"),
    ("乡村夜校开课受欢迎", "每到周三晚上，村文化礼堂里坐满了前来听课的村民，夜校开设电商直播、果树修剪等"
                         "课程，授课老师来自农业院校和企业，村民们说学到的本事马上就能用在地里和网店上。"),
]


def _columns(text: str) -> tuple[list[str], list[str]]:
    lines = [text[:WIDTH - 2]] + [text[i:i + WIDTH] for i in range(WIDTH - 2, len(text), WIDTH)]
    half = (len(lines) + 1) // 2
    return lines[:half], lines[half:]


def _frames() -> list[list[tuple[float, float, float, str]]]:
    """Each story's frames in reading order, as (x, y, size, text) lines: headline, two columns."""
    frames = []
    for n, (title, text) in enumerate(STORIES):
        left = 40 + 270 * n
        head = [(left + 120 - 9 * len(title), 790, 18, title)]
        columns = [[(x + (20 if x == left and i == 0 else 0), 750 - 14 * i, 10, line)
                    for i, line in enumerate(lines)]
                   for x, lines in zip((left, left + 135), _columns(text), strict=True)]
        frames.append([head, *columns])
    return frames


def _page(order: list[tuple[int, int]]) -> bytes:
    frames, buffer = _frames(), io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for story, frame in order:
        for x, y, size, line in frames[story][frame]:
            sheet.setFont(FONT, size)
            sheet.drawString(x, y, line)
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


IN_ORDER = [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
# the second column of the first story written first, the headlines after the text they head
SWAPPED = [(0, 2), (1, 0), (1, 1), (0, 0), (0, 1), (1, 2)]
# each headline written after its story's text, whose sentences all run on
HEADLINE_LAST = [(0, 1), (0, 2), (0, 0), (1, 1), (1, 2), (1, 0)]


def _stories(data: bytes) -> list[tuple[str | None, str]]:
    return [(item.title, item.body.replace("\n", ""))
            for item in split_document(decode_page(data, "page.pdf"))]


@pytest.mark.parametrize("order", [SWAPPED, HEADLINE_LAST])
def test_frames_written_out_of_reading_order_are_read_story_by_story(order):
    assert _stories(_page(order)) == STORIES


def test_a_page_in_reading_order_is_read_as_it_came():
    text = pdf_text(_page(IN_ORDER))
    lines = [line for line in text.split("\n") if line]
    expected = [line for story in _frames() for frame in story for *_, line in frame]
    assert lines == expected
    assert _stories(_page(IN_ORDER)) == STORIES
