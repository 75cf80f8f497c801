"""Paragraph repair and jump markers."""

from __future__ import annotations

import pytest

from stages.segment.paragraphs import Jumps, ends_sentence, join_broken, strip_jumps
from stages.segment.split import segment_page

# Shapes the page model misreads on pages this small (the rules read them): kept as
# the contract to win back; strict, so a model that reads them again is noticed.
MODEL_GAP = pytest.mark.xfail(strict=True, reason="page model cb8272fe9e7c: known gap, issue 19")


def test_column_break_is_rejoined_without_a_space():
    broken = ["深入贯彻落实会议精神,推动党对政协工作的全面", "领导,进一步完善。"]
    assert join_broken(broken) == ["深入贯彻落实会议精神,推动党对政协工作的全面领导,进一步完善。"]
    broken = ["客观总结,学习借鉴域外先进地区的成果做", "法,提出合理化工作建议。"]
    assert join_broken(broken) == ["客观总结,学习借鉴域外先进地区的成果做法,提出合理化工作建议。"]


def test_a_line_ending_in_a_comma_continues():
    assert join_broken(["认领并解决实事难题 101 个,", "坚决打赢疫情防控阻击战。"]) == [
        "认领并解决实事难题 101 个,坚决打赢疫情防控阻击战。"
    ]


def test_real_paragraph_ends_stay():
    lines = ["第一段结束了。", "第二段说:“好。”", "第三段问?"]
    assert join_broken(lines) == lines


def test_closing_quote_counts_only_after_final_punctuation():
    assert ends_sentence("他说:“好。”")
    assert not ends_sentence("贡献“政协智慧”")


def test_section_heading_is_not_glued_to_the_body():
    assert join_broken(["第一段。", "加强政治引领 凝聚强大向心力", "第二段。"]) == [
        "第一段。",
        "加强政治引领 凝聚强大向心力",
        "第二段。",
    ]


def test_a_stray_heading_inside_a_broken_sentence_moves_before_its_paragraph():
    lines = [
        "全面加强自身建设",
        "强化委员服务管理,宣传贯彻省委十",
        "履职能力建设不断提升",
        "二次党代会精神。",
    ]
    assert join_broken(lines) == [
        "全面加强自身建设",
        "履职能力建设不断提升",
        "强化委员服务管理,宣传贯彻省委十二次党代会精神。",
    ]


def test_blank_line_between_a_broken_sentence_and_its_continuation():
    page = "标题\n\n本报讯(通讯员 张三)活动现场,献血中心的医务人员精\n\n\n\n心为每名献血者测血压。"
    [item] = segment_page(page)
    assert item.body == "活动现场,献血中心的医务人员精心为每名献血者测血压。"


def test_jump_markers_are_lifted_out():
    jumps = Jumps()
    assert strip_jumps("(接一版)坚持有为才能有位。", jumps) == "坚持有为才能有位。"
    assert strip_jumps("确保各项目按期完工。（下转第4版）", jumps) == "确保各项目按期完工。"
    assert (jumps.continued_from, jumps.continued_to) == ("一版", "第4版")
    jumps = Jumps()
    strip_jumps("（上接第 2 版）", jumps)
    assert jumps.continued_from == "第2版"


@MODEL_GAP
def test_jump_in_starts_an_article_and_is_kept_in_continued_from():
    page = (
        "上一篇标题\n\n本报讯 上一篇正文。\n\n续篇标题\n\n"
        "(接一版)续篇正文第一段。\n\n续篇正文第二段。(下转第3版)"
    )
    first, second = segment_page(page)
    assert first.body == "上一篇正文。"
    assert (second.title, second.continued_from, second.continued_to) == ("续篇标题", "一版", "第3版")
    assert second.body == "续篇正文第一段。\n续篇正文第二段。"


def test_displaced_fragment_is_put_back_after_the_lead():
    page = (
        "前一篇标题\n\n本报讯 前一篇。\n\n图片说明。\n\n本报通讯员 王峰 摄\n\n"
        "喜迎二十大 奋进新征程\n\n双辽市教育局开展主题党日活动\n\n的决心。\n\n随后,参观了浮雕。\n\n"
        "本报讯(通讯员 林天骥)近日,开展了活动。\n\n活动中,表达为党的事业奋斗终身"
    )
    items = segment_page(page)
    assert [i.kind for i in items] == ["article", "photo", "article"]
    assert items[2].body == "近日,开展了活动。\n活动中,表达为党的事业奋斗终身的决心。\n随后,参观了浮雕。"
