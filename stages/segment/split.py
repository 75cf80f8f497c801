"""Parse stage: a decoded page to its articles and photo captions, in page order.

``split_document`` dispatches on the page format:

* ``text``: the page text goes to ``segment_page``;
* ``html``: text is extracted with paragraph structure kept (block elements become line
  breaks, script and style dropped), then ``segment_page``;
* ``jsonl``: one JSON object per line (blank lines ignored), each either

  - ``{"text": "<whole page>"}``: segmented like a text page, or
  - a pre-split item ``{"title": str, "body": str}`` with optional ``"kicker"``, ``"subtitle"``,
    ``"authors": [str]``, ``"roles": [str]``, ``"place"``, ``"kind"`` (``"article"`` or ``"photo"``,
    default article), ``"continued_from"``, ``"continued_to"``.

  A line that is not such an object raises ``StageError("bad_jsonl", "line N: …")``.

``segment_page`` never drops text silently: page furniture (editor lines, dates and page numbers
alone on a line) and bylines are the only text that does not reach an item; a page without any
recognizable structure comes back as one article with ``confident=False``.
"""

from __future__ import annotations

from stages.items import DecodedPage, PageItem, StageError
from stages.segment.articles import build_article, content_texts, unstructured_article
from stages.segment.formats import html_to_text, jsonl_records
from stages.segment.layout import find_anchors, locate_headlines, promote_punctuated_titles
from stages.segment.lines import LineKind, page_lines
from stages.segment.photos import lift_photos


def segment_page(text: str) -> list[PageItem]:
    """Page text to items in page order, positions 0..n-1."""
    lines = [line for line in page_lines(text) if line.kind is not LineKind.FURNITURE]
    lines, placed = lift_photos(lines)
    promote_punctuated_titles(lines)
    spans = find_anchors(lines)
    locate_headlines(lines, spans)
    first = spans[0].start if spans else len(lines)
    # Text above the first article (a continuation from another page, a stray block) is kept.
    orphan = unstructured_article(content_texts(lines, 0, first))
    if orphan is not None:
        placed.append((-1, orphan))
    ends = [span.start for span in spans[1:]] + [len(lines)] if spans else []
    placed.extend(
        (span.start, build_article(lines, span, end)) for span, end in zip(spans, ends, strict=True)
    )
    return _numbered([item for _, item in sorted(placed, key=lambda pair: pair[0])])


def _numbered(items: list[PageItem]) -> list[PageItem]:
    for position, item in enumerate(items):
        item.position = position
    return items


def split_document(page: DecodedPage) -> list[PageItem]:
    """A decoded page (text, html or jsonl) to its items in page order."""
    if page.format == "text":
        return segment_page(page.text)
    if page.format == "html":
        return segment_page(html_to_text(page.text))
    if page.format == "jsonl":
        return _numbered(_jsonl_items(page.text))
    raise StageError("bad_format", f"The page format {page.format!r} is not text, html or jsonl.")


def _jsonl_items(text: str) -> list[PageItem]:
    items: list[PageItem] = []
    for record in jsonl_records(text):
        if isinstance(record, PageItem):
            items.append(record)
        else:
            items.extend(segment_page(record))
    return items
