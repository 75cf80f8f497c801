"""A headline stack (the heading lines above a byline) to kicker, title and subtitle.

Conventions, checked against the sample pages:

* the title (主题) is the thematic line; a line that only states who did what (``天祝县政协召开
  十四届三次常委会会议``) is the kicker (引题) when it sits above the theme and the subtitle (副题)
  when it sits below it;
* a line opened by a dash (``——梨树县政协上半年工作综述``) is a subtitle, dash dropped;
* a ``地点：主题`` line is the title, whatever sits above it is the kicker;
* a title broken over two lines is rejoined: after a colon (``漳县三岔镇:`` / ``政协协商…``), when
  a short first line is only a subject and the next line opens its predicate (``山丹县政协`` /
  ``召开…会议``, ``香港青年`` / ``赴灣區…``: jieba finds no verb in the first, a verb, preposition or
  adverb opening the second), or when the first line is one phrase of a parallel title
  (``思想上解“惑”`` / ``政策上解“渴” 精神上解“压”``, joined with a space);
* of two lines, a set of parallel phrases (``推動創科發展 不能只靠政府``) under a single phrase is the
  theme: the title, the single phrase above it the kicker;
* of two lines, a campaign banner (a verb phrase with no subject: ``推動粵港澳大灣區建設``) above a
  statement with its own subject (``香港青年赴灣區創業熱情高``) is the kicker, the statement the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stages.text.script import to_simplified

# The project's tokenizer (news dictionary loaded), built once per process on first use.
from stages.words.enrich import pos_tags

_DASH = re.compile(r"^[—―─\-－]{1,3}\s*")
_HAN = re.compile(r"[\u3400-\u9fff]")
# Who-did-what lines start with a place or an organisation: 嘉峪关市政协…, 西固区政协…
_FACTUAL = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,7}?(?:省|市|县|縣|区|區|州|旗|镇|鎮|乡|鄉)(?![村场場域级級])|全国|全國|中共"
    r"|[省市县縣区區州](?:政协|政協|委|政府|人大))"
)
_SHORT_FRAGMENT = 6
# Two lines of a display headline each this short are parallel phrases, not a wrapped sentence.
_PARALLEL_MAX = 10
# jieba tags: a line with any of these has a predicate of its own; one opened by them is a predicate.
_VERB_TAGS = frozenset({"v", "vd", "vi", "vg", "vq"})
_PREDICATE_OPENERS = _VERB_TAGS | {"p", "d"}
# A banner opens with its verb; jieba tags some (建设, 加强) as verbal nouns, which here still lead.
_BANNER_OPENERS = _VERB_TAGS | {"vn"}


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
        elif _ends_colon(prev) or _subject_then_predicate(prev, line):
            units[-1] = prev + line
        elif _parallel(prev, line):
            units[-1] = prev + " " + line
        else:
            units.append(line)
    return units


def join_title(lines: list[str]) -> str:
    """A title printed over several lines, as one: rejoined by the rules above, and two short
    lines of about the same length (``迎新春`` / ``过大年``) kept apart by a space, as the
    parallel phrases of a display headline are."""
    units = _join_broken([line.strip() for line in lines if line.strip()])
    title = units[0] if units else ""
    for unit in units[1:]:
        parallel = max(len(title), len(unit)) <= _PARALLEL_MAX and abs(len(title) - len(unit)) <= 2
        title += (" " if parallel and title[-1:].isalnum() else "") + unit
    return title


def _tags(text: str) -> list[str]:
    """jieba POS tags of a headline line, read in Simplified (jieba's dictionary is Simplified)."""
    return [flag for _, flag in pos_tags(to_simplified(text)) if flag != "x"]


def _subject_then_predicate(prev: str, line: str) -> bool:
    """``山丹县政协`` / ``召开…会议``: a short subject line, its predicate on the next line.

    A kicker is a phrase of its own (``聚焦两会``, ``喜迎二十大``: it has a verb); a subject alone is
    not, so the typesetter only broke the title.
    """
    if " " in prev or _han_len(prev) > _SHORT_FRAGMENT:
        return False
    head, tail = _tags(prev), _tags(line)
    return bool(head and tail) and not _VERB_TAGS.intersection(head) and tail[0] in _PREDICATE_OPENERS


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


def _is_banner(text: str) -> bool:
    """``推動粵港澳大灣區建設``: one verb phrase with no subject, the campaign a story belongs to."""
    tags = _tags(text) if " " not in text else []
    return bool(tags) and tags[0] in _BANNER_OPENERS


def _has_subject(text: str) -> bool:
    """A single statement that opens with its subject (``香港青年赴灣區…``), not with a verb."""
    tags = _tags(text) if " " not in text else []
    return bool(tags) and tags[0] not in _PREDICATE_OPENERS


def _is_parallel_theme(text: str) -> bool:
    """Phrases set apart by spaces (``抓队伍 强组织 壮经济``): the typographic mark of a theme line."""
    return len(text.split()) > 1


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
        if _is_parallel_theme(units[1]) and " " not in units[0]:
            return Headline(kicker=units[0], title=units[1])
        if _is_banner(units[0]) and _has_subject(units[1]):
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
