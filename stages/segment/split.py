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

from collections.abc import Iterable, Iterator
from pathlib import Path

from stages.items import DecodedPage, PageItem, StageError
from stages.segment.articles import build_article, content_texts, unstructured_article
from stages.segment.assemble import assemble
from stages.segment.features import PageLine, page_lines_of
from stages.segment.formats import html_to_text, jsonl_records
from stages.segment.layout import find_anchors, locate_headlines, promote_punctuated_titles
from stages.segment.lines import Line, LineKind, is_running_head, mark_column_labels, page_lines
from stages.segment.model import label_lines
from stages.segment.photos import lift_photos
from stages.text.pdf import PAGE_BREAK
from stages.text.pdf_lines import read_sizes
from stages.text.quality import repeated_share


def segment_lines(lines: list[PageLine], model_path: Path | None = None) -> list[PageItem]:
    """A page's non-blank lines to its items, in page order, by the page-structure model.

    A line the model takes for page furniture is left out only if the hand rules allow it
    (:func:`_droppable`): no other text is ever lost.
    """
    return assemble([line.text for line in lines], label_lines(lines, model_path), _droppable(lines))


def _droppable(lines: list[PageLine]) -> list[bool]:
    """Which lines the hand rules allow to be page furniture: furniture by their kind, a
    column label in the page-top block, or a running head."""
    marked = mark_column_labels([Line(line.kind, line.text) for line in lines])
    return [line.kind is LineKind.FURNITURE or is_running_head(line.text) for line in marked]


def segment_page(text: str) -> list[PageItem]:
    """Page text to items in page order, positions 0..n-1."""
    return segment_lines(page_lines_of(text))


def segment_page_by_rules(text: str) -> list[PageItem]:
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


# A page this long that is mostly repeats of itself is degenerate, not news: refused before
# any work is spent on it (a real page repeats a caption or a sentence, not most of itself).
DEGENERATE_MIN_CHARS = 20_000
DEGENERATE_SHARE = 0.8


def split_bounded(page: DecodedPage, max_item_chars: int) -> list[PageItem]:
    """:func:`split_document`, refusing a degenerate page (``repetitive``) and a page with an
    item longer than ``max_item_chars`` (``item_too_long``): no such text becomes an article."""
    if len(page.text) >= DEGENERATE_MIN_CHARS and \
            (share := repeated_share(page.text)) >= DEGENERATE_SHARE:
        raise StageError("repetitive", f"{share:.0%} of the page's {len(page.text):,} characters "
                                       "repeat its earlier sentences or lines")
    items = split_document(page)
    for item in items:
        _refuse_too_long(item, max_item_chars)
    return items


def _refuse_too_long(item: PageItem, max_item_chars: int) -> None:
    if len(item.body) > max_item_chars:
        raise StageError("item_too_long", f"item {item.position} has {len(item.body):,} "
                         f"characters, over NEWSFLOW_MAX_ITEM_CHARS ({max_item_chars:,})")


def split_document(page: DecodedPage) -> list[PageItem]:
    """A decoded page (text, html, jsonl or pdf) to its items in page order."""
    if page.format == "text":
        return segment_page(page.text)
    if page.format == "html":
        return segment_page(html_to_text(page.text))
    if page.format == "jsonl":
        return list(archive_items(page.text.split("\n")))
    if page.format == "pdf":
        return _pdf_items(page.text, page.layout)
    raise StageError("bad_format", f"The page format {page.format!r} is not text, html, jsonl or pdf.")


def _pdf_items(text: str, layout: str | None = None) -> list[PageItem]:
    """Each page of a PDF's text (pages apart at ``PAGE_BREAK``) segmented on its own with its
    lines' type sizes (``layout``, pages apart the same way), its items numbered on through the
    file and marked with their page."""
    pages = text.split(PAGE_BREAK)
    sizes = layout.split(PAGE_BREAK) if layout else [None] * len(pages)
    items = []
    for number, (page_text, page_sizes) in enumerate(zip(pages, sizes, strict=True), start=1):
        lines = page_lines_of(page_text, read_sizes(page_sizes) if page_sizes else None)
        for item in segment_lines(lines):
            item.position, item.page = len(items), number
            items.append(item)
    return items


def archive_items(lines: Iterable[str], max_item_chars: int | None = None) -> Iterator[PageItem]:
    """The items of JSON Lines, numbered in order, as the lines come (an archive of any size
    streams through in flat memory); a ``{"text": …}`` page is segmented, a pre-split item
    kept. With ``max_item_chars``, bounded as :func:`split_bounded` bounds a page."""
    position = 0
    for record in jsonl_records(lines):
        if isinstance(record, PageItem):
            found = [record]
        elif max_item_chars is None:
            found = segment_page(record)
        else:
            found = split_bounded(DecodedPage(record, "", "text"), max_item_chars)
        for item in found:
            item.position = position
            if max_item_chars is not None:
                _refuse_too_long(item, max_item_chars)
            position += 1
            yield item
