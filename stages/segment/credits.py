"""Who wrote or shot an item, and where it was filed, from the lines the model marked as such.

The page-structure model says which line is a byline, which lead opens with a dateline, which
line is a photo credit or a credit at an article's end; this module reads the names, roles and
place out of those lines, in the shapes papers print them:

* datelines: ``本报讯(通讯员 X)``, ``新华社北京4月30日电（记者 X）`` (``stages.segment.bylines``),
  and in brackets ``【新华社兴县十五日电】``, ``【X报讯】（记者X）``, ``〔記者X／台北報導〕``; an outlet
  with the credit running into the lead (``南都讯　记者X 通讯员Y …``, ``【大公報訊】記者X報道：…``);
  a Taiwan credit closing the lead paragraph (``…。（記者X／台北報導）``);
* byline lines: ``本报记者 X``, ``□ X``, ``■ org``, ``文/X``, bare names, a column tag before a name
  (``（艺海观澜）孙龙飞``), ``記者X／新竹報導``, ``報導．攝影╱X``;
* photo credits: ``X摄``, ``X摄（影像中国）``, ``圖／記者X攝``, ``X绘（《…》供图）``, ``摄影：X``,
  ``图/文 X``;
* credits at an article's end: ``（本报记者X整理）``, ``（综合本报记者X、Y报道）``.
"""

from __future__ import annotations

import re

from stages.segment.bylines import (
    HAN,
    Byline,
    clean_name,
    parse_byline_line,
    parse_credit,
    parse_credit_names,
    parse_dateline,
    parse_weak_dateline,
    split_names,
)
from stages.text.script import to_simplified
from stages.words.enrich import SURNAMES

_ROLE_WORD = r"(?:[摄攝]影[记記]者|[记記]者|通[讯訊][员員]|特[约約][记記]者|撰稿人?)"
_DATE = r"(?:\d{1,2}\s*月\s*)?(?:\d{1,2}|[一二三四五六七八九十廿卅]{1,3})\s*日"
_OUTLET = rf"[{HAN}]{{2,8}}?(?:社|[网網]|[报報]|台)|本[报報]"
_BRACKETED = re.compile(r"^[【〔\[［]([^】〕\]］]{2,40})[】〕\]］][\s\u3000]*")
_TAIWAN = re.compile(
    rf"^(?:{_ROLE_WORD})(?P<names>[^／/╱]{{2,20}}?)[\s\u3000]*[／/╱][\s\u3000]*"
    rf"(?P<place>[{HAN}]{{2,6}}?)[\s\u3000]*(?:[报報][导導道])$"
)
# Inside brackets the whole text is the header, so any outlet's name will do.
_FILED = re.compile(
    rf"^(?P<agency>{_OUTLET}|[{HAN}]{{2,8}}?)(?P<place>[{HAN}]{{0,8}}?)(?P<date>{_DATE})?"
    r"[\s\u3000]*(?P<mark>[讯訊电電]|消息)$"
)
# An outlet's own news, no place or date: ``大公報訊（記者 X）``.
_OUTLET_NEWS = re.compile(
    rf"^(?P<agency>[{HAN}]{{2,8}}?(?:社|[网網]|[报報]|台))[讯訊][\s\u3000]*"
    r"[(（](?P<credit>[^()（）]{2,60})[)）][\s\u3000]*"
)
_PAREN_CREDIT = re.compile(r"^[(（](?P<credit>[^()（）]{2,60})[)）][\s\u3000]*")
_RUN_IN = re.compile(rf"^(?P<agency>[{HAN}]{{2,8}}?)[讯訊][\s\u3000]+(?={_ROLE_WORD})")
# One piece of a credit running into the lead: a role word and a name, or a name alone.
_CREDIT_PIECE = re.compile(rf"^(?:{_ROLE_WORD})?[{HAN}]{{2,4}}(?:[报報][道导導][：:]?)?$")
_ROLE_RUN_IN = re.compile(
    rf"^(?P<credit>{_ROLE_WORD}[{HAN}\s\u3000、]{{2,30}}?)(?:[报報][道导導])?[：:][\s\u3000]*"
)
_TRAILING_TAIWAN = re.compile(r"[(（〔【](?P<inner>[^()（）〔〕【】]{4,30})[)）〕】]$")
_GENERAL_PLACES = ("综合", "綜合", "本报", "本報")
_PHOTO_SUFFIX = re.compile(r"[(（][^()（）]{2,12}[)）]$")
_PHOTO_PREFIX = re.compile(
    r"^[(（]?(?:(?:[图圖][/／]文|文[/／][图圖])[\s\u3000]*[：:]?|[图圖]片?[\s\u3000]*[／/：:])[\s\u3000]*"
)
_SHOT = re.compile(r"^(?P<credit>.{2,40}?)\s*(?:[摄攝]影?|[绘繪]|供[图圖])[)）]?$")
_COLUMN_TAG = re.compile(r"^[(（][^()（）]{2,10}[)）][\s\u3000]*")
_REPORTED_BY = re.compile(r"^[报報][导導道][．.·、]?(?:[摄攝]影)?[\s\u3000]*[／/╱：:][\s\u3000]*")
_TAIL = re.compile(
    rf"^(?:综合|綜合)?(?:本[报報])?(?P<credit>(?:{_ROLE_WORD})[^()（）]{{2,60}}?)"
    r"(?:采访整理|採訪整理|整理|报道|報道|报导|報導|采写|採寫)$"
)
# The paper's own reporters listed at a round-up's end with no verb (（本报记者X、Y、Z）).
_LISTED_TAIL = re.compile(r"^(?:综合|綜合)?本[报報](?P<credit>(?:记者|記者)[^()（）]{2,160})$")


