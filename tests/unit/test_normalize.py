"""normalize_item / normalize_text: fields, flags, score. Expected values written by hand."""

from pathlib import Path

import pytest

from stages.items import ItemKind, NormalizedItem, PageItem
from stages.text.normalize import NormalizeConfig, normalize_item, normalize_text
from stages.text.quality import detect_mojibake, quality_score

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
LONG_BODY = "梨树县政协坚持守正创新,紧扣经济社会发展工作大局,充分发挥人民政协的优势作用。"


def _item(body: str, **fields) -> PageItem:
    return PageItem(position=0, kind=ItemKind.ARTICLE, body=body, **fields)


def test_item_fields_are_normalized_and_body_keeps_paragraphs():
    item = _item(
        "第一段,内容。\n\n第二段 2 个。",
        title="新河縣政協 換屆",
        kicker="■ 专题",
        subtitle="——梨树县政协上半年工作综述",
        authors=["屈 萍", "  ", "王志海"],
        place="嘉峪關",
    )
    result = normalize_item(item)
    assert isinstance(result, NormalizedItem)
    assert result.body == "第一段，内容。\n第二段2个。"
    assert result.title == "新河县政协 换届"
    assert result.kicker == "■ 专题"
    assert result.authors == ["屈萍", "王志海"]
    assert result.place == "嘉峪关"
    assert result.char_count == 13


def test_traditional_item_is_converted_and_flagged():
    result = normalize_item(_item("新河縣政協換屆以來,在市政協的正確指導和新河縣委的堅強領導下。"))
    assert result.script == "traditional"
    assert result.body == "新河县政协换届以来，在市政协的正确指导和新河县委的坚强领导下。"
    assert result.quality_flags == ["converted_from_traditional"]
    assert result.quality_score == 1.0


def test_a_traditional_title_over_a_simplified_body_makes_a_mixed_item():
    # 4 Traditional-only characters in the title against the body's Simplified-only ones
    # (树县协坚创紧经济发会挥协优势…): a minority of more than 15 %, counted over both fields.
    result = normalize_item(_item(LONG_BODY, title="新河縣政協換屆"))
    assert result.script == "mixed"
    assert result.title == "新河县政协换届"


def test_clean_simplified_item_has_no_flag_and_full_score():
    result = normalize_item(_item(LONG_BODY))
    assert result.script == "simplified"
    assert result.quality_flags == []
    assert result.quality_score == 1.0


def test_empty_item_is_kept_and_flagged_too_short():
    result = normalize_item(_item("\u200b \x00\n\n", title="  "))
    assert result.body == ""
    assert result.title is None
    assert result.char_count == 0
    assert result.quality_flags == ["too_short"]
    assert result.quality_score == 0.6


def test_unconfident_segmentation_and_mojibake_are_flagged_and_scored():
    result = normalize_item(_item(LONG_BODY + "鏈接\ufffd失效", confident=False))
    assert result.quality_flags == ["mojibake", "segmentation_uncertain"]
    assert result.quality_score == pytest.approx(0.5 * 0.8)


def test_min_chars_is_configurable():
    short = normalize_item(_item("一二三四五"), NormalizeConfig(min_chars=5))
    assert "too_short" not in short.quality_flags
    assert "too_short" in normalize_item(_item("一二三四"), NormalizeConfig(min_chars=5)).quality_flags


def test_normalize_text_returns_text_and_flags():
    assert normalize_text("什麼 ,  2 個") == ("什么，2个", ["converted_from_traditional"])
    assert normalize_text("") == ("", [])


@pytest.mark.parametrize(
    "text",
    ["鏈接\ufffd失效", "教育基地?U建", "向?ぴL地", "企業家?ь^", "你好吗?我很好"],
)
def test_mojibake_signs(text):
    assert detect_mojibake(text)


@pytest.mark.parametrize(
    "text",
    ["你好吗？", "卡尔·马克思", "東京タワーは日本の電波塔です", "普京说：Россия", "hello?"],
)
def test_not_mojibake(text):
    assert not detect_mojibake(text)


def test_quality_score_formula():
    assert quality_score([]) == 1.0
    assert quality_score(["mojibake", "too_short"]) == 0.3
    assert quality_score(["pinyin_removed", "converted_from_traditional"]) == 0.95
    assert quality_score(["mojibake"] * 3) == 0.5


def test_seed_pages_normalize_cleanly():
    for path in sorted(SEEDS.glob("*.txt")):
        text, flags = normalize_text(path.read_text(encoding="utf-8"))
        assert ",中" not in text and " 个" not in text, path.name
        if not path.name.startswith("002_"):
            assert flags == [], path.name
