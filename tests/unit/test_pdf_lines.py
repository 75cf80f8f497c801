"""PDF text lines grouped into text blocks, as the page model reads a text dump: a headline, each
paragraph and each caption a block, blocks apart by a blank line. Pages drawn with reportlab."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen import canvas

from stages.segment.split import split_document
from stages.text.decode import decode_page
from stages.text.pdf import pdf_text
from stages.text.pdf_lines import TextLine, text_blocks
from tests.pdf_pages import FONT

# Two short stories side by side, each a headline over two paragraphs wrapped at column width,
# a paragraph's first line indented two characters.
STORIES = [
    ("城区新增十处口袋公园", ["今年以来，城区利用边角空地新建口袋公园十处，市民出门不远就能休闲健身。",
                          "园林部门介绍，公园选址征求了周边居民意见。"]),
    ("乡村夜校开课受欢迎", ["每到周三晚上，村文化礼堂里坐满了前来听课的村民。",
                         "夜校开设电商直播、果树修剪等课程，授课老师来自农业院校。"]),
]
WIDTH = 13  # characters a column line holds


def _wrapped(paragraph: str) -> list[str]:
    first, rest = paragraph[:WIDTH - 2], paragraph[WIDTH - 2:]
    return [first] + [rest[i:i + WIDTH] for i in range(0, len(rest), WIDTH)]


def _draw(sheet: canvas.Canvas, x: float, y: float, size: float, text: str, scaled: bool) -> None:
    """``text`` at ``size`` points: as a font size, or (``scaled``) as many PDF writers set it,
    the font at size 1 and the text matrix scaled."""
    if not scaled:
        sheet.setFont(FONT, size)
        sheet.drawString(x, y, text)
        return
    drawn = sheet.beginText()
    drawn.setTextTransform(size, 0, 0, size, x, y)
    drawn.setFont(FONT, 1)
    drawn.textOut(text)
    sheet.drawText(drawn)


def _page(scaled: bool = False) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    for column, (title, paragraphs) in enumerate(STORIES):
        x, y = 40 + 175 * column, 790
        _draw(sheet, x, y, 18, title, scaled)
        y -= 34
        for paragraph in paragraphs:
            for n, line in enumerate(_wrapped(paragraph)):
                _draw(sheet, x + (20 if n == 0 else 0), y, 10, line, scaled)
                y -= 14
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


@pytest.mark.parametrize("scaled", [False, True])
def test_a_pdf_page_reads_as_text_blocks_apart_by_blank_lines(scaled):
    blocks = [block.split("\n") for block in pdf_text(_page(scaled)).split("\n\n")]
    assert blocks == [block for title, paragraphs in STORIES
                      for block in ([[title]] + [_wrapped(p) for p in paragraphs])]


def _line(text: str, x0: float, baseline: float, size: float = 10.0) -> TextLine:
    return TextLine(text, x0, x0 + size * len(text), baseline, baseline + size, size, 0, len(text))


def test_lines_of_one_size_a_pitch_apart_form_a_block_that_a_short_line_ends():
    lines = [_line("一二三四五六七八九十", 20, 700), _line("一二三四五六七八九十一二", 0, 686),
             _line("一二三四", 0, 672), _line("一二三四五六七八九十", 20, 658)]
    assert [len(block) for block in text_blocks(lines)] == [3, 1]


def test_a_change_of_type_size_or_a_wide_gap_starts_a_block():
    title = _line("城区新增口袋公园", 0, 720, size=18)
    body = [_line("一二三四五六七八九十一二", 0, 690), _line("一二三四五六七八九十一二", 0, 676)]
    far = _line("一二三四五六七八九十一二", 0, 600)
    assert [len(block) for block in text_blocks([title, *body, far])] == [1, 2, 1]


@pytest.mark.parametrize("scaled", [False, True])
def test_stories_without_bylines_are_told_apart_by_their_headlines_type_size(scaled):
    # Given a PDF page of stories with no byline or dateline, each headline set larger than
    # its body (by its font size, or by its text matrix), When it is parsed, Then each story
    # is an item with its title and its body
    page = decode_page(_page(scaled), "page.pdf")
    assert set(page.layout.split()) == {"18.0", "10.0"}
    items = split_document(page)
    assert [(item.title, item.body.replace("\n", "")) for item in items] == [
        (title, "".join(paragraphs)) for title, paragraphs in STORIES]


def _line_by_line(columns: list[list[str]], size: float = 10, indent: float = 0) -> bytes:
    """Columns of text set as some PDF writers set them: across the page, a line at a time
    (each column's first line indented by ``indent``)."""
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    sheet.setFont(FONT, size)
    for row in range(max(len(column) for column in columns)):
        for n, column in enumerate(columns):
            if row < len(column):
                sheet.drawString(40 + 160 * n + (indent if row == 0 else 0), 750 - 14 * row, column[row])
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def test_columns_written_line_by_line_across_the_page_read_column_by_column():
    # Given two columns that the PDF writes a line of each at a time (PDFium joins each pair
    # into one line), When read, Then each column is a block of its own, in order
    left = _wrapped(STORIES[0][1][0])
    right = _wrapped(STORIES[1][1][0])
    read = pdf_text(_line_by_line([left, right], indent=20))
    blocks = [block.split("\n") for block in read.split("\n\n")]
    assert blocks == [left, right]


def test_a_space_inside_a_line_is_not_a_gap_between_columns():
    lines = ["本报记者 王 峰 李红", "两会 热议 乡村振兴"]
    assert pdf_text(_line_by_line([lines])).split("\n") == lines
