"""What the page-structure model sees of each line: shapes, never words of a particular article.

A page's lines (blank lines dropped, counted as gaps) become lists of attribute strings for the
linear-chain CRF (``stages.segment.model``). The hand rules are features here, not decisions:
the kind ``lines.classify`` gives a line, whether a dateline, byline or credit pattern parses
it, whether a jump marker opens it. The rest is shape: length against the page's body lines,
how the line ends and starts, spaces and commas in it, gaps around it, its place on the page,
name-like tokens, the script, the parts of speech that open and close a short headline-like
line (``headline_words``). Where the page has type sizes (a PDF), each line's size against the
body's (``type_sizes``). Each line also carries a few of its neighbours' attributes, so the
model reads a stack (kicker, title, byline, lead) as the pattern it is.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from stages.segment.credits import is_personal_name, read_photo_credit, split_dateline
from stages.segment.headline_words import SENTENCE_MARK, edge_word_attributes
from stages.segment.lines import LineKind, classify
from stages.segment.markers import MARKERS, PROBE, TRADITIONAL
from stages.segment.paragraphs import starts_with_jump
from stages.segment.type_sizes import size_attributes
from stages.words.enrich import spans_word

_SPACES = " \u3000\xa0\t"
_CHAR_CLASS = {
    **dict.fromkeys("。！？!?…", "stop"), **dict.fromkeys("”’」』\"'", "quote"),
    **dict.fromkeys("，,、；;：:", "comma"), **dict.fromkeys("—―─-", "dash"),
    **dict.fromkeys("）)】〕]》", "close"), **dict.fromkeys("（(【〔[《", "open"),
    **dict.fromkeys("「『“", "quote"), **dict.fromkeys("□■◆◇●○◎▲△★☆", "bullet"),
}
_NAME = re.compile(r"^[\u3400-\u9fff]{2,4}$")
_NAME_TOKENS = re.compile(r"^(?:[\u3400-\u9fff]{2,3}[\s\u3000、]+){1,5}[\u3400-\u9fff]{2,3}$")
_PADDED_NAME = re.compile(r"^[\u3400-\u9fff](?:[\s\u3000]+[\u3400-\u9fff]){1,2}$")
_JUMP_ONLY = re.compile(r"^[(（]\s*(?:上接|下[转轉]|接|[转轉]|[续續])[^()（）]{1,8}[)）]$")
_LENGTHS = (1, 2, 3, 4, 6, 9, 14, 20, 30, 45, 80, 160)
_RATIOS = (0.15, 0.3, 0.5, 0.8, 1.05)
_CREDIT_KINDS = (LineKind.CREDIT, LineKind.CAPTION)
_CREDIT_MAX = 40
# Every credit ``split_dateline`` reads opens with a bracket or 据, holds a filing mark or a
# parenthesis near its start, or closes the line: others need not be tried.
_DATELINE_HINT = re.compile(r"^(?:[【〔\[［据]|.{0,30}?[讯訊电電]|.{0,14}?[(（])|[)）〕】]$")
_HEADING = str(LineKind.HEADING)
# Of each neighbour, the attributes that describe the stack a line sits in.
_CONTEXT = ("k", "len", "e", "s", "gap", "name", "dl", "byl", "cr", "p0", "fs",
            "lead_open", "coh", "in_stack")
# The lines on each side whose words measure a change of subject, and its buckets.
_COHESION_LINES = 3
_COHESION_CHARS = 80
_HEADLINE_MAX = 40
_COHESION = (0.02, 0.05, 0.1, 0.2, 0.35)
# Headline-sized lines, and how the lengths of two of them in a row compare.
_BREAK_MAX = 30
_LENGTH_RATIOS = (0.5, 0.8, 1.25, 2.0)
# Lines to the nearest credit-like and byline/dateline-like line, in buckets.
_DISTANCES = (1, 2, 3, 5, 8)
@dataclass(frozen=True)
class PageLine:
    """A non-blank line of a page: its text (stripped), whether it was indented, how many
    blank lines came before it, and the kind the hand rules give it (read once, here)."""

    text: str
    indented: bool
    blank_before: int
    kind: LineKind
    size: float | None = None  # the type size, where the page has one (a PDF)


def page_lines_of(text: str, sizes: Sequence[float] | None = None) -> list[PageLine]:
    """The page's non-blank lines, in order, with their gaps; with ``sizes`` (one per
    non-blank line, a PDF's), each line's type size (sizes of another count are ignored)."""
    lines: list[PageLine] = []
    blanks = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if not stripped:
            blanks += 1
            continue
        lines.append(PageLine(stripped, raw[:1] in _SPACES, blanks, classify(stripped).kind))
        blanks = 0
    if sizes is not None and len(sizes) == len(lines):  # else not this text's: left out
        lines = [replace(line, size=size) for line, size in zip(lines, sizes, strict=True)]
    return lines


def _bucket(value: float, bounds: tuple) -> int:
    """The index of the first bound the value does not pass (len(bounds) past them all)."""
    return bisect_left(bounds, value)


def _class_of(char: str) -> str:
    if found := _CHAR_CLASS.get(char):
        return found
    if "\u3400" <= char <= "\u9fff":
        return "han"
    return "digit" if char.isdigit() else "latin" if char.isascii() and char.isalpha() else "other"


def _reference_length(lines: list[PageLine]) -> float:
    """The length of the page's typical body line: its long lines set it, whatever the texture."""
    lengths = sorted(len(line.text) for line in lines)
    return float(lengths[int(len(lengths) * 0.8)]) if lengths else 1.0


