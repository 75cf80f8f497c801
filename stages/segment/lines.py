"""Page text to classified lines: the vocabulary the segmenter reasons with.

PDF text extraction gives one line per paragraph or per column fragment, usually with blank lines
between them; two or more blank lines mark a gap between blocks of the layout. Every non-blank
line gets exactly one kind, decided in an order that matters (a photo credit also looks like a
byline, a byline also looks like a heading).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stages.segment.bylines import (
    Byline,
    parse_byline_line,
    parse_credit,
    parse_dateline,
    split_inline_credit,
)

_EDITOR = re.compile(
    r"^(?:[责責]任[编編][辑輯]|本版[责責][编編]|本版[编編][辑輯]|[责責][编編]|[编編][辑輯]|美[编編]"
    r"|美[术術][编編][辑輯]|校[对對]|版式|[组組]版|[审審][读讀]|[审審]校)\s*[：:]"
)
_DATE = r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
_DATE_ONLY = re.compile(rf"^{_DATE}(?:[\s\u3000]*(?:星期|周)[一二三四五六日天])?$")
_PAGE_NO = re.compile(r"^(?:第?\s*[0-9０-９一二三四五六七八九十]{1,3}\s*版|[A-Z]\d{1,2}版?|\d{1,3}|版次.*)$")
_SENTENCE = re.compile(r"[，,。；;！!？?]")
# A paper's name alone on a line: 人民日报, 四平日报, 聯合報, 南方都市报.
_MASTHEAD = re.compile(r"^[\u3400-\u9fff]{2,8}(?:日[报報]|晚[报報]|[时時][报報]|[都商]市[报報]|[报報])$")
HEADING_MAX = 40
# A column label (要闻, 经济新闻, 港聞) is a word or two; a headline is longer or comes in a stack.
COLUMN_LABEL_MAX = 6


class LineKind(StrEnum):
    FURNITURE = "furniture"  # editor lines, dates, page numbers, column labels: dropped, not content
    CREDIT = "credit"  # photo credit alone on its line
    CAPTION = "caption"  # a caption that ends with its own credit
    BYLINE = "byline"  # a byline alone on its line
    DATELINE = "dateline"  # a lead paragraph opened by a dateline
    HEADING = "heading"  # short, no sentence punctuation: headline or section heading
    BODY = "body"
    GAP = "gap"  # two or more blank lines, or where a photo was lifted out


@dataclass
class Line:
    kind: LineKind
    text: str
    byline: Byline | None = None


def is_furniture(text: str) -> bool:
    """Editor lines, a date alone, a page number, a paper's name alone: page furniture, never
    an article."""
    if _EDITOR.match(text) or _DATE_ONLY.match(text) or _PAGE_NO.match(text) or _MASTHEAD.match(text):
        return True
    # A running head such as "四平日报 2022年10月14日 星期五 第3版".
    return len(text) <= 50 and bool(re.search(_DATE, text)) and bool(re.search(r"星期|版", text))


# A running head or foot: a page number or date beside a column label or the paper's name
# (第10版 政协之窗, A9 評論, 大公報 2019年10月23日 A4), or a website's name alone (人民网).
_FOLIO_PART = re.compile(rf"^(?:第?[0-9０-９]{{1,3}}版|[A-Z]\d{{1,2}}版?|\d{{1,3}}|{_DATE})$")
_SITE = re.compile(r"^[\u3400-\u9fff]{2,6}(?:[网網]|[电電][讯訊])$")
RUNNING_HEAD_MAX = 30


def is_running_head(text: str) -> bool:
    """A short running head of two to four parts (no sentence punctuation) with a page number
    or a date at one end, or a website's name alone: furniture the single-line rules of
    :func:`is_furniture` do not catch. Only a line the page model also takes for furniture is
    left out for it: the model alone never drops a line."""
    if _SITE.match(text):
        return True
    if len(text) > RUNNING_HEAD_MAX or _SENTENCE.search(text):
        return False
    parts = text.split()  # the number or date at either end, as running heads print them
    return 2 <= len(parts) <= 4 and any(_FOLIO_PART.match(part) for part in (parts[0], parts[-1]))


def is_heading(text: str) -> bool:
    """Short and without sentence punctuation: a headline line or a section heading."""
    return len(text) <= HEADING_MAX and not _SENTENCE.search(text)


def classify(text: str) -> Line:
    """One non-blank line to its kind; bylines and credits come back parsed."""
    text = text.strip()
    if is_furniture(text):
        return Line(LineKind.FURNITURE, text)
    if credit := parse_credit(text):
        return Line(LineKind.CREDIT, text, credit)
    if split := split_inline_credit(text):
        return Line(LineKind.CAPTION, split[0], split[1])
    if byline := parse_byline_line(text):
        return Line(LineKind.BYLINE, text, byline)
    if dateline := parse_dateline(text):
        return Line(LineKind.DATELINE, text, dateline)
    return Line(LineKind.HEADING if is_heading(text) else LineKind.BODY, text)


def page_lines(text: str) -> list[Line]:
    """Classified lines of a page; runs of two or more blank lines become one GAP line."""
    lines: list[Line] = []
    blanks = 0
    for raw in text.split("\n"):
        if not raw.strip():
            blanks += 1
            continue
        if blanks >= 2 and lines:
            lines.append(Line(LineKind.GAP, ""))
        blanks = 0
        lines.append(classify(raw))
    return mark_column_labels(lines)


def _is_column_label(line: Line, following: Line | None) -> bool:
    """A word or two followed by a date or page number: the page's column, not a headline.

    A headline is always followed by more headline, a byline or its body, never by furniture.
    """
    return (
        line.kind is LineKind.HEADING
        and len(line.text) <= COLUMN_LABEL_MAX
        and " " not in line.text
        and following is not None
        and following.kind is LineKind.FURNITURE
    )


def mark_column_labels(lines: list[Line]) -> list[Line]:
    """Column labels in the page-top block (furniture and labels only) become furniture."""
    out = list(lines)
    content = [i for i, line in enumerate(out) if line.kind is not LineKind.GAP]
    for here, after in zip(content, [*content[1:], None], strict=False):  # a blank page: none
        if out[here].kind is LineKind.FURNITURE:
            continue
        if not _is_column_label(out[here], out[after] if after is not None else None):
            break  # the first real content ends the page-top block
        out[here] = Line(LineKind.FURNITURE, out[here].text)
    return out
