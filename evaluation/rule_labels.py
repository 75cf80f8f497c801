"""Line labels of the hand-labelled pages, read off the rule segmenter that scores 100 % on them.

The hand labels in ``tests/data/segmentation`` describe items, not lines. On those pages the
rule segmenter (``stages.segment.split.segment_page_by_rules``) returns exactly the labelled
items, so the role it gave each line on the way (headline line, byline, dateline, caption,
credit, furniture, body, in-body heading) is the line's true label. Training on these pages
teaches the model the local papers' real texture beside the composed pages; they are design
pages, never part of the dev figures.
"""

from __future__ import annotations

import json
from pathlib import Path

from stages.segment.assemble import label
from stages.segment.features import PageLine, page_lines_of
from stages.segment.headlines import parse_headline
from stages.segment.layout import Span, find_anchors, locate_headlines, promote_punctuated_titles
from stages.segment.lines import Line, LineKind, page_lines
from stages.segment.photos import lift_photos
from stages.text.decode import decode_page

_ANCHOR_ROLES = {LineKind.BYLINE: "byline", LineKind.DATELINE: "dateline"}


def _headline_roles(lines: list[Line], span: Span) -> dict[int, str]:
    """kicker, title or subtitle for each headline line of a span, as parse_headline read it."""
    head = parse_headline([lines[i].text for i in span.headline])
    roles = {}
    for i in span.headline:
        text = lines[i].text.strip().lstrip("—―─-－ ")
        roles[i] = ("subtitle" if head.subtitle and text in head.subtitle and
                    not (head.title and text in head.title) else
                    "kicker" if head.kicker and text in head.kicker and
                    not (head.title and text in head.title) else "title")
    return roles


def _span_roles(lines: list[Line], span: Span, end: int) -> dict[int, tuple[str, bool]]:
    """Every line of one article's span: its role, and whether it opens the item."""
    roles = {i: (role, False) for i, role in _headline_roles(lines, span).items()}
    for i in range(span.anchor, span.anchor_end + 1):
        roles[i] = (_ANCHOR_ROLES.get(lines[i].kind, "dateline"), False)
    for i in span.displaced:
        roles[i] = ("body", False)
    for i in range(span.anchor_end + 1, end):
        if lines[i].kind in (LineKind.BODY, LineKind.HEADING):
            roles[i] = ("subhead" if lines[i].kind is LineKind.HEADING else "body", False)
    first = min(roles)
    roles[first] = (roles[first][0], True)
    return roles


def _photo_roles(before: list[Line], after: list[Line]) -> dict[int, tuple[str, bool]]:
    """Caption and credit lines the rules lifted out (they are GAPs afterwards)."""
    roles: dict[int, tuple[str, bool]] = {}
    for i, (was, now) in enumerate(zip(before, after, strict=True)):
        if was.kind is LineKind.CREDIT:
            roles[i] = ("credit", False)
        elif was.kind is LineKind.CAPTION or (was.kind is not LineKind.GAP and now.kind is LineKind.GAP):
            roles[i] = ("caption", True)
    for i, (role, _) in sorted(roles.items()):
        if role == "credit" and (i - 1 not in roles or roles[i - 1][0] == "credit"):
            roles[i] = ("credit", True)  # a credit with no caption above it opens its photo
    return roles


def rule_labels(text: str) -> tuple[list[PageLine], list[str]]:
    """The page's non-blank lines and the labels the rule segmenter's decisions give them."""
    every = page_lines(text)
    kept = [line for line in every if line.kind is not LineKind.FURNITURE]
    lifted, _ = lift_photos(kept)
    roles = _photo_roles(kept, lifted)
    promote_punctuated_titles(lifted)
    spans = find_anchors(lifted)
    locate_headlines(lifted, spans)
    ends = [span.start for span in spans[1:]] + [len(lifted)]
    for span, end in zip(spans, ends, strict=True):
        roles |= {i: role for i, role in _span_roles(lifted, span, end).items() if i not in roles}
    orphans = [i for i in range(spans[0].start if spans else len(lifted))
               if i not in roles and lifted[i].kind in (LineKind.BODY, LineKind.HEADING)]
    roles |= {i: ("body", i == orphans[0]) for i in orphans}
    labels, index = [], 0  # index: the line's place among the kept lines (gaps included)
    for line in every:
        if line.kind is LineKind.FURNITURE:
            labels.append("furniture")
            continue
        if line.kind is not LineKind.GAP:
            labels.append(label(*roles.get(index, ("furniture", False))))
        index += 1
    return page_lines_of(text), labels


def labelled_pages(directory: Path) -> list[tuple[str, str]]:
    """(name, page text) of every hand-labelled page under ``directory``."""
    found = []
    for path in sorted(directory.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        page = (path.parent / data["page"]).resolve() if isinstance(data, dict) and "page" in data \
            else next(path.with_suffix(s) for s in (".txt", ".html") if path.with_suffix(s).exists())
        found.append((path.stem, decode_page(page.read_bytes(), page.name).text))
    return found
