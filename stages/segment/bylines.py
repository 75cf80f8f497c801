"""Bylines, datelines and photo credits: who wrote or shot an item, and where it was filed.

Newspaper pages name their authors in a handful of shapes, all parsed here:

* a dateline opening the lead paragraph: ``本报讯(通讯员 林天骥)近日,…``, ``本报(通讯员 尹莉丽)…``,
  ``本报嘉峪关讯(通讯员苏天泰)…`` (place 嘉峪关), ``新华社北京3月5日电（记者 张三 李四）…``, and from
  any other outlet when it names place and date (``央广网北京5月17日消息（记者 孙杰）…``);
* a byline on its own line: ``本报通讯员 吴万强 王新月``, ``本报记者 张三``, ``记者 张三 通讯员 李四``,
  ``□ 裴文婷``, ``■ 新河縣政協`` (an organisation as author);
* weaker openings that only count right under a headline: ``10月12日电 …``, ``据新华社报道，…``;
* photo credits: ``本报通讯员 金大庆 摄``, ``新华社记者 李四 摄影``, ``市政协办公室供图``.

Names come back clean: ``屈 萍`` → ``屈萍`` (typesetters pad two-character names), several names
split, roles (记者/通讯员) kept parallel to the names when the byline states them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HAN = r"\u3400-\u9fff\uf900-\ufaff"
# Simplified and Traditional forms: segmentation runs before conversion to Simplified.
_AGENCY = r"本[报報]|新[华華]社|中新社|中新[网網]|人民[网網]|央[视視][网網]|光明[网網]|中[国國]新[闻聞][网網]"
_ROLE = (
    r"(?:本[报報]|新[华華]社|中新社)?(?:特[约約]|[实實][习習]|[见見][习習]|首席)?"
    r"(?:[摄攝]影[记記]者|[记記]者|通[讯訊][员員]|撰稿人?|作者)"
)
_ROLE_SPLIT = re.compile(rf"({_ROLE})")
# Roles are reported in Simplified whatever the page's script.
_ROLE_SIMPLIFIED = str.maketrans("記訊員攝約實習見", "记讯员摄约实习见")
# Pinyin glued after a character by some PDF extractors, e.g. 政協(xié): never part of a name.
_PINYIN = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]+[)）]")
_NAME_SEP = re.compile(r"[\s\u3000、,，;；/]+")
_DATELINE = re.compile(
    rf"^(?P<agency>{_AGENCY})(?P<place>[{HAN}]{{0,8}}?)"
    r"(?P<date>\d{1,2}\s*月\s*\d{1,2}\s*日)?(?=[讯訊电電(（])(?P<mark>[讯訊电電])?\s*"
    r"(?:[(（](?P<credit>[^()（）]{1,40})[)）])?[\s\u3000]*"
)
# Outlets are too many to list; a name ending like one (…社, …网, …报, …台) counts when a date and
# a filing mark follow, which ordinary sentences do not have.
_SOURCE_DATELINE = re.compile(
    rf"^(?P<agency>[{HAN}]{{2,8}}?(?:社|[网網]|[报報]|台))(?P<place>[{HAN}]{{0,6}}?)"
    r"(?P<date>\d{1,2}\s*月\s*\d{1,2}\s*日)(?P<mark>[讯訊电電]|消息)[\s\u3000]*"
    r"(?:[(（](?P<credit>[^()（）]{1,40})[)）])?[\s\u3000]*"
)
_BARE_DATELINE = re.compile(
    rf"^(?P<place>[{HAN}]{{2,6}})?(?P<date>\d{{1,2}}月\d{{1,2}}日)[电電]"
    r"[\s\u3000]*(?:[(（](?P<credit>[^()（）]{1,40})[)）])?[\s\u3000]*"
)
_REPORTED = re.compile(r"^据(?P<source>[^，,。：:\s]{2,20}?)(?:[报報]道|消息|[电電])[，,：:\s]*")
_BULLET = re.compile(r"^[□■◆◇●○◎▲△★☆]\s*(?P<names>.+)$")
_CREDIT = re.compile(r"^[(（]?(?P<names>.{2,40}?)\s*(?:[摄攝]影|[摄攝]|供[图圖])[)）]?$")
_CREDIT_PREFIX = re.compile(
    r"^[(（]?(?:[摄攝]影|[图圖]|[图圖]/文|文/[图圖])\s*[：:/]\s*(?P<names>.{2,40}?)[)）]?$"
)
_INLINE_CREDIT = re.compile(r"(?<=[。！？!?”』」])[\s\u3000]*(?P<credit>[^。！？!?，,]{2,40})$")
_SENTENCE = re.compile(r"[，,。；;！!？?]")


@dataclass
class Byline:
    """What a byline, dateline or credit says; ``lead`` is the body text that followed it."""

    authors: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    place: str | None = None
    lead: str = ""


def clean_name(token: str) -> str:
    """Drop pinyin annotations and stray marks from one author token."""
    return _PINYIN.sub("", token).strip(" \u3000()（）[]【】:：")


def split_names(text: str) -> list[str]:
    """Split a run of names; re-join single characters padded apart (屈 萍 → 屈萍)."""
    tokens = [clean_name(t) for t in _NAME_SEP.split(_PINYIN.sub("", text))]
    tokens = [t for t in tokens if t]
    names: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1:
            run.append(token)
            continue
        names.extend(_merge_singles(run))
        run = []
        if token:
            names.append(token)
    return names


def _merge_singles(run: list[str]) -> list[str]:
    """A run of lone characters is one padded name, or several two-character names."""
    if len(run) <= 3:
        return ["".join(run)] if run else []
    return ["".join(run[i : i + 2]) for i in range(0, len(run), 2)]


def parse_credit_names(text: str) -> tuple[list[str], list[str]]:
    """Names and parallel roles from ``通讯员 林天骥`` or ``记者 张三 李四 通讯员 王五``."""
    authors: list[str] = []
    roles: list[str] = []
    role = ""
    for chunk in _ROLE_SPLIT.split(text):
        if _ROLE_SPLIT.fullmatch(chunk):
            role = re.sub(rf"^(?:{_AGENCY})", "", chunk).translate(_ROLE_SIMPLIFIED)
            continue
        names = split_names(chunk)
        authors.extend(names)
        roles.extend([role] * len(names))
    return authors, roles if any(roles) else []


def _looks_like_names(names: list[str], *, allow_org: bool = False) -> bool:
    """Person names are 2-4 Han characters; one organisation name may be longer."""
    if not names or any(not re.fullmatch(f"[{HAN}·]+", n) for n in names):
        return False
    if allow_org and len(names) == 1:
        return len(names[0]) <= 16
    return all(2 <= len(n) <= 4 for n in names)


def parse_byline_line(line: str) -> Byline | None:
    """A line that is only a byline (``本报通讯员 吴万强 王新月``, ``□ 裴文婷``), else None."""
    text = line.strip()
    if not text or _SENTENCE.search(_PINYIN.sub("", text)) or len(text) > 40:
        return None
    bullet = _BULLET.match(text)
    if bullet:
        authors, roles = parse_credit_names(bullet.group("names"))
        return Byline(authors, roles) if _looks_like_names(authors, allow_org=True) else None
    if not re.match(rf"^(?:{_AGENCY})?{_ROLE}|^文\s*[/／]", text):
        return None
    authors, roles = parse_credit_names(re.sub(r"^文\s*[/／]\s*", "", text))
    return Byline(authors, roles) if _looks_like_names(authors) else None


def parse_dateline(line: str) -> Byline | None:
    """A lead paragraph opened by a strong dateline (本报讯(…), 新华社北京…电(…)), else None."""
    match = _DATELINE.match(line.strip()) or _SOURCE_DATELINE.match(line.strip())
    if not match or not (match.group("mark") or match.group("credit")):
        return None
    place = match.group("place") or None
    if place and re.search(_ROLE, place):
        return None
    authors, roles = parse_credit_names(match.group("credit") or "")
    return Byline(authors, roles, place, line.strip()[match.end() :])


def parse_weak_dateline(line: str) -> Byline | None:
    """``10月12日电 …`` or ``据新华社报道，…``: an article start only right under a headline."""
    text = line.strip()
    match = _BARE_DATELINE.match(text)
    if match:
        authors, roles = parse_credit_names(match.group("credit") or "")
        return Byline(authors, roles, match.group("place"), text[match.end() :])
    reported = _REPORTED.match(text)
    if reported:
        source = reported.group("source").strip("《》")
        return Byline([source], [], None, text[reported.end() :])
    return None


def parse_credit(text: str) -> Byline | None:
    """A photo credit (``本报通讯员 金大庆 摄``, ``王五 供图``, ``摄影：张三``), else None."""
    text = text.strip()
    if len(text) > 40 or _SENTENCE.search(text):
        return None
    match = _CREDIT.match(text) or _CREDIT_PREFIX.match(text)
    if not match:
        return None
    authors, roles = parse_credit_names(match.group("names"))
    return Byline(authors, roles) if _looks_like_names(authors, allow_org=True) else None


def split_inline_credit(line: str) -> tuple[str, Byline] | None:
    """A caption ending in its credit (``…一片欢腾。 本报通讯员 沈鸿升 摄``) → (caption, credit)."""
    # A credit is at most 40 characters: the line's tail is all the search needs to read.
    tail = len(line) - 48 if len(line) > 48 else 0
    match = _INLINE_CREDIT.search(line, tail)
    if not match:
        return None
    credit = parse_credit(match.group("credit"))
    if credit is None:
        return None
    return line[: match.start()].rstrip(), credit
