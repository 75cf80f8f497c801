"""Typography: widths, spaces, invisible characters. Expected values written by hand."""

import pytest

from stages.text.typography import clean_characters, tidy_typography


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("组建党员先锋队 2 个,共 3 人", "组建党员先锋队2个，共3人"),
        ("(通讯员屈 萍)", "（通讯员屈萍）"),
        ("梨树县政协坚持守正创新,紧扣大局", "梨树县政协坚持守正创新，紧扣大局"),
        ("时间:上午;地点:会议室", "时间：上午；地点：会议室"),
        ("你好吗?", "你好吗？"),
        ("太好了!", "太好了！"),
        ("中心组(扩大)会议", "中心组（扩大）会议"),
        ("加入世贸组织(WTO)。", "加入世贸组织（WTO）。"),
        ("(下转第2版)", "（下转第2版）"),
        ("协商议事成为『干群连心桥』", "协商议事成为“干群连心桥”"),
        ("他说「好」", "他说“好”"),
        ("“渴” 精神上", "“渴”精神上"),
        ("中 , 文", "中，文"),
    ],
)
def test_chinese_context_is_typeset_full_width_without_spaces(raw, expected):
    assert tidy_typography(raw) == expected


@pytest.mark.parametrize(
    "text",
    [
        "COVID 19 vaccine, 3.14 stays",
        "version 2",
        "join (WTO) now",
        "http://example.com/a?b=1",
        "Hello, world!",
    ],
)
def test_latin_text_and_numbers_are_left_alone(text):
    assert tidy_typography(text) == text


def test_thousands_separator_and_clock_time_keep_half_width():
    assert tidy_typography("共1,000元,时间:10:30") == "共1,000元，时间：10:30"


def test_space_between_two_multi_character_names_stays():
    # Given a byline with two names; when tidied; then the names stay apart.
    assert tidy_typography("通讯员王志海 李晶") == "通讯员王志海 李晶"
    assert tidy_typography("服务中心献良策 汇聚共识增合力") == "服务中心献良策 汇聚共识增合力"


def test_full_width_digits_letters_and_space_fold():
    assert tidy_typography("ＡＢＣ１２３ｘｙｚ") == "ABC123xyz"
    assert tidy_typography("第　２　版") == "第2版"
    # Half-width katakana is not folded.
    assert tidy_typography("ｱ") == "ｱ"


def test_invisible_and_unencodable_characters_are_removed():
    raw = "新\u200b闻\u200c报\u200d道\ufeff\x00 A\x07B\ud800C\udfff"
    assert tidy_typography(raw) == "新闻报道 ABC"


def test_newlines_survive_and_blank_lines_collapse():
    assert tidy_typography("第一段。\r\n\r\n  \n第二段。\r第三段。  ") == "第一段。\n第二段。\n第三段。"


def test_nfc_composition_after_folding():
    # Full-width A + combining acute becomes the single character Á.
    assert clean_characters("\uff21\u0301") == "\u00c1"
    assert tidy_typography("e\u0301") == "é"


def test_question_mark_between_han_and_letters_is_kept_as_is():
    # A "?" glued between Han and a letter is a decoding hole, not a question.
    assert tidy_typography("基地?U建") == "基地?U建"
