"""Normalize stage: a PageItem's text made Simplified, clean and comparable, with quality flags.

Order matters: typography first (it regularizes the parentheses pinyin annotations sit in),
then pinyin removal (pypinyin needs the original Traditional character to confirm a reading),
then OpenCC. The pass runs until its output is stable, because removing an annotation can
bring together a space and a Han character that typography would have joined; that makes
``normalize_text`` idempotent, which the task's "safe to run twice" promise relies on.
"""

from __future__ import annotations

from dataclasses import dataclass

from stages.items import NormalizedItem, PageItem
from stages.text import quality
from stages.text.pinyin import strip_pinyin
from stages.text.script import TO_SIMPLIFIED_CONFIGS, ScriptCounts, convert_and_count
from stages.text.typography import tidy_typography

_MAX_PASSES = 4


@dataclass(frozen=True)
class NormalizeConfig:
    """How to normalize: the OpenCC config for Traditional text and the too_short threshold."""

    opencc_config: str = "t2s"
    min_chars: int = 20
    # Toneless "(li)" after 李 is removed only on a page with this many toned annotations.
    min_toned_hits: int = 3

    def __post_init__(self) -> None:
        if self.opencc_config not in TO_SIMPLIFIED_CONFIGS:
            raise ValueError(
                f"opencc_config must be one of {TO_SIMPLIFIED_CONFIGS}, not {self.opencc_config!r}"
            )


@dataclass(frozen=True)
class NormalizedText:
    text: str
    flags: frozenset[str]
    counts: ScriptCounts


def _one_pass(source: str, config: NormalizeConfig) -> tuple[str, set[str], ScriptCounts, bool]:
    """One pass; the last value says whether another pass could change the text."""
    text = tidy_typography(source)
    flags = {quality.MOJIBAKE} if quality.detect_mojibake(text) else set()
    stripped = strip_pinyin(text, config.min_toned_hits)
    if stripped.removed:
        flags.add(quality.PINYIN_REMOVED)
    if stripped.garbled:
        flags.add(quality.MOJIBAKE)
    converted, counts = convert_and_count(stripped.text, config.opencc_config)
    # When nothing was removed or converted and typography leaves the text alone, the next
    # pass would see exactly this pass's input again: settled, without paying for it. Text
    # typography did not change (most text) is known to be tidy without tidying it again.
    tidy = text == source or tidy_typography(text) == text
    settled = not stripped.removed and converted == text and tidy
    return converted, flags, counts, not settled


def normalize_text_detailed(
    text: str, config: NormalizeConfig = NormalizeConfig()
) -> NormalizedText:
    """normalize_text, also returning the script evidence of the source text."""
    text, flags, counts, unsettled = _one_pass(text, config)
    for _ in range(_MAX_PASSES - 1):
        if not unsettled:
            break
        again, more, _, unsettled = _one_pass(text, config)
        flags |= more
        unsettled = unsettled and again != text
        text = again
    if counts.script != "simplified":
        flags.add(quality.CONVERTED_FROM_TRADITIONAL)
    return NormalizedText(text, frozenset(flags), counts)


def normalize_text(text: str, config: NormalizeConfig = NormalizeConfig()) -> tuple[str, list[str]]:
    """Normalize one text (a field or a search query): returns (text, quality flags)."""
    result = normalize_text_detailed(text, config)
    return result.text, quality.order_flags(result.flags)


class _Collector:
    """Normalizes the fields of one item while pooling their flags and script counts."""

    def __init__(self, config: NormalizeConfig):
        self.config, self.flags, self.counts = config, set(), ScriptCounts()

    def text(self, value: str) -> str:
        result = normalize_text_detailed(value, self.config)
        self.flags |= result.flags
        self.counts += result.counts
        return result.text

    def optional(self, value: str | None) -> str | None:
        return (self.text(value) or None) if value is not None else None


def normalize_item(item: PageItem, config: NormalizeConfig = NormalizeConfig()) -> NormalizedItem:
    """Normalize every text field of an item; flag problems, never drop the item."""
    fields = _Collector(config)
    authors = [a for a in (fields.text(a) for a in item.authors) if a]
    kicker, title = fields.optional(item.kicker), fields.optional(item.title)
    subtitle, place = fields.optional(item.subtitle), fields.optional(item.place)
    body = fields.text(item.body)
    flags = set(fields.flags)
    # Script is judged over the whole item: one converted title is not a Traditional item.
    flags.discard(quality.CONVERTED_FROM_TRADITIONAL)
    if fields.counts.script != "simplified":
        flags.add(quality.CONVERTED_FROM_TRADITIONAL)
    if not item.confident:
        flags.add(quality.SEGMENTATION_UNCERTAIN)
    char_count = len("".join(body.split()))  # characters that are not whitespace
    if char_count < config.min_chars:
        flags.add(quality.TOO_SHORT)
    if quality.is_repetitive(body):
        flags.add(quality.REPETITIVE)
    ordered = quality.order_flags(flags)
    return NormalizedItem(
        kicker=kicker, title=title, subtitle=subtitle, authors=authors, place=place, body=body,
        script=fields.counts.script, quality_flags=ordered,
        quality_score=quality.quality_score(ordered), char_count=char_count,
    )
