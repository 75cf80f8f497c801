"""Article items from located spans: headline fields, byline fields and a repaired body."""

from __future__ import annotations

from stages.items import ItemKind, PageItem
from stages.segment.headlines import parse_headline
from stages.segment.layout import Span
from stages.segment.lines import Line, LineKind, is_heading
from stages.segment.paragraphs import Jumps, ends_sentence, join_broken, strip_jumps

_CONTENT = (LineKind.BODY, LineKind.HEADING)


def content_texts(lines: list[Line], start: int, end: int) -> list[str]:
    """Texts of the body and heading lines in ``lines[start:end]`` (gaps, furniture dropped)."""
    return [line.text for line in lines[start:end] if line.kind in _CONTENT]


def _lead_first(lead: list[str], rest: list[str]) -> list[str]:
    """A dateline's lead is body text even when short: join it if the column cut it."""
    if lead and rest and not ends_sentence(lead[-1]) and not is_heading(rest[0]):
        return [*lead[:-1], lead[-1] + rest[0], *rest[1:]]
    return lead + rest


def ordered_body(lead: list[str], rest: list[str], displaced: list[str]) -> list[str]:
    """Put displaced lines back: after the body when the body ends mid-sentence."""
    main = _lead_first(lead, rest)
    if displaced and main and not ends_sentence(main[-1]):
        return main + displaced
    return displaced + main


def body_text(texts: list[str], jumps: Jumps) -> str:
    """Paragraphs joined with newlines, jump markers lifted into ``jumps``."""
    cleaned = [strip_jumps(text, jumps) for text in texts]
    return "\n".join(join_broken([text for text in cleaned if text]))


def build_article(lines: list[Line], span: Span, end: int) -> PageItem:
    """The article whose span runs up to (not including) line ``end``."""
    jumps = Jumps()
    headline = parse_headline([strip_jumps(lines[i].text, jumps) for i in span.headline])
    lead = [x for x in span.byline.lead.split("\n") if x.strip()]
    rest = content_texts(lines, span.anchor_end + 1, end)
    displaced = [lines[i].text for i in span.displaced]
    body = body_text(ordered_body(lead, rest, displaced), jumps)
    byline = span.byline
    return PageItem(
        position=0,
        kind=ItemKind.ARTICLE,
        body=body,
        kicker=headline.kicker,
        title=headline.title,
        subtitle=headline.subtitle,
        authors=list(byline.authors),
        roles=list(byline.roles),
        place=byline.place,
        continued_from=jumps.continued_from,
        continued_to=jumps.continued_to,
    )


def unstructured_article(texts: list[str]) -> PageItem | None:
    """Text the segmenter could not place: kept whole, flagged not confident."""
    jumps = Jumps()
    body = body_text(texts, jumps)
    if not body:
        return None
    return PageItem(
        0,
        ItemKind.ARTICLE,
        body,
        continued_from=jumps.continued_from,
        continued_to=jumps.continued_to,
        confident=False,
    )
