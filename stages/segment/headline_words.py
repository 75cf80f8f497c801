"""The parts of speech of the words that open and close a short headline-like line.

Only the flags of jieba's dictionary words count (a closed vocabulary of ASCII names), never the
words: shapes of a headline's parts that any paper shares, not a particular article's text.
"""

from __future__ import annotations

import re

from stages.text.script import to_simplified
from stages.words.enrich import edge_flags

# Headline-like: at most this long, no sentence punctuation.
_POS_MAX = 30
# A sentence mark: a line holding one is text, not a headline or a credit.
SENTENCE_MARK = re.compile(r"[，,。；;！!？?]")


def _coarse(flag: str) -> str:
    return flag[:2] if flag[:2] in ("nr", "ns", "nt", "vn") else flag[:1]


def edge_word_attributes(text: str, traditional: bool) -> dict[str, str]:
    """The part of speech of the words that open and close a short line with no sentence
    punctuation (a headline, a kicker, a subhead, a name, a column tag): who-did-what lines,
    banners and themes differ there."""
    if len(text) > _POS_MAX or SENTENCE_MARK.search(text):
        return {}
    first, last = edge_flags(to_simplified(text) if traditional else text)
    return {"p0": _coarse(first) if first else "none", "pn": _coarse(last) if last else "none"}