def _people(credit: str, place: str | None = None) -> Byline | None:
    """Names and roles of a credit such as ``记者 X 通讯员 Y``; None if it names nobody."""
    authors, roles = parse_credit_names(credit)
    if not authors or any(not re.fullmatch(f"[{HAN}·]{{2,4}}", name) for name in authors):
        return None
    return Byline(authors, roles, place)


def _taiwan(inner: str) -> Byline | None:
    """``記者X／台北報導``: the reporter, and the place unless it is a round-up (綜合)."""
    match = _TAIWAN.match(inner.strip())
    if not match:
        return None
    place = match.group("place")
    found = _people("记者" + match.group("names"))
    return found and Byline(found.authors, found.roles, None if place in _GENERAL_PLACES else place)


def _filed(inner: str) -> Byline | None:
    """``新华社兴县十五日电``, ``北京晚报讯``: who filed, from where (the paper's own name is no place)."""
    match = _FILED.match(inner.strip())
    if not match:
        return None
    place = match.group("place") or None
    return Byline(place=place if match.group("date") or match.group("agency").startswith("本") else None)


def _after_header(byline: Byline, rest: str) -> tuple[Byline, str]:
    """A header's credit in parentheses, or a role and names running into the lead."""
    for pattern in (_PAREN_CREDIT, _ROLE_RUN_IN):
        match = pattern.match(rest)
        if match and (found := _people(match.group("credit"))):
            return Byline(found.authors, found.roles, byline.place), rest[match.end():]
    return byline, rest


def _bracketed(text: str) -> Byline | None:
    """``【新华社X地X日电】``, ``【X报讯】（记者X）``, ``〔記者X／台北報導〕`` opening the lead."""
    match = _BRACKETED.match(text)
    if not match:
        return None
    inner, rest = match.group(1), text[match.end():]
    found = _taiwan(inner) or _filed(inner)
    if found is None:
        return None
    found, rest = _after_header(found, rest) if not found.authors else (found, rest)
    return Byline(found.authors, found.roles, found.place, rest.strip())


def _credit_piece(piece: str) -> bool:
    """A role word and a name, or a person's name alone (核心阅读 opens the lead instead)."""
    if not _CREDIT_PIECE.match(piece):
        return False
    return bool(re.match(_ROLE_WORD, piece)) or is_personal_name(re.sub(r"[报報][道导導][：:]?$", "", piece))