def _patterns(text: str, kind: LineKind) -> dict[str, str]:
    """The hand rules' verdicts on the line, as attributes."""
    found = {"k": str(kind)}
    if kind is LineKind.BYLINE:
        found["byl"] = "1"
    elif kind in _CREDIT_KINDS or _marked_credit(text):
        found["cr"] = "1"
    if _DATELINE_HINT.search(text) and (dateline := split_dateline(text)):
        found["dl"] = "named" if dateline.authors else "place" if dateline.place else "1"
    if starts_with_jump(text):
        found["jump"] = "start"
    elif len(text) < 16 and _JUMP_ONLY.match(text):
        found["jump"] = "only"
    return found


def _marked_credit(text: str) -> bool:
    """A short line with a credit's mark (摄, 绘, 供图, 图/文) that names its author: the credit
    forms the hand rules do not read (``X摄（影像中国）``, ``X绘（《…》供图）``)."""
    return (len(text) <= _CREDIT_MAX and not SENTENCE_MARK.search(text)
            and bool(MARKERS["shot"].search(text) or MARKERS["picture"].search(text))
            and read_photo_credit(text) is not None)


def _distances(own: list[dict[str, str]], key: str) -> tuple[list[str], list[str]]:
    """For each line, how far (bucketed) the nearest line before and after it with ``key``."""
    def scan(order: range) -> list[str]:
        found, last = [""] * len(own), None
        for i in order:
            found[i] = "far" if last is None else str(_bucket(abs(i - last), _DISTANCES))
            if key in own[i]:
                last = i
        return found

    return scan(range(len(own))), scan(range(len(own) - 1, -1, -1))


def _name_shape(text: str) -> str | None:
    """A person's name alone (padded or not), or several: what a bare byline is."""
    names = text.split()
    if (_NAME.match(text) or _PADDED_NAME.match(text)) and is_personal_name("".join(names)):
        return "one"
    if _NAME_TOKENS.match(text) and all(is_personal_name(name) for name in names):
        return "several"
    return None


def _own(line: PageLine, reference: float) -> dict[str, str]:
    """The line's own attributes, by name."""
    text = line.text
    length = len(text)
    found = _patterns(text, line.kind)
    found |= {"len": str(_bucket(length, _LENGTHS)), "rel": str(_bucket(length / reference, _RATIOS)),
              "e": _class_of(text[-1]), "s": _class_of(text[0]), "gap": str(min(line.blank_before, 2)),
              "sp": str(min(text.count(" ") + text.count("\u3000") + text.count("\xa0"), 2)),
              "cm": str(min(text.count("，") + text.count(",") + text.count("、"), 3)),
              "stop_inside": "1" if any(c in text[:-1] for c in "。！？") else "0"}
    if line.indented:
        found["indent"] = "1"
    if length <= 16 and (name := _name_shape(text)):
        found["name"] = name
    traditional = bool(TRADITIONAL.search(text))
    if traditional:
        found["trad"] = "1"
    probe = text if length <= 2 * PROBE else text[:PROBE] + "\x00" + text[-PROBE:]
    found.update({key: "1" for key, pattern in MARKERS.items() if pattern.search(probe)})
    return found | edge_word_attributes(text, traditional)


def _bigrams(text: str) -> frozenset[str]:
    return frozenset(map(str.__add__, text, text[1:]))


