"""A headline stack (the heading lines above a byline) to kicker, title and subtitle.

Conventions, checked against the sample pages:

* the title (主题) is the thematic line; a line that only states who did what (``天祝县政协召开
  十四届三次常委会会议``) is the kicker (引题) when it sits above the theme and the subtitle (副题)
  when it sits below it;
* a line opened by a dash (``——梨树县政协上半年工作综述``) is a subtitle, dash dropped;
* a ``地点：主题`` line is the title, whatever sits above it is the kicker;
* a title broken over two lines is rejoined: after a colon (``漳县三岔镇:`` / ``政协协商…``), or
  when the first line is a short fragment (``山丹县政协`` / ``召开…会议``; ``思想上解“惑”`` /
  ``政策上解“渴” 精神上解“压”``, joined with a space because the title is a set of parallel phrases).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DASH = re.compile(r"^[—―─\-－]{1,3}\s*")
_HAN = re.compile(r"[\u3400-\u9fff]")
# Who-did-what lines start with a place or an organisation: 嘉峪关市政协…, 西固区政协…
_FACTUAL = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,7}?(?:省|市|县|縣|区|區|州|旗|镇|鎮|乡|鄉)(?![村场場域级級])|全国|全國|中共"
    r"|[省市县縣区區州](?:政协|政協|委|政府|人大))"
)
_SHORT_FRAGMENT = 6
_SUBJECT_END = re.compile(
    r"(?:政协|政協|委|局|会|會|院|府|部|厅|廳|办|辦|省|市|县|縣|区|區|州|镇|鎮|乡|鄉|村)$"
)
_VERB_START = re.compile(
    r"^(?:召开|召開|开展|開展|举办|舉辦|举行|舉行|组织|組織|推进|推進|推动|推動|启动|啟動|部署|调研|調研"
    r"|视察|視察|走访|走訪|出台|发布|發布|印发|印發|表彰|成立|学习|學習|传达|傳達|审议|審議|通过|通過)"
)


@dataclass
class Headline:
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None


def _han_len(text: str) -> int:
    return len(_HAN.findall(text))


def _ends_colon(text: str) -> bool:
    return text.endswith((":", "："))


def _join_broken(lines: list[str]) -> list[str]:
    """Rejoin a title the typesetter broke over two lines."""
    units: list[str] = []
    for line in lines:
        prev = units[-1] if units else None
        if prev is None or _DASH.match(line):
            units.append(line)
        elif _ends_colon(prev) or _subject_then_verb(prev, line):
            units[-1] = prev + line
        elif _parallel(prev, line):
            units[-1] = prev + " " + line
        else:
            units.append(line)
    return units


def _subject_then_verb(prev: str, line: str) -> bool:
    """``山丹县政协`` / ``召开…会议``: a short subject line, its predicate on the next line."""
    return (
        " " not in prev
        and _han_len(prev) <= _SHORT_FRAGMENT
        and bool(_SUBJECT_END.search(prev) and _VERB_START.match(line))
    )


def _parallel(prev: str, line: str) -> bool:
    """``思想上解“惑”`` / ``政策上解“渴” 精神上解“压”``: one phrase of a parallel title."""
    parts = line.split()
    return (
        " " not in prev
        and len(parts) > 1
        and _han_len(prev) <= _SHORT_FRAGMENT
        and any(_han_len(part) == _han_len(prev) for part in parts)
    )


def _is_factual(text: str) -> bool:
    return " " not in text and bool(_FACTUAL.match(text))


def _assign(units: list[str]) -> Headline:
    """Kicker/title/subtitle for dash-free units, by position and the conventions above."""
    colon = [i for i, u in enumerate(units) if re.search(r"[:：]", u)]
    if colon:
        i = colon[0]
        before, after = units[:i], units[i + 1 :]
        return Headline(" ".join(before) or None, units[i], " ".join(after) or None)
    if len(units) == 1:
        return Headline(title=units[0])
    if len(units) == 2:
        if _is_factual(units[0]) and not _is_factual(units[1]):
            return Headline(kicker=units[0], title=units[1])
        return Headline(title=units[0], subtitle=units[1])
    return Headline(units[0], units[1], " ".join(units[2:]))


def parse_headline(lines: list[str]) -> Headline:
    """The heading lines above an article's byline, top to bottom, as a Headline."""
    units = _join_broken([line.strip() for line in lines if line.strip()])
    if not units:
        return Headline()
    dashed = [i for i, u in enumerate(units) if _DASH.match(u)]
    if not dashed:
        return _assign(units)
    head = _assign(units[: dashed[0]]) if dashed[0] else Headline()
    subtitle = " ".join(_DASH.sub("", u) for u in units[dashed[0] :])
    if head.subtitle and not head.kicker:
        head = Headline(head.title, head.subtitle)
    return Headline(head.kicker, head.title, subtitle or None)
