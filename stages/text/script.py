"""Script detection and Traditional → Simplified conversion with the official OpenCC engine.

Only character-level standard configs are allowed (t2s, tw2s, hk2s): the ``…2sp`` configs also
rewrite vocabulary (計程車 → 出租车), which would change what the journalist wrote.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from opencc import OpenCC

from stages.text.typography import count_han

TO_SIMPLIFIED_CONFIGS = ("t2s", "tw2s", "hk2s")
# Shares below this are noise (a quoted name, one odd glyph), not a second script.
MIXED_MIN_SHARE = 0.15
MIXED_MIN_CHARS = 2


@cache
def converter(config: str) -> OpenCC:
    """One OpenCC converter per config per process (loading the dictionaries costs ~ms)."""
    if config not in TO_SIMPLIFIED_CONFIGS and config != "s2t":
        raise ValueError(f"unsupported OpenCC config {config!r}")
    return OpenCC(f"{config}.json")


def warm_up(config: str) -> None:
    """Build the converters normalize uses now (a worker process before its pool forks), not
    in a pool process's first task: loading their dictionaries is not free."""
    for name in dict.fromkeys((config, "t2s", "s2t")):
        converter(name)


def to_simplified(text: str, config: str = "t2s") -> str:
    """Convert Traditional (or mixed) Chinese to Simplified with the given OpenCC config."""
    if config not in TO_SIMPLIFIED_CONFIGS:
        raise ValueError(f"{config!r} is not a plain Traditional → Simplified config")
    return converter(config).convert(text)


def _changed_han(source: str, converted: str) -> int:
    """Han characters of ``source`` that the conversion replaced."""
    if source == converted:
        return 0
    if len(source) == len(converted):
        # Compare code points in numpy: a Python loop over every character of every text
        # was a quarter of the normalize stage; only the few changed ones are looked at.
        # The changed characters go back to a string for one regex count: a Traditional page
        # changes most of its characters, and a call per character cost as much again.
        before = np.frombuffer(source.encode("utf-32-le"), dtype=np.uint32)
        after = np.frombuffer(converted.encode("utf-32-le"), dtype=np.uint32)
        return count_han(before[before != after].tobytes().decode("utf-32-le"))
    matcher = difflib.SequenceMatcher(None, source, converted, autojunk=False)
    return sum(count_han(source[i1:i2])
               for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal")


@dataclass(frozen=True)
class ScriptCounts:
    """Han characters only Traditional would write, and those only Simplified would.

    The Simplified-only count matters only where Traditional characters were found (a text
    with none is "simplified" whatever else it holds), and it costs an s2t conversion and a
    comparison of every text, most of ``convert_and_count``'s work, while most texts have no
    Traditional character. So the counts keep the texts, and ``simplified`` converts them the
    first time it is asked for.
    """

    traditional: int = 0
    texts: tuple[str, ...] = ()  # whose Simplified-only characters ``simplified`` counts

    @cached_property
    def simplified(self) -> int:
        """Han characters of the texts that s2t changes (phrase-aware, so shared characters
        like 后 in 皇后 don't count)."""
        s2t = converter("s2t")
        return sum(_changed_han(text, s2t.convert(text)) for text in self.texts if text)

    def __add__(self, other: ScriptCounts) -> ScriptCounts:
        return ScriptCounts(self.traditional + other.traditional, self.texts + other.texts)

    @property
    def script(self) -> str:
        """"simplified", "traditional" or "mixed" (text with no marked character: simplified)."""
        trad = self.traditional
        if trad == 0:
            return "simplified"
        simp = self.simplified
        total = trad + simp
        minority = min(trad, simp)
        if minority >= MIXED_MIN_CHARS and minority / total >= MIXED_MIN_SHARE:
            return "mixed"
        return "traditional" if trad > simp else "simplified"


def convert_and_count(text: str, config: str = "t2s") -> tuple[str, ScriptCounts]:
    """Simplified text plus the evidence of which script(s) the input was written in.

    Traditional-only characters are those the configured conversion changes; Simplified-only
    ones are those s2t changes, counted when needed (``ScriptCounts.simplified``).
    """
    simplified = to_simplified(text, config)
    return simplified, ScriptCounts(_changed_han(text, simplified), (text,))


def detect_script(text: str, config: str = "t2s") -> str:
    """"simplified", "traditional" or "mixed" for one text."""
    return convert_and_count(text, config)[1].script
