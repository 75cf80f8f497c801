"""Tight regexes for what the corpus prints around its text: datelines, bylines, photo credits, tails.

Tight on purpose: a record whose opening looks like a dateline but does not parse is dropped rather
than guessed at, because every label the composer emits must be exact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HAN = "\u4e00-\u9fff"
SPACE = "\\s\u3000\xa0"
_NAME = re.compile(rf"[{HAN}]{{2,4}}|[{HAN}]{{1,6}}·[{HAN}]{{1,8}}")
_ROLE_WORD = "特约记者|见习记者|实习记者|摄影记者|记者|通讯员|实习生"
_ROLE = re.compile(rf"(?:本报|新华社|人民日报)?(?:驻[{HAN}]{{1,8}}?|赴[{HAN}]{{1,10}}?特派)?({_ROLE_WORD})")
_DATELINE = re.compile(
    rf"^(?P<reported>据)?(?P<agency>本报|新华社)(?P<place>[{HAN}·]{{1,12}}?)?"
    rf"(?:(?P<month>\d{{1,2}})月(?P<day>\d{{1,2}})日)?电[{SPACE}]*"
    rf"(?:（(?P<credit>[^（）]{{1,60}})）)?[{SPACE}]*"
)
_LOOSE_DATELINE = re.compile(r"^据?(?:本报|新华社)[^，。：]{0,16}电")
_PHOTO_CREDIT = re.compile(
    rf"^(?P<who>[^，。（）]{{2,30}}?)[{SPACE}]*摄(?:影)?(?:（(?P<suffix>[{HAN}]{{2,8}})）)?$"
)
_TAIL = re.compile(r"^（[^（）]*(?:（[^（）]*）[^（）]*)*）$")
_TAIL_NAMES = re.compile(
    rf"^（(?:综合)?(?:本报|新华社)?记者(?P<names>[{HAN}、·{SPACE}]{{2,60}}?)(?:采访整理|整理|报道)?）$"
    rf"|^（(?P<bare>[{HAN}{SPACE}]{{2,5}})）$"
)
_NOT_NAMES = re.compile(r"[电社报版]|作者|系列|相关|见第")
_SENTENCE_END = re.compile(r"[。！？；：…”’」』）)!?;:，,、]$")


@dataclass(frozen=True)
class Credit:
    """Who a byline, dateline or photo credit names: names and parallel roles ([] when unstated)."""

    authors: tuple[str, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Dateline:
    """The dateline opening a body: 本报北京9月30日电  （记者张烁）, 据新华社电, 新华社北京4月30日电."""

    agency: str  # "本报" or "新华社"
    reported: bool  # 据新华社…: relayed, not filed by the paper
    place: str | None
    month: int | None
    day: int | None
    credit: Credit
    printed: str  # the prefix exactly as the corpus prints it, without trailing spaces


@dataclass(frozen=True)
class PhotoCredit:
    """A caption's credit line: 陈月明摄（影像中国）, 新华社记者  白雪飞摄."""

    credit: Credit
    agency: str | None  # "本报" or "新华社" when the photographer's outlet is printed
    suffix: str | None  # 影像中国, 人民视觉, 新华社发


def is_name(token: str) -> bool:
    """A person's name: 2–4 Han characters, or a transliterated name with a middle dot."""
    return bool(_NAME.fullmatch(token))


def split_names(text: str) -> list[str] | None:
    """Names from a run like ``张  璁``, ``马小宁  周翰博``, ``冯雪珺、花放``; None unless all are names.

    Typesetters pad two-character names to three (``赵  鹏``), so runs of lone characters are
    rejoined, in pairs when the run is longer than one name.
    """
    tokens = [t for t in re.split(rf"[{SPACE}、，,]+", text.strip()) if t]
    names: list[str] = []
    singles: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1:
            singles.append(token)
            continue
        if singles:
            step = len(singles) if len(singles) <= 3 else 2
            names.extend("".join(singles[i : i + step]) for i in range(0, len(singles), step))
            singles = []
        if token:
            names.append(token)
    return names if names and all(is_name(n) for n in names) else None


