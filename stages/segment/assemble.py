"""The model's line labels to items: group the lines, then read each item's fields.

A label is a role (``ROLES``), prefixed ``B-`` on the first line of an item. Grouping follows
the page: a ``B-`` line opens an item, page furniture belongs to none, and article lines that
follow a photo's caption continue the article the photo interrupted (a caption is always an
item of its own). Each group then becomes a ``PageItem``: headline lines joined, names read
from bylines, the dateline, credits and end credits (``stages.segment.credits``), the body
rejoined where columns broke its paragraphs and jump markers lifted out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from stages.items import ItemKind, PageItem
from stages.segment.bylines import Byline, split_inline_credit
from stages.segment.credits import read_byline, read_photo_credit, read_tail, split_dateline
from stages.segment.headlines import join_title
from stages.segment.layout import merge_bylines
from stages.segment.paragraphs import Jumps, ends_sentence, join_paragraphs, strip_jumps

ROLES = ("kicker", "title", "subtitle", "byline", "dateline", "body", "subhead", "caption",
         "credit", "tail", "furniture", "jump")
START = "B-"
_PHOTO_ROLES = frozenset({"caption", "credit"})
_HEAD_ROLES = frozenset({"kicker", "title"})
_ARTICLE_ROLES = frozenset({"byline", "dateline", "body", "subhead", "tail", "jump"})
_DASHES = "—―─-－ \u3000"
# An article's lines that are its text; a caption or credit line the model left in an
# article (a photo it did not take apart) stays text too, never dropped.
_CONTENT = ("body", "subhead", "dateline", "caption", "credit")
# An end credit naming many reporters runs over this many lines of a column at most.
_CREDIT_LINES = 6
# A dateline whose lead is this short may have its credit broken into the next line.
_CREDIT_STUB = 3
# A line ending in one of these (a particle, a conjunction) runs on into the next.
_RUNS_ON = frozenset("的之和与及同并、")


def label(role: str, starts_item: bool) -> str:
    """The label of a line: its role, ``B-`` first when it opens an item."""
    return START + role if starts_item else role


def parse_label(text: str) -> tuple[str, bool]:
    """(role, whether the line opens an item)."""
    return (text[len(START):], True) if text.startswith(START) else (text, False)


@dataclass
class _Group:
    """The lines of one item, by role, in page order."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)  # kept as lines are added: read per line

    def add(self, role: str, text: str) -> None:
        self.lines.append((role, text))
        self.roles.add(role)

    @property
    def is_photo(self) -> bool:
        return bool(self.roles & _PHOTO_ROLES) and not self.roles & _ARTICLE_ROLES


def group_lines(texts: list[str], labels: list[str], droppable: list[bool]) -> list[_Group]:
    """The items' lines in page order (see the module's docstring). A line the model takes
    for page furniture is left out only if it is furniture by the hand rules (``droppable``):
    otherwise it is text of the item it sits in."""
    groups: list[_Group] = []
    article: _Group | None = None  # the latest article, which lines after a photo continue
    for text, tag, may_drop in zip(texts, labels, droppable, strict=True):
        role, starts = parse_label(tag)
        if role == "furniture":
            if may_drop:
                continue
            role, starts = "body", False
        current = groups[-1] if groups else None
        photo_line = role in _PHOTO_ROLES
        # A headline or caption line after an item's text opens the next item, whether or
        # not the model marked it so: an item's text never comes before its headline.
        opens = role in _HEAD_ROLES or photo_line
        if current is None or starts or (opens and current is article and _has_text(current)):
            current = _Group()
            groups.append(current)
        elif not photo_line and current.is_photo and role in _ARTICLE_ROLES:
            if article is None:  # text after a photo with no article before it: its own item
                groups.append(current := _Group())
            else:
                current = article
        current.add(role, text)
        if not current.is_photo:
            article = current
    return groups


def _has_text(group: _Group) -> bool:
    return bool(group.roles & {"body", "dateline"})


def _texts(group: _Group, *roles: str) -> list[str]:
    return [text for role, text in group.lines if role in roles]


Lines = list[tuple[str, bool]]  # (text, whether it is an in-body heading)


