"""Body repair: rejoin paragraphs broken by columns and pages, and lift out jump markers.

PDF extraction cuts a paragraph wherever a column or page ends (``…推动党对政协工作的全面`` /
``领导,进一步…``). A line that does not end a sentence continues on the next body line, joined
without a space: Chinese has none between words. Section headings inside a body stay their own
lines; a lone heading dropped into the middle of a broken sentence is put back before that
paragraph, the sentence rejoined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stages.segment.lines import is_heading

_TERMINAL = "。！？!?…"
_CLOSERS = "”’」』\"')）"
# Simplified and Traditional verbs: segmentation runs before conversion to Simplified.
_JUMP = re.compile(
    r"[(（]\s*(?P<verb>上接|下[转轉]|接|[转轉]|[续續])\s*(?P<page>第?\s*[0-9０-９一二三四五六七八九十A-Z]{1,3}\s*版)\s*[)）]"
)

_ONWARD = ("下转", "下轉", "转", "轉")  # the article goes on elsewhere; the others say where it came from


@dataclass
class Jumps:
    """Where an article came from and where it goes, as the page states it (``一版``, ``第3版``)."""

    continued_from: str | None = None
    continued_to: str | None = None


def strip_jumps(text: str, jumps: Jumps) -> str:
    """Remove jump markers from one line, noting them in ``jumps``."""
    for match in _JUMP.finditer(text):
        page = re.sub(r"\s+", "", match.group("page"))
        if match.group("verb") in _ONWARD:
            jumps.continued_to = jumps.continued_to or page
        else:
            jumps.continued_from = jumps.continued_from or page
    return _JUMP.sub("", text).strip()


def starts_with_jump(text: str) -> bool:
    """True for a line opened by (接一版) / (上接第2版): the start of a continued article."""
    match = _JUMP.match(text.strip())
    return bool(match) and match.group("verb") not in _ONWARD


def ends_sentence(text: str) -> bool:
    """Whether a line ends a sentence (a closing quote counts only after final punctuation)."""
    text = text.rstrip()
    while text and text[-1] in _CLOSERS:
        text = text[:-1]
        if text and text[-1] in _TERMINAL:
            return True
    return bool(text) and text[-1] in _TERMINAL


def _is_open(line: str) -> bool:
    """A body line cut mid-sentence."""
    return not is_heading(line) and not ends_sentence(line)


def _lift_stray_headings(lines: list[str]) -> list[str]:
    """Move a lone heading that splits a sentence to before that sentence's paragraph."""
    out = list(lines)
    for i in range(1, len(out) - 1):
        prev, here, nxt = out[i - 1], out[i], out[i + 1]
        if _is_open(prev) and is_heading(here) and not is_heading(nxt):
            start = i - 1
            while start > 0 and _is_open(out[start - 1]):
                start -= 1
            out[start : i + 1] = [here, *out[start:i]]
    return out


def join_broken(lines: list[str]) -> list[str]:
    """Paragraphs from lines: a body line cut mid-sentence continues on the next body line."""
    paragraphs: list[str] = []
    for line in _lift_stray_headings([x for x in lines if x.strip()]):
        line = line.strip()
        if paragraphs and _is_open(paragraphs[-1]) and not is_heading(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs
