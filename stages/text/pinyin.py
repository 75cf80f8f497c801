"""Removal of pinyin reading annotations such as 協(xié) from extracted page text.

Some sources print the reading of every Traditional character in parentheses right after it.
An annotation is only removed when pypinyin confirms it is a reading of the character before
it, so 李(Li), (WTO) or (下转第2版) stay. Tone-marked syllables are unmistakable; a toneless
one is only trusted on a page that already carries several confirmed tone-marked annotations.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from pypinyin import Style, pinyin

from stages.text.typography import HAN, is_han

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛ"
# Combining tone marks too: "ɑ̄" has no precomposed form, so NFC leaves the mark separate.
_TONE_MARKS = "\u0300\u0301\u0304\u030c"
_SYLLABLE = f"[a-zA-ZüÜɑɡ{_TONED}][a-zA-ZüÜɑɡ{_TONED}{_TONE_MARKS}\u0308]{{0,8}}"
# The character before the annotation is captured so it can be checked and kept.
_ANNOTATION = re.compile(f"(?P<host>.)[(（](?P<syl>{_SYLLABLE})[)）]")
# A decoder that swallowed a character's bytes often ate the "(" too: "?cái)".
_BROKEN = re.compile(f"(?<=[?\ufffd])(?P<syl>{_SYLLABLE})[)）]")
_TONE_RE = re.compile(f"[{_TONE_MARKS}]")
# Hosts that can never be a garbled character: spaces, punctuation, brackets, digits.
_NOT_GARBLE = re.compile(f"[\\s\\d{HAN}\\W]")
GARBLE_MARKS = "?\ufffd"


@dataclass(frozen=True)
class PinyinResult:
    """Text without annotations, how many were removed, and whether some sat on garbage."""

    text: str
    removed: int
    garbled: bool


# Syllables are a closed set (pypinyin knows 1,549 toned readings), met again on every
# annotated page: each is reduced once, not decomposed again at every annotation of every
# pass. Bounded: text that only looks like pinyin is not a closed set.
@lru_cache(maxsize=4096)
def _plain(syllable: str) -> str:
    """Lower case, ɑ/ɡ as a/g, tone marks (and the ü diaeresis) stripped."""
    syllable = syllable.lower().replace("ɑ", "a").replace("ɡ", "g")
    decomposed = unicodedata.normalize("NFD", syllable)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=4096)
def has_tone(syllable: str) -> bool:
    """True when a tone mark is present, precomposed (ā) or combining (ɑ̄)."""
    return bool(_TONE_RE.search(unicodedata.normalize("NFD", syllable)))


@cache
def readings(char: str) -> frozenset[str]:
    """Toneless readings of one Han character from pypinyin's dictionary (empty if unknown)."""
    if not is_han(char):
        return frozenset()
    found = pinyin(char, heteronym=True, style=Style.TONE)[0]
    return frozenset(_plain(r) for r in found if r != char)


@cache
def _all_syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows: the test for an annotation on a garbled char."""
    from pypinyin.pinyin_dict import pinyin_dict

    return frozenset(_plain(r) for value in pinyin_dict.values() for r in value.split(","))


def _confirmed(host: str, syllable: str, toned_hits: int, min_toned_hits: int) -> bool:
    if _plain(syllable) not in readings(host):
        return False
    # Toneless "(li)" could be a romanized name; only trust it on an annotated page.
    return has_tone(syllable) or (syllable.islower() and toned_hits >= min_toned_hits)


def _on_garbage(host: str, syllable: str, toned_hits: int, min_toned_hits: int) -> bool:
    """A tone-marked syllable after a mojibake character on a page full of annotations."""
    if not has_tone(syllable) or _plain(syllable) not in _all_syllables():
        return False
    return host in GARBLE_MARKS or (
        toned_hits >= min_toned_hits and not _NOT_GARBLE.match(host)
    )


def count_toned_hits(text: str) -> int:
    """Confirmed tone-marked annotations: the evidence that a page is annotated at all."""
    return sum(
        1
        for m in _ANNOTATION.finditer(text)
        if has_tone(m["syl"]) and _plain(m["syl"]) in readings(m["host"])
    )


def strip_pinyin(text: str, min_toned_hits: int = 3) -> PinyinResult:
    """Remove confirmed reading annotations; report those found on garbled characters."""
    if ")" not in text and "）" not in text:  # both patterns end at a closing bracket
        return PinyinResult(text, 0, False)
    hits = count_toned_hits(text)
    removed = garbled = 0

    def replace(match: re.Match) -> str:
        nonlocal removed, garbled
        host, syllable = match["host"], match["syl"]
        if _confirmed(host, syllable, hits, min_toned_hits):
            removed += 1
            return host
        if _on_garbage(host, syllable, hits, min_toned_hits):
            removed, garbled = removed + 1, garbled + 1
            return host
        return match.group(0)

    text = _ANNOTATION.sub(replace, text)
    text, broken = _BROKEN.subn(lambda m: "" if has_tone(m["syl"]) else m.group(0), text)
    return PinyinResult(text, removed + broken, bool(garbled or broken))