def _run_in(text: str) -> Byline | None:
    """``南都讯　记者X 通讯员Y …``, ``大公報訊 記者X報道：…``: the credit runs into the lead,
    a role word and a name to each space-separated piece, up to the first piece that is not."""
    match = _RUN_IN.match(text)
    if not match:
        return None
    pieces = re.split(r"([\s\u3000]+)", text[match.end():])
    taken = 0
    while taken < len(pieces) and _credit_piece(pieces[taken]):
        taken += 2  # the piece and the space after it
    credit = "".join(pieces[:taken]).strip()
    found = _people(re.sub(r"[报報][道导導][：:]?$", "", credit)) if credit else None
    return found and Byline(found.authors, found.roles, None, "".join(pieces[taken:]).strip())


def _outlet_news(text: str) -> Byline | None:
    """``大公報訊（記者 X）…``: an outlet's own news, credited in parentheses."""
    match = _OUTLET_NEWS.match(text)
    found = match and _people(match.group("credit"))
    return found and Byline(found.authors, found.roles, None, text[match.end():].strip())


def _trailing(text: str) -> Byline | None:
    """A Taiwan credit closing the lead paragraph: ``…。（記者X／台北報導）``."""
    match = _TRAILING_TAIWAN.search(text)
    found = match and _taiwan(match.group("inner"))
    return found and Byline(found.authors, found.roles, found.place, text[:match.start()].strip())


def split_dateline(text: str) -> Byline | None:
    """The credit a lead line opens (or, Taiwan style, closes) with; ``lead`` is the rest.

    ``据新华社…电（记者X）`` (a story taken from the agency) is read as the agency's dateline.
    """
    text = text.strip()
    reported = text[1:] if text.startswith("据") else text
    return (parse_dateline(reported) or _bracketed(text) or _outlet_news(text) or _run_in(text)
            or _trailing(text) or parse_weak_dateline(text))


def _reported_by(text: str) -> Byline | None:
    """``記者X／新竹報導``, ``報導．攝影╱X``: Taiwan and Hong Kong byline lines."""
    if found := _taiwan(text):
        return found
    match = _REPORTED_BY.match(text)
    return _people(text[match.end():]) if match else None


def read_byline(text: str) -> Byline | None:
    """Names, roles and place of a line the model marked as a byline; None when it names
    nobody (a column tag line above the name, say)."""
    text = text.strip()
    found = parse_byline_line(text) or _reported_by(text)
    if found:
        return found
    names = split_names(_COLUMN_TAG.sub("", text))
    return Byline(names) if names and all(is_personal_name(name) for name in names) else None


def is_personal_name(name: str) -> bool:
    """Two to four Han characters opening with a surname: a bare name line, not a column tag
    (扶贫, 一线行走) or a slogan."""
    return bool(re.fullmatch(f"[{HAN}]{{2,4}}", name)) and to_simplified(name).startswith(SURNAMES)


def read_photo_credit(text: str) -> Byline | None:
    """Names and roles of a photo or cartoon credit line."""
    text = text.strip()
    if found := parse_credit(text):
        return found
    if text[:1] in "(（" and text[-1:] in ")）":
        text = text[1:-1].strip()
    bare = _PHOTO_SUFFIX.sub("", _PHOTO_PREFIX.sub("", text)).strip()
    match = _SHOT.match(bare)
    found = _people(match.group("credit") if match else bare)
    # A name with no mark of a credit (摄, 绘, 图/文) and no role is one only if it is a
    # person's (人民视觉 is an agency).
    marked = bool(match) or bare != _PHOTO_SUFFIX.sub("", text).strip()
    if found and not found.roles and not marked and not all(is_personal_name(n) for n in found.authors):
        return None
    return found


def read_tail(text: str) -> Byline | None:
    """The reporters a credit at an article's end names (``（本报记者X整理）``, or the paper's
    reporters listed bare: ``（本报记者X、Y）``), else None."""
    inner = text.strip().strip("()（）").strip()
    match = _TAIL.match(inner) or _LISTED_TAIL.match(inner)
    return _people(match.group("credit")) if match else None


def clean_names(names: list[str]) -> list[str]:
    """Names without pinyin annotations or stray marks."""
    return [name for name in (clean_name(n) for n in names) if name]
