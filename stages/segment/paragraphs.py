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


def _lift_stray_headings(lines: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Move a lone heading that splits a sentence to before that sentence's paragraph."""
    out = list(lines)
    for i in range(1, len(out) - 1):
        (prev, prev_head), (_, here_head), (_, next_head) = out[i - 1], out[i], out[i + 1]
        if not prev_head and not ends_sentence(prev) and here_head and not next_head:
            start = i - 1
            while start > 0 and not out[start - 1][1] and not ends_sentence(out[start - 1][0]):
                start -= 1
            out[start : i + 1] = [out[i], *out[start:i]]
    return out


def join_paragraphs(lines: list[tuple[str, bool]]) -> list[str]:
    """Paragraphs from (text, is a heading) lines: a body line cut mid-sentence continues on
    the next body line; a heading stands alone, before the paragraph a break split around it."""
    paragraphs: list[tuple[str, bool]] = []
    for text, heading in _lift_stray_headings([(t.strip(), h) for t, h in lines if t.strip()]):
        last = paragraphs[-1] if paragraphs else None
        if last and not last[1] and not ends_sentence(last[0]) and not heading:
            paragraphs[-1] = (last[0] + text, False)
        else:
            paragraphs.append((text, heading))
    return [text for text, _ in paragraphs]


def join_broken(lines: list[str]) -> list[str]:
    """:func:`join_paragraphs` with headings told by their shape (short, no sentence punctuation)."""
    return join_paragraphs([(line, is_heading(line.strip())) for line in lines])
