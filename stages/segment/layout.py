"""Where articles start: anchors (bylines, datelines, jump-ins) and the headline stacks above them.

A new article begins where a headline stack is followed by a byline or dateline, or by a jump-in
marker such as ``(接一版)``. Section headings inside a body are followed by body text with no
byline, so they never start an article. One layout quirk is handled on purpose: the extractor
sometimes puts a headline, then the tail of the article, then its dateline (seed 000: 喜迎二十大 /
…/ ``的决心。`` / … / ``本报讯(…)``). When a gap (or a lifted photo) precedes such a headline, the
body lines between it and the dateline are kept as the article's *displaced* lines.

Headlines are recognised by shape (short, no sentence punctuation), but some carry a comma or an
exclamation (``数字赋能，让政务服务更便捷``). Such a line counts as a headline only where nothing
else can explain it: right above a byline or dateline, and not the tail of an open paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stages.segment.bylines import Byline, parse_weak_dateline
from stages.segment.lines import Line, LineKind
from stages.segment.paragraphs import ends_sentence, starts_with_jump

MAX_HEADLINE_LINES = 4
# A punctuated headline is at most a display line or two; a body paragraph is longer.
PUNCTUATED_TITLE_MAX = 30
# A headline may hold a comma, a question or an exclamation, never a full stop or a dangling comma.
_NOT_IN_TITLE = re.compile(r"[。；;]|[，,：:、]$")
_CONTENT = (LineKind.BODY, LineKind.HEADING)


@dataclass
class Span:
    """One article's place on the page, in line indices."""

    start: int  # first line: the headline's, else the anchor's
    anchor: int  # first anchor line (byline, dateline or jump-in)
    anchor_end: int  # last anchor line; the body follows it
    byline: Byline
    headline: list[int] = field(default_factory=list)
    displaced: list[int] = field(default_factory=list)


def _previous(lines: list[Line], index: int) -> Line | None:
    """The nearest line above that is not a gap."""
    above = _previous_index(lines, index)
    return lines[above] if above is not None else None


def _previous_index(lines: list[Line], index: int) -> int | None:
    """Index of the nearest line above that is not a gap."""
    while index > 0:
        index -= 1
        if lines[index].kind is not LineKind.GAP:
            return index
    return None


def _is_punctuated_title(lines: list[Line], index: int) -> bool:
    """A short body line, not continuing an open paragraph, that could be a headline."""
    text = lines[index].text
    if lines[index].kind is not LineKind.BODY or len(text) > PUNCTUATED_TITLE_MAX:
        return False
    if _NOT_IN_TITLE.search(text):
        return False
    above = _previous_index(lines, index)
    return above is None or lines[above].kind is not LineKind.BODY or ends_sentence(lines[above].text)


def promote_punctuated_titles(lines: list[Line]) -> None:
    """A punctuated headline line right above a byline or dateline becomes a HEADING."""
    for index, line in enumerate(lines):
        if line.kind not in (LineKind.BYLINE, LineKind.DATELINE):
            continue
        above = _previous_index(lines, index)
        if above is not None and _is_punctuated_title(lines, above):
            lines[above] = Line(LineKind.HEADING, lines[above].text)


def _anchor_byline(lines: list[Line], index: int) -> Byline | None:
    """The byline an anchor line carries, or None when the line is no anchor."""
    line = lines[index]
    if line.kind in (LineKind.BYLINE, LineKind.DATELINE):
        return line.byline
    if line.kind in _CONTENT and starts_with_jump(line.text):
        return Byline(lead=line.text)
    above = _previous(lines, index)
    if line.kind is LineKind.BODY and above is not None and above.kind is LineKind.HEADING:
        return parse_weak_dateline(line.text)
    return None


def merge_bylines(first: Byline, second: Byline) -> Byline:
    """A byline line followed by a dateline (or a jump-in) describe one article."""
    pairs = list(zip(first.authors, first.roles or [""] * len(first.authors), strict=True))
    seen = set(first.authors)
    for pair in zip(second.authors, second.roles or [""] * len(second.authors), strict=True):
        if pair[0] not in seen:
            pairs.append(pair)
            seen.add(pair[0])
    roles = [role for _, role in pairs]
    lead = "\n".join(x for x in (first.lead, second.lead) if x)
    place = first.place or second.place
    return Byline([name for name, _ in pairs], roles if any(roles) else [], place, lead)


def find_anchors(lines: list[Line]) -> list[Span]:
    """Anchor groups in page order; consecutive anchor lines form one group."""
    spans: list[Span] = []
    for index in range(len(lines)):
        byline = _anchor_byline(lines, index)
        if byline is None:
            continue
        if spans and spans[-1].anchor_end == index - 1:
            spans[-1].byline = merge_bylines(spans[-1].byline, byline)
            spans[-1].anchor_end = index
        else:
            spans.append(Span(index, index, index, byline))
    return spans


def _adjacent_headline(lines: list[Line], span: Span, floor: int) -> list[int]:
    """Heading lines right above the anchor (gaps between them allowed)."""
    heads: list[int] = []
    index = span.anchor - 1
    while index > floor and len(heads) < MAX_HEADLINE_LINES:
        kind = lines[index].kind
        if kind is LineKind.HEADING:
            heads.insert(0, index)
        elif kind is not LineKind.GAP:
            break
        index -= 1
    return heads


def _displaced_headline(lines: list[Line], span: Span, floor: int) -> tuple[list[int], list[int]]:
    """Headline after the last gap, then body lines, then the anchor: (headline, displaced)."""
    gaps = [i for i in range(floor + 1, span.anchor) if lines[i].kind is LineKind.GAP]
    if not gaps:
        return [], []
    heads: list[int] = []
    index = gaps[-1] + 1
    while index < span.anchor and lines[index].kind is LineKind.HEADING:
        heads.append(index)
        index += 1
    rest = list(range(index, span.anchor))
    if not heads or len(heads) > MAX_HEADLINE_LINES:
        return [], []
    if any(lines[i].kind is not LineKind.BODY for i in rest):
        return [], []
    return heads, rest


def locate_headlines(lines: list[Line], spans: list[Span]) -> None:
    """Fill each span's headline (and displaced lines) and move its start up to the headline."""
    floor = -1
    for span in spans:
        heads = _adjacent_headline(lines, span, floor)
        displaced: list[int] = []
        if not heads:
            heads, displaced = _displaced_headline(lines, span, floor)
        span.headline, span.displaced = heads, displaced
        span.start = heads[0] if heads else span.anchor
        floor = span.anchor_end