def _bylines(texts: list[str]) -> tuple[Byline, list[str]]:
    """Names of the byline lines: read as one when the extractor broke a byline over lines
    (``本报记者 王嘉琦 本报通`` / ``讯员 崔佳``), else line by line (a column tag above a
    name); and the lines that named nobody, which stay text of the item."""
    if len(texts) > 1 and (whole := read_byline("".join(texts))):
        return whole, []
    byline, unread = Byline(), []
    for text in texts:
        if found := read_byline(text):
            byline = merge_bylines(byline, found)
        else:
            unread.append(text)
    return byline, unread


def _credited(group: _Group) -> tuple[Byline, Lines, Lines]:
    """The group's byline (names, roles, place), its body lines from the lead on, and the
    displaced body lines printed between its headline and its dateline.

    A dateline the extractor broke over several lines (``本报约翰内斯堡5月1`` / ``日电 (记者吕强)…``)
    is read whole: the run of dateline lines is joined first, and the next line too when that
    names more people (``南都讯 记者韩晓萌 通`` / ``讯员蒋晓东 这是…``).
    """
    byline, unread = _bylines(_texts(group, "byline"))
    kept = [(text, True) for text in unread]  # a column tag or a name we cannot read: kept
    roles = [role for role, _ in group.lines]
    content = [(text, role == "subhead") for role, text in group.lines if role in _CONTENT]
    tails = [(text, False) for text in _texts(group, "tail")]  # notes and credits end the body
    if "dateline" not in roles:
        # A credit the model read as body opening the lead (not 据…报道, a sentence too)
        lead = content[0][0] if content else ""
        if lead and not lead.startswith("据") and not byline.authors and \
                (found := split_dateline(lead)) and found.authors:
            byline, content = found, [(found.lead, False), *content[1:]]
        return byline, kept + content + tails, []
    first = roles.index("dateline")
    end = first
    while end < len(roles) and roles[end] == "dateline":
        end += 1
    header = "".join(text for _, text in group.lines[first:end])
    found = split_dateline(header)
    if found and len(found.lead.strip()) <= _CREDIT_STUB and end < len(roles) and roles[end] == "body" \
            and (whole := split_dateline(header + group.lines[end][1])) \
            and len(whole.authors) > len(found.authors):
        found, end = whole, end + 1  # a credit broken at column width (记者X 通 / 讯员Y 正文…)
    byline = merge_bylines(byline, found) if found else byline
    displaced = [(text, role == "subhead") for role, text in group.lines[:first] if role in _CONTENT]
    lead = [((found.lead if found else header), False)]
    lead += [(text, role == "subhead") for role, text in group.lines[end:] if role in _CONTENT]
    return byline, kept + lead + tails, displaced


def _body(lead: Lines, displaced: Lines, jumps: Jumps) -> str:
    """Paragraphs rejoined, jump markers lifted out; displaced lines after the body when the
    body ends mid-sentence (they are its tail, set above it), else before it."""
    lead = [(strip_jumps(text, jumps), head) for text, head in lead]
    displaced = [(strip_jumps(text, jumps), head) for text, head in displaced]
    main = join_paragraphs(lead)
    ordered = lead + displaced if main and not ends_sentence(main[-1]) else displaced + lead
    return "\n".join(join_paragraphs(ordered))


def _tail_credits(tails: list[str]) -> Iterator[list[str]]:
    """The end-credit candidates among an item's tail lines: each line, and a line that opens
    a bracket with the lines after it that close it (a credit naming many reporters broken
    at column width: （本报记者孙广勇、周輖、 / 韩硕、李志伟）)."""
    for n, text in enumerate(tails):
        run = [text]
        while _open_bracket("".join(run)) and n + len(run) < len(tails) and len(run) < _CREDIT_LINES:
            run.append(tails[n + len(run)])
        yield run


def _open_bracket(text: str) -> bool:
    return text.count("（") + text.count("(") > text.count("）") + text.count(")")


def _with_tail_credit(byline: Byline, group: _Group) -> tuple[Byline, list[str]]:
    """An article nobody else credits takes the names of its end credit (（本报记者X整理）);
    that credit's lines are then read, like a byline, and returned."""
    if byline.authors:
        return byline, []
    for lines in _tail_credits(_texts(group, "tail")):
        if found := read_tail("".join(lines)):
            return Byline(found.authors, found.roles, byline.place), lines
    return byline, []


