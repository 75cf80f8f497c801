"""Absurd input: degenerate pages are refused, over-long items too, repetition is flagged."""

import json
import time

import pytest

from stages.items import DecodedPage, ItemKind, PageItem, StageError
from stages.segment.split import split_bounded
from stages.text.normalize import normalize_item
from stages.text.quality import REPETITIVE, repeated_share, top_ngram_share
from tests.conftest import SEEDS

PARAGRAPH = "梨树县政协坚持守正创新、超前谋划、狠抓落实，紧扣经济社会发展工作大局。委员们深入基层调研。"


def _page(text: str) -> DecodedPage:
    return DecodedPage(text=text, encoding="utf-8", format="text")


def test_a_page_of_one_paragraph_repeated_is_refused_before_any_segmentation():
    with pytest.raises(StageError) as refused:
        split_bounded(_page("重复的一页\n\n" + (PARAGRAPH + "\n") * 2000), max_item_chars=50_000)
    assert refused.value.code == "repetitive" and "100%" in refused.value.detail


def test_an_item_over_the_limit_is_refused_with_the_setting_to_raise():

    body = "".join(f"第{i}段，委员们围绕第{i}个议题深入讨论并提出建议。" for i in range(4000))
    record = json.dumps({"title": "长文", "body": body}, ensure_ascii=False)
    page = DecodedPage(text=record, encoding="utf-8", format="jsonl")
    with pytest.raises(StageError) as refused:
        split_bounded(page, max_item_chars=50_000)
    assert refused.value.code == "item_too_long" and "NEWSFLOW_MAX_ITEM_CHARS" in refused.value.detail
    assert split_bounded(page, max_item_chars=len(body))


def test_repeated_sentences_lower_the_quality_score_and_say_why():
    fresh = PageItem(0, ItemKind.ARTICLE, PARAGRAPH * 1)
    looped = PageItem(0, ItemKind.ARTICLE, PARAGRAPH * 5)
    assert repeated_share(fresh.body) == 0 and repeated_share(looped.body) == pytest.approx(0.8)
    assert REPETITIVE not in normalize_item(fresh).quality_flags
    flagged = normalize_item(looped)
    assert REPETITIVE in flagged.quality_flags and flagged.quality_score < 0.5


def _seconds(text: str) -> float:
    started = time.perf_counter()
    split_bounded(_page(text), max_item_chars=10_000_000)
    return time.perf_counter() - started


def test_segmentation_cost_grows_linearly_with_the_page():
    # A page of distinct paragraphs four times as long must not cost sixteen times as much
    # (a quadratic step would); the bound is loose because the machine is shared.
    def page(paragraphs: int) -> str:
        return "\n".join(f"第{i}段。{PARAGRAPH}委员{i}号发言。" for i in range(paragraphs))
    _seconds(page(50))  # load the model
    small, large = min(_seconds(page(1500)) for _ in range(2)), min(_seconds(page(6000)) for _ in range(2))
    assert large / small < 8, (small, large)


def test_a_looped_phrase_without_punctuation_is_flagged_and_real_pages_are_not():
    # Text that repeats a phrase with no sentence to repeat (the character n-gram measure)
    looped = PageItem(0, ItemKind.ARTICLE, "我们一起努力" * 80, title="标题")
    assert top_ngram_share(looped.body, 3) > 0.35
    assert REPETITIVE in normalize_item(looped).quality_flags
    # And no article of the sample pages is flagged
    for seed in sorted(SEEDS.glob("*.txt")):
        for item in split_bounded(DecodedPage(seed.read_text("utf-8"), "utf-8", "text"), 50_000):
            assert REPETITIVE not in normalize_item(item).quality_flags, (seed.name, item.title)