def parse_credit(text: str) -> Credit | None:
    """``记者张烁``, ``记者 X 通讯员 Y``, ``本报驻埃及记者  韩晓明``, or bare names (no roles)."""
    pieces = _ROLE.split(text.strip())
    if len(pieces) == 1:
        names = split_names(text)
        return Credit(tuple(names), ()) if names else None
    if pieces[0].strip():
        return None
    authors: list[str] = []
    roles: list[str] = []
    for role, chunk in zip(pieces[1::2], pieces[2::2], strict=True):
        names = split_names(chunk)
        if not names:
            return None
        authors += names
        roles += [role] * len(names)
    return Credit(tuple(authors), tuple(roles))


def parse_dateline(paragraph: str) -> Dateline | None:
    """The dateline opening ``paragraph``, or None when it has none or one too loose to trust."""
    match = _DATELINE.match(paragraph)
    if not match or not match.group(0).strip() or len(paragraph) <= match.end():
        return None
    credit = Credit((), ())
    if match.group("credit"):
        credit = parse_credit(match.group("credit"))
        if credit is None:
            return None
    month, day = match.group("month"), match.group("day")
    return Dateline(
        agency=match.group("agency"),
        reported=bool(match.group("reported")),
        place=match.group("place"),
        month=int(month) if month else None,
        day=int(day) if day else None,
        credit=credit,
        printed=match.group(0).rstrip(SPACE.replace("\\s", " ")),
    )


def looks_dated(paragraph: str) -> bool:
    """True when a paragraph opens like a dateline, parsed or not."""
    return bool(_LOOSE_DATELINE.match(paragraph))


def parse_photo_credit(line: str) -> PhotoCredit | None:
    """A caption credit line, or None."""
    match = _PHOTO_CREDIT.match(line.strip())
    if not match:
        return None
    who = match.group("who")
    agency = next((a for a in ("本报", "新华社") if who.startswith(a)), None)
    credit = parse_credit(who)
    if credit is None:
        return None
    return PhotoCredit(credit, agency, match.group("suffix"))


def parse_byline(line: str) -> Credit | None:
    """A printed byline line (2017 headers, seeds): ``本报记者  王伟健``, ``赵  鹏   林  蔚``."""
    text = line.strip()
    if not text or len(text) > 40 or "摄" in text:
        return None
    return parse_credit(text)


def is_tail(paragraph: str) -> bool:
    """A closing parenthesis-only paragraph: （作者为…）, （本报记者X整理）, （欧阳洁）."""
    return len(paragraph) <= 80 and bool(_TAIL.match(paragraph)) and "。" not in paragraph[:-2]


def tail_credit(paragraph: str) -> Credit | None:
    """The names a tail credits (（本报记者X整理）, （欧阳洁））, or None when it names nobody."""
    match = _TAIL_NAMES.match(paragraph)
    if not match or _NOT_NAMES.search(match.group("names") or match.group("bare")):
        return None
    names = split_names(match.group("names") or match.group("bare"))
    if not names:
        return None
    roles = ("记者",) * len(names) if match.group("names") else ()
    return Credit(tuple(names), roles)


def is_subhead(paragraph: str) -> bool:
    """An in-body heading: short, unpunctuated at the end, not tabular and not a credit."""
    if not 2 <= len(paragraph) <= 28 or _SENTENCE_END.search(paragraph) or "。" in paragraph:
        return False
    return "  " not in paragraph and not is_credit_like(paragraph)


def is_credit_like(paragraph: str) -> bool:
    """A byline or photo credit inside a body (compound reports): such records are not used."""
    text = paragraph.strip()
    if len(text) > 40:
        return False
    return bool(parse_photo_credit(text)) or bool(
        _ROLE.match(text) and parse_byline(text.removesuffix("整理"))
    )