def _broken_apart(first: str | None, second: str | None) -> bool:
    """Whether two headline parts the model told apart are one headline a column broke: the
    first leaves a bracket open (不怕累，就怕脫貧戶再掉隊（幹部 / 狀態新觀察…）). A typesetter ends a
    kicker or a title with its brackets closed."""
    if not (first and second):
        return False
    return _open_bracket(first)


def _runs_on(kicker: str | None, title: str | None) -> bool:
    """Whether a kicker the model told apart is the first line of its title: it ends on a
    word that cannot end a phrase, a particle or a conjunction (中国用艰苦卓绝的 / 努力书写…,
    中华人民共和国和 / 巴西联邦共和国联合声明)."""
    return bool(kicker and title) and kicker[-1] in _RUNS_ON


def _article(group: _Group) -> PageItem:
    jumps = Jumps()
    heads = {role: [strip_jumps(t, jumps) for t in _texts(group, role)]
             for role in ("kicker", "title", "subtitle")}
    byline, lead, displaced = _credited(group)
    byline, read = _with_tail_credit(byline, group)
    lead = [entry for entry in lead if not (entry[0] in read and not entry[1])]
    for text in _texts(group, "jump"):
        strip_jumps(text, jumps)
    body = _body(lead, displaced, jumps)
    kicker = "".join(heads["kicker"]).rstrip(_DASHES) or None
    subtitle = "".join(heads["subtitle"]).lstrip(_DASHES) or None
    title = join_title(heads["title"]) or None
    if _broken_apart(kicker, title) or _runs_on(kicker, title):
        kicker, title = None, kicker + title
    if _broken_apart(title, subtitle):
        title, subtitle = title + subtitle, None
    if title is None and kicker:  # a kicker alone is the headline there is
        title, kicker = kicker, None
    elif title is None and subtitle:
        title, subtitle = subtitle, None
    if not (body or title):  # a name alone, over nothing: its text, not an article's credit
        body, byline = "\n".join(_texts(group, "byline", "dateline", "tail")), Byline()
    return PageItem(
        0, ItemKind.ARTICLE, body, kicker=kicker, title=title, subtitle=subtitle,
        authors=list(byline.authors), roles=list(byline.roles), place=byline.place,
        continued_from=jumps.continued_from, continued_to=jumps.continued_to,
        # No headline over a text and no credit: the model found no structure to go by.
        confident=bool((title and body) or byline.authors or byline.place))


def _photo(group: _Group) -> PageItem:
    credit, captions = Byline(), []
    for role, text in group.lines:
        inline = split_inline_credit(text) if role == "caption" else None
        if inline:  # a caption that ends with its own credit
            text, found = inline
            credit = merge_bylines(credit, found)
        elif role == "credit" and (found := read_photo_credit(text)):
            credit = merge_bylines(credit, found)
            continue
        if role in ("caption", "credit"):  # a credit that names nobody stays caption text
            captions.append(text)
    caption = "".join(captions).strip()
    title = join_title(_texts(group, "title", "kicker")) or None
    subtitle = "".join(_texts(group, "subtitle")).lstrip(_DASHES) or None
    return PageItem(0, ItemKind.PHOTO, caption, title=title or subtitle,
                    subtitle=subtitle if title else None, authors=list(credit.authors),
                    roles=list(credit.roles),
                    # A caption with neither a credit nor a headline: nothing says it is one.
                    confident=bool(credit.authors or title or subtitle))


def assemble(texts: list[str], labels: list[str], droppable: list[bool] | None = None
             ) -> list[PageItem]:
    """Items in page order, positions 0..n-1, from the lines and their labels (``droppable``:
    the lines the hand rules call page furniture, by default every line the model does)."""
    droppable = droppable if droppable is not None else [True] * len(texts)
    items = [_photo(group) if group.is_photo else _article(group)
             for group in group_lines(texts, labels, droppable)]
    items = [item for item in items if item.body or item.title or item.authors]
    for position, item in enumerate(items):
        item.position = position
    return items
