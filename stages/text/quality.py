"""Quality flags and the quality score of a normalized item.

Flags explain; they never drop. A flagged article is stored like any other, and the score lets
search rank it lower or an operator find it.
"""

from __future__ import annotations

import re
from collections import Counter

from stages.text.typography import HAN

MOJIBAKE = "mojibake"
PINYIN_REMOVED = "pinyin_removed"
CONVERTED_FROM_TRADITIONAL = "converted_from_traditional"
SEGMENTATION_UNCERTAIN = "segmentation_uncertain"
TOO_SHORT = "too_short"
REPETITIVE = "repetitive"
FLAG_ORDER = (
    MOJIBAKE,
    PINYIN_REMOVED,
    CONVERTED_FROM_TRADITIONAL,
    SEGMENTATION_UNCERTAIN,
    TOO_SHORT,
    REPETITIVE,
)

# quality_score = product of the weights of the flags present (1.0 with no flag), rounded to
# 3 places, so it lies in [0, 1] and each problem lowers it independently. Garbled text hurts
# search most; a short or unstructured item is still mostly usable; removed pinyin and a
# Traditional source cost nothing in the stored text but say it went through repair.
FLAG_WEIGHTS = {
    REPETITIVE: 0.3,
    MOJIBAKE: 0.5,
    TOO_SHORT: 0.6,
    SEGMENTATION_UNCERTAIN: 0.8,
    PINYIN_REMOVED: 0.95,
    CONVERTED_FROM_TRADITIONAL: 1.0,
}

# A "?" glued between Han and a letter/Han is a character the decoder could not map.
_QUESTION_IN_HAN = re.compile(f"[{HAN}]\\?(?=[^\\W\\d_])")
# Kana or Cyrillic in a Chinese text: legitimate only as whole words (Japanese or Russian);
# a run of one or two letters is a byte sequence decoded with the wrong codec.
_STRAY_SCRIPT = re.compile(
    "(?<![\u3041-\u30fa\u0400-\u04ff])"
    "(?:[\u3041-\u30fa]{1,2}(?![\u3041-\u30fa])|[\u0400-\u04ff]{1,2}(?![\u0400-\u04ff]))"
)
_HAN_RUN = re.compile(f"[{HAN}]")
_KANA = re.compile("[\u3041-\u30fa\u30fc]")


def _mostly_chinese(text: str) -> bool:
    han = len(_HAN_RUN.findall(text))
    return han > 0 and len(_KANA.findall(text)) * 10 < han


def detect_mojibake(text: str) -> bool:
    """True when the text shows signs of a wrong decoding (see the patterns above)."""
    if "\ufffd" in text or _QUESTION_IN_HAN.search(text):
        return True
    # The rare stray letters first: counting every Han character is the costly half.
    return bool(_STRAY_SCRIPT.search(text)) and _mostly_chinese(text)


# Repetition, measured as the Gopher rules and datatrove's and Data-Juicer's filters do: the
# share of characters in sentences (and lines) that repeat an earlier one. Real articles
# quote a sentence twice now and then; a fifth of the text repeated is degenerate.
REPEATED_SHARE_MAX = 0.2
_SENTENCES = re.compile(r"(?<=[。！？!?；;])|\n")


def repeated_share(text: str) -> float:
    """Share of the text's characters in sentences or lines that repeat an earlier one."""
    seen: set[str] = set()
    repeated = total = 0
    for unit in _SENTENCES.split(text):
        unit = unit.strip()
        if not unit:
            continue
        total += len(unit)
        if unit in seen:
            repeated += len(unit)
        else:
            seen.add(unit)
    return repeated / total if total else 0.0


# The other half of those filters: the share of the text the most frequent character n-gram
# covers. Set above the highest seen in 4,000 real articles of ../shared/corpus (0.16, 0.24 for
# a list of book titles, 0.16 for n = 2, 3, 4), so only text that loops a phrase is flagged.
TOP_NGRAM_MAX = {2: 0.3, 3: 0.35, 4: 0.35}


def top_ngram_share(text: str, n: int) -> float:
    """Share of the text's non-space characters covered by its most frequent n-gram (0 for a
    text too short to tell)."""
    chars = "".join(text.split())
    if len(chars) < 10 * n:
        return 0.0
    grams = Counter(chars[i:i + n] for i in range(len(chars) - n + 1))
    return grams.most_common(1)[0][1] * n / len(chars)


def is_repetitive(text: str) -> bool:
    """Sentences or lines repeated, or a phrase looped: degenerate text, not an article."""
    return repeated_share(text) > REPEATED_SHARE_MAX or any(
        top_ngram_share(text, n) > limit for n, limit in TOP_NGRAM_MAX.items())


def order_flags(flags: set[str] | list[str]) -> list[str]:
    """Known flags in a stable order, unknown ones after them alphabetically."""
    known = [f for f in FLAG_ORDER if f in flags]
    return known + sorted(set(flags) - set(FLAG_ORDER))


def quality_score(flags: list[str]) -> float:
    """Product of the weights of the flags present (see FLAG_WEIGHTS), in [0, 1]."""
    score = 1.0
    for flag in set(flags):
        score *= FLAG_WEIGHTS.get(flag, 1.0)
    return round(score, 3)
