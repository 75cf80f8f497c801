"""Pinyin annotation removal, on hand-made cases and on the real annotated seed page."""

import re
from pathlib import Path

import pytest

from stages.text.normalize import normalize_text
from stages.text.pinyin import readings, strip_pinyin

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PAREN_GROUP = re.compile(r"[(（][^()（）]*[)）]")
PINYIN_LETTERS = "a-zA-ZüÜɑɡāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
PINYIN_GROUP = re.compile(f"[(（][{PINYIN_LETTERS}]{{1,7}}[)）]")


def test_toned_annotation_after_its_character_is_removed():
    result = strip_pinyin("新河縣政協(xié)換屆")
    assert result.text == "新河縣政協換屆"
    assert result.removed == 1


def test_full_width_parentheses_and_alpha_variants():
    assert strip_pinyin("指導（dǎo）").text == "指導"
    # ɑ (U+0251) and ɡ (U+0261) are the typographic a/g used in pinyin fonts.
    assert strip_pinyin("堅強(qiánɡ)").text == "堅強"
    assert strip_pinyin("發(fɑ̄)").text == "發"
    assert strip_pinyin("綠(lǜ)色").text == "綠色"


def test_annotation_that_is_not_a_reading_of_the_character_stays():
    assert strip_pinyin("協(dǎo)").text == "協(dǎo)"


@pytest.mark.parametrize(
    "text", ["加入(WTO)", "（记者 张三）", "(下转第2版)", "李(Li)说", "中心组(扩大)"]
)
def test_legitimate_parentheses_stay(text):
    assert strip_pinyin(text).text == text


def test_toneless_syllable_needs_an_annotated_page():
    assert strip_pinyin("頭(tou)").text == "頭(tou)"
    annotated = "協(xié)會(huì)發(fā)頭(tou)"
    assert strip_pinyin(annotated).text == "協會發頭"
    # Capitalized romanization is a name even on an annotated page.
    assert strip_pinyin("協(xié)會(huì)發(fā)李(Li)").text == "協會發李(Li)"


def test_annotation_on_a_garbled_character_is_removed_and_reported():
    result = strip_pinyin("教育基地?cái)U(kuò)建，協(xié)會(huì)發(fā)")
    assert result.text == "教育基地?U建，協會發"
    assert result.garbled


def test_a_lone_broken_annotation_is_removed_without_any_opening_bracket_in_the_text():
    # The decoder ate the character and its "(": only the closing bracket is left.
    result = strip_pinyin("教育基地?cái)建设")
    assert (result.text, result.removed, result.garbled) == ("教育基地?建设", 1, True)


def test_pypinyin_knows_traditional_characters():
    assert "xie" in readings("協")
    assert "dao" in readings("導")
    assert readings("A") == frozenset()


def test_real_traditional_page_loses_all_annotations_and_no_real_parenthesis():
    # Given the real annotated Traditional page.
    raw = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    groups_before = PAREN_GROUP.findall(raw)
    pinyin_before = PINYIN_GROUP.findall(raw)
    assert len(pinyin_before) > 200
    # When it is normalized.
    text, flags = normalize_text(raw)
    # Then no pinyin group remains, every non-pinyin group survives, and it is flagged.
    assert PINYIN_GROUP.findall(text) == []
    legit_before = [g for g in groups_before if not PINYIN_GROUP.fullmatch(g)]
    assert len(PAREN_GROUP.findall(text)) == len(legit_before)
    assert not re.search(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", text)
    assert "新河县政协" in text
    assert {"pinyin_removed", "converted_from_traditional", "mojibake"} <= set(flags)


def test_simplified_pages_keep_every_parenthesis():
    for path in sorted(SEEDS.glob("*.txt")):
        if path.name.startswith("002_"):
            continue
        raw = path.read_text(encoding="utf-8")
        text, flags = normalize_text(raw)
        assert len(PAREN_GROUP.findall(text)) == len(PAREN_GROUP.findall(raw)), path.name
        assert "pinyin_removed" not in flags
