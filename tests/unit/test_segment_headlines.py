"""Headline stacks: kicker, title and subtitle."""

from __future__ import annotations

import pytest

from stages.segment.headlines import Headline, parse_headline
from stages.segment.split import segment_page

# Shapes the page model misreads on pages this small (the rules read them): kept as
# the contract to win back; strict, so a model that reads them again is noticed.
MODEL_GAP = pytest.mark.xfail(strict=True, reason="page model cb8272fe9e7c: known gap, issue 19")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            ["服务中心献良策 汇聚共识增合力", "——梨树县政协上半年工作综述"],
            Headline(None, "服务中心献良策 汇聚共识增合力", "梨树县政协上半年工作综述"),
        ),
        (
            ["喜迎二十大 奋进新征程", "双辽市教育局开展主题党日活动"],
            Headline(None, "喜迎二十大 奋进新征程", "双辽市教育局开展主题党日活动"),
        ),
        (
            ["思想上解“惑”", "政策上解“渴” 精神上解“压”", "铁东区召开新时代宣讲团成立仪式暨基层宣讲员培训会"],
            Headline(
                None,
                "思想上解“惑” 政策上解“渴” 精神上解“压”",
                "铁东区召开新时代宣讲团成立仪式暨基层宣讲员培训会",
            ),
        ),
        (
            ["嘉峪关市政协召开党组理论学习中心组(扩大)会议", "用新思想新理论武装头脑指导实践推动工作"],
            Headline(
                "嘉峪关市政协召开党组理论学习中心组(扩大)会议", "用新思想新理论武装头脑指导实践推动工作"
            ),
        ),
        (
            ["山丹县政协", "召开党组理论学习中心组(扩大)会议"],
            Headline(None, "山丹县政协召开党组理论学习中心组(扩大)会议"),
        ),
        (
            ["推进政协协商向基层延伸", "漳县三岔镇:", "政协协商议事成为『干群连心桥』"],
            Headline("推进政协协商向基层延伸", "漳县三岔镇:政协协商议事成为『干群连心桥』"),
        ),
        (
            ["乡村振兴巾帼先行 培训赋能带头致富", "梨树县妇联组织开展农村致富带头人培训"],
            Headline(None, "乡村振兴巾帼先行 培训赋能带头致富", "梨树县妇联组织开展农村致富带头人培训"),
        ),
        (["引题一行", "主题在这里", "——副题在这里"], Headline("引题一行", "主题在这里", "副题在这里")),
        (["单行标题"], Headline(None, "单行标题")),
    ],
)
def test_headline_stacks(lines, expected):
    assert parse_headline(lines) == expected


@MODEL_GAP
def test_section_headings_stay_in_the_body_and_start_no_article():
    page = (
        "总标题\n\n本报通讯员 张三\n\n导语一段。\n\n加强政治引领 凝聚强大向心力\n\n"
        "正文第二段。\n\n下好队伍建设棋\n\n着力推进整体提升\n\n正文第三段。"
    )
    [item] = segment_page(page)
    assert item.title == "总标题"
    assert item.body == (
        "导语一段。\n加强政治引领 凝聚强大向心力\n正文第二段。\n"
        "下好队伍建设棋\n着力推进整体提升\n正文第三段。"
    )


@MODEL_GAP
def test_headline_text_never_leaks_into_a_body():
    page = (
        "第一篇标题\n\n本报讯(记者 张三)第一篇正文。\n\n第二篇标题\n\n副题\n\n本报讯(记者 李四)第二篇正文。"
    )
    first, second = segment_page(page)
    assert first.body == "第一篇正文。" and second.body == "第二篇正文。"
    assert (second.title, second.subtitle) == ("第二篇标题", "副题")
