"""Enrichment with jieba and the project's news dictionary."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stages.items import ItemKind, NormalizedItem, PageItem
from stages.segment.split import split_document
from stages.text.decode import decode_page
from stages.text.normalize import normalize_item
from stages.words.enrich import _jieba, _word, enrich, search_tokens
from stages.words.tokenizer import jiebas_own

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _normalized(body: str, title: str | None = None) -> NormalizedItem:
    return normalize_item(PageItem(position=0, kind=ItemKind.ARTICLE, body=body, title=title))


def _places(text: str) -> dict[str, int]:
    entities = enrich(_normalized(text)).entities
    return {e.text: e.count for e in entities if e.type == "place"}


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("梨树县政协坚持守正创新，紧扣经济社会发展工作大局。", "梨树县"),
        ("党史学习教育开展以来，铁东区立足眼前解决群众问题。", "铁东区"),
        ("伊通满族自治县民政局开展走访慰问活动。", "伊通满族自治县"),
        ("本报嘉峪关讯，会议在市政协召开。", "嘉峪关"),
        ("助力新河县经济社会事业高质量跨越发展。", "新河县"),
    ],
)
def test_place_names_come_out_whole(sentence, place):
    assert place in _places(sentence)


def test_entities_are_counted_and_typed():
    # 梨树县委 is 梨树 + 县委 (the county's party committee), so the county is named twice here.
    item = _normalized("梨树县政协召开会议。梨树县的委员出席。记者王毅报道，县委组织部参加。")
    entities = {(e.text, e.type): e.count for e in enrich(item).entities}
    assert entities[("梨树县", "place")] == 2
    assert entities[("王毅", "person")] == 1
    assert entities[("县委组织部", "organization")] == 1


def test_ordinary_words_mistagged_as_names_are_not_people():
    item = _normalized("社区养老服务中心种植玉米，弘扬文明新风。")
    people = [e.text for e in enrich(item).entities if e.type == "person"]
    assert people == []


def test_tokens_title_tokens_and_keywords():
    item = _normalized("伊通满族自治县政协组织委员开展调研，调研乡村振兴工作。", title="政协开展调研")
    result = enrich(item)
    # Search mode emits the parts of a dictionary compound before the compound itself.
    assert result.title_tokens == ["政协", "开展", "调研", "开展调研"]
    assert "伊通满族自治县" in result.tokens and "自治县" in result.tokens
    assert "，" not in result.tokens and "。" not in result.tokens
    assert "调研" in result.keywords
    assert len(result.keywords) <= 10


def test_search_tokens_for_queries():
    assert search_tokens("梨树县 乡村振兴") == ["梨树", "梨树县", "乡村", "振兴"]
    assert search_tokens("") == []


def test_empty_item_enriches_to_empty_lists():
    result = enrich(_normalized(""))
    assert (result.tokens, result.title_tokens, result.keywords, result.entities) == ([], [], [], [])


def test_tokenizer_is_loaded_once_and_is_not_jiebas_global():
    import jieba

    assert _jieba() is _jieba()
    assert _jieba().tokenizer is not jieba.dt


def test_real_page_keywords_and_places():
    raw = next(SEEDS.glob("004_*.txt")).read_text(encoding="utf-8")
    result = enrich(_normalized(raw))
    places = {e.text for e in result.entities if e.type == "place"}
    assert {"三岔镇", "西和县", "庆阳市", "山丹县", "天祝县"} <= places
    assert "政协" in result.keywords


def _seed_items() -> list[NormalizedItem]:
    pages = [decode_page(path.read_bytes(), str(path)) for path in sorted(SEEDS.glob("*.txt"))]
    return [normalize_item(item) for page in pages for item in split_document(page)]


def test_tokens_are_jiebas_search_mode_tokens_of_each_field():
    # Given every item of the sample pages
    tokenizer = _jieba().tokenizer
    for item in _seed_items():
        # When it is enriched
        result = enrich(item)
        # Then its tokens are what jieba's own cut_for_search gives for each field, in order,
        # punctuation and spaces left out
        def search_mode(text: str | None) -> list[str]:
            return [t for t in tokenizer.cut_for_search(text or "") if re.search(r"[^\W_]", t)]

        assert result.title_tokens == search_mode(item.title)
        assert result.tokens == search_mode(item.title) + search_mode(item.subtitle) + search_mode(item.body)


def test_enrichment_does_not_depend_on_what_was_enriched_before():
    # Given the sample items enriched by a process that has seen nothing yet
    items = _seed_items()
    _word.cache_clear()
    first = [enrich(item) for item in items]
    # When they are enriched again, in the other order, after each other's words are known
    again = [enrich(item) for item in reversed(items)][::-1]
    # Then every result is the same
    assert again == first and len(first) > 5


def _jiebas_route(stock, text: str) -> list[int]:
    """jieba's best route: the end of the word taken at each position."""
    route = {}
    stock.calc(text, stock.get_DAG(text), route)
    return [route[i][1] for i in range(len(text))]


def test_route_and_words_are_jiebas_on_the_seed_pages():
    # Given every line of the seed pages, and jieba's own tokenizer over the same dictionary
    ours = _jieba().tokenizer
    stock = jiebas_own(ours)
    lines = [line for path in sorted(SEEDS.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for line in lines:
        # Then the project's best route is jieba's, and so are the words
        assert ours.best_route(line) == _jiebas_route(stock, line)
        assert list(ours.cut(line)) == list(stock.cut(line))


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from("中华人民共和国政协县长会议在梨树召开的了是不本报讯记者林天骥0123abc,。、 "),
               max_size=60)
       | st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), max_size=40))
def test_route_and_words_are_jiebas_on_any_text(text):
    # Given text of dictionary words, names, digits and punctuation, or rare characters
    ours = _jieba().tokenizer
    stock = jiebas_own(ours)
    # Then the route and the words are jieba's
    assert ours.best_route(text) == _jiebas_route(stock, text)
    assert list(ours.cut(text)) == list(stock.cut(text))