def _cohesion(lines: list[PageLine]) -> list[str]:
    """How much the text from a short line on shares with the text just before it (character
    bigrams of a few lines on each side, bucketed): a new story changes the subject, a
    heading inside a story does not. A shape of the page, not of any one article's words.
    Only short lines (where headlines, names and credits are) are measured."""
    grams = [_bigrams(line.text[:_COHESION_CHARS]) for line in lines]
    found = []
    for i, line in enumerate(lines):
        if len(line.text) > _HEADLINE_MAX:
            found.append("na")
            continue
        before = frozenset().union(*grams[max(0, i - _COHESION_LINES):i])
        after = frozenset().union(*grams[i:i + _COHESION_LINES])
        shared = len(before & after) / len(after) if before and after else -1.0
        found.append("none" if shared < 0 else str(_bucket(shared, _COHESION)))
    return found


def _mark_breaks(lines: list[PageLine], own: list[dict[str, str]]) -> None:
    """Between two short lines with no gap: does a word run across the break, and how do
    their lengths compare (a title broken in two is balanced; a kicker and its title, less)."""
    for i in range(len(lines) - 1):
        first, second = lines[i].text, lines[i + 1].text
        if lines[i + 1].blank_before or len(first) > _BREAK_MAX or len(second) > _BREAK_MAX:
            continue
        if spans_word(first, second):
            own[i]["word>"] = own[i + 1]["word<"] = "1"
        ratio = str(_bucket(len(second) / len(first), _LENGTH_RATIOS))
        own[i]["next_len"], own[i + 1]["prev_len"] = ratio, ratio


def _mark_stacks(own: list[dict[str, str]]) -> None:
    """Runs of headline-like lines (short, no sentence punctuation, no credit): each line's
    place in its run and the run's size. A stack of three is kicker, title, subtitle as a
    rule; one of two, a kicker and its title, a title and its subtitle, or a broken title."""
    start = 0
    while start < len(own):
        if own[start]["k"] != _HEADING:
            start += 1
            continue
        end = start
        while end < len(own) and own[end]["k"] == _HEADING and (end == start or own[end]["gap"] != "2"):
            end += 1
        size = end - start
        for i in range(start, end):
            own[i]["stack"] = str(min(size, 4))
            own[i]["in_stack"] = "last" if i == end - 1 and size > 1 else str(min(i - start, 2))
        start = end


def line_features(lines: list[PageLine]) -> list[list[str]]:
    """Every line's attributes (``name=value`` strings), with its neighbours' context."""
    reference = _reference_length(lines)
    own = [_own(line, reference) for line in lines]
    if lines and all(line.size for line in lines):
        for attributes, sized in zip(own, size_attributes([line.text for line in lines],
                                                          [line.size for line in lines]), strict=True):
            attributes |= sized
    for attributes, cohesion in zip(own, _cohesion(lines), strict=True):
        attributes["coh"] = cohesion
    _mark_breaks(lines, own)
    _mark_stacks(own)
    credit_before, credit_after = _distances(own, "cr")
    anchor_before, anchor_after = _distances(own, "dl")
    last = len(lines) - 1
    features = []
    for i, attributes in enumerate(own):
        row = [f"{key}={value}" for key, value in attributes.items()]
        row += [f"cr<{credit_before[i]}", f"cr>{credit_after[i]}", f"dl<{anchor_before[i]}",
                f"dl>{anchor_after[i]}"]
        row.append(f"at={'first' if i == 0 else 'last' if i == last else _bucket(i / last, (0.1, 0.9))}")
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j <= last:
                row += [f"{offset}:{key}={own[j][key]}" for key in _CONTEXT if key in own[j]]
            else:
                row.append(f"{offset}:none")
        row += _pairs(own, i)
        features.append(row)
    return features


def _pairs(own: list[dict[str, str]], i: int) -> list[str]:
    """A few attributes of a line taken together with its neighbours' (a linear model cannot
    combine them itself): how the line before ended, and the kinds of the lines around it."""
    here = own[i]
    before = own[i - 1] if i else {"k": "none", "e": "none"}
    after = own[i + 1] if i + 1 < len(own) else {"k": "none", "len": "none"}
    return [f"kk={before['k']}|{here['k']}|{after['k']}",
            f"ek={before['e']}|{here['k']}|{here['gap']}",
            f"ll={here['len']}|{after['len']}|{here['k']}",
            f"sp={here.get('stack', '0')}|{here.get('in_stack', '-')}|{here.get('p0', '-')}"]
