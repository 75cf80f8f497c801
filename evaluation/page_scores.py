"""The segmentation targets, scored per page and summed per house style and texture.

Expected items (hand labels or a composed page's truth, as dicts) are paired with the
segmenter's items by title and opening text (``evaluation.segmentation``). Of the expected
items: how many were found, and of those how many have the exact title, the exact authors and
the right body start; of the segmenter's items, how many paired with nothing (spurious).
Titles and body starts are compared without whitespace: a text dump breaks lines and pads
characters where the print did (a title over two lines, 王  峰), which a reader does not see
as a difference.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from evaluation.segmentation import pairs
from stages.items import PageItem
from stages.segment.features import page_lines_of
from stages.segment.split import segment_lines

BODY_START_CHARS = 20
FIELDS = ("found", "title", "authors", "body_start", "in_order")
_WHITESPACE = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """The text without whitespace ('' for None)."""
    return _WHITESPACE.sub("", text or "")


def score_page(expected: list[dict], actual: list[PageItem]) -> Counter:
    """Counts for one page: expected, found, title, authors, body_start, in_order (the
    body's paragraphs whole and in order), actual, spurious."""
    paired = pairs(expected, actual)
    counts = Counter(expected=len(expected), actual=len(actual), found=len(paired),
                     spurious=len(actual) - len(paired))
    for i, j in paired:
        truth, item = expected[i], actual[j]
        counts["title"] += squash(truth.get("title")) == squash(item.title)
        counts["authors"] += list(truth.get("authors") or []) == list(item.authors)
        start = squash(truth.get("body_start") or truth.get("body"))[:BODY_START_CHARS]
        counts["body_start"] += squash(item.body).startswith(start)
        counts["in_order"] += paragraphs_in_order(truth.get("body") or "", item.body)
    return counts


def paragraphs_in_order(expected: str, body: str) -> bool:
    """Whether every paragraph of the expected body is in ``body`` whole, one after another
    in their order (whitespace aside; text the segmenter adds around them, such as a credit
    at the end, does not count against it)."""
    at, found = 0, squash(body)
    for paragraph in filter(None, map(squash, expected.split("\n"))):
        if (at := found.find(paragraph, at)) < 0:
            return False
        at += len(paragraph)
    return True


def texture_group(texture: str, variant: str) -> str:
    """A composed page's texture, PDF dumps whose frames came out of reading order apart:
    their items are interleaved in the text, which no text-only segmenter can undo."""
    return f"{texture} (out of order)" if "order=swapped" in variant else texture


def score_composed(pages: Iterable, model_path: Path | None = None) -> dict[str, Counter]:
    """The targets' counts of composed pages (``corpus.labels.ComposedPage``): in all, per
    house style, per texture and per script. Pages read line by line from a PDF are segmented
    with their type sizes, as newsflow reads a PDF, and once more without, as a text dump of
    the PDF comes (the ``…, no sizes`` rows)."""
    groups: dict[str, Counter] = defaultdict(Counter)
    for page in pages:
        truth = [item.to_dict() for item in page.items]
        items = segment_lines(page_lines_of(page.text, page.sizes), model_path)
        counts = score_page(truth, items) + Counter(pages=1)
        texture = texture_group(page.texture, page.variant)
        for key in ("all", f"style {page.style}", f"texture {texture}", f"script {page.script}"):
            groups[key] += counts
        if page.sizes is not None:  # the same lines as a text dump gives them, without sizes
            groups[f"texture {texture}, no sizes"] += score_page(
                truth, segment_lines(page_lines_of(page.text), model_path)) + Counter(pages=1)
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0])))


def rates(counts: Counter) -> dict[str, float]:
    """Each field's share of the expected items, and spurious items' share of them."""
    expected = counts["expected"] or 1
    return {name: counts[name] / expected for name in FIELDS} | {
        "spurious": counts["spurious"] / expected}


def table(rows: Iterable[tuple[str, Counter]]) -> str:
    """A plain-text table: one row per group (style, texture, …), the targets' rates."""
    lines = [f"{'group':<42} {'pages':>5} {'items':>6} {'found':>6} {'title':>6} "
             f"{'authors':>7} {'start':>6} {'order':>6} {'spur.':>6}"]
    for name, counts in rows:
        r = rates(counts)
        lines.append(f"{name:<42} {counts['pages']:>5} {counts['expected']:>6} {r['found']:>6.1%} "
                     f"{r['title']:>6.1%} {r['authors']:>7.1%} {r['body_start']:>6.1%} {r['in_order']:>6.1%} "
                     f"{r['spurious']:>6.1%}")
    return "\n".join(lines)
