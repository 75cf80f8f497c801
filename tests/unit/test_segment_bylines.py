"""Bylines, datelines and photo credits, one form per test."""

from __future__ import annotations

import pytest

from stages.segment.bylines import (
    parse_byline_line,
    parse_credit,
    parse_dateline,
    parse_weak_dateline,
    split_inline_credit,
)
from stages.segment.split import segment_page


@pytest.mark.parametrize(
    ("line", "authors", "roles", "place", "lead"),
    [
        ("本报讯(通讯员 林天骥)近日,双辽市", ["林天骥"], ["通讯员"], None, "近日,双辽市"),
        ("本报讯（通讯员 林天骥）近日，双辽市", ["林天骥"], ["通讯员"], None, "近日，双辽市"),
        ("本报(通讯员 尹莉丽)为全面做好", ["尹莉丽"], ["通讯员"], None, "为全面做好"),
        ("本报嘉峪关讯(通讯员苏天泰)10月12日,", ["苏天泰"], ["通讯员"], "嘉峪关", "10月12日,"),
        ("本报山丹讯(通讯员屈 萍)10月11日,", ["屈萍"], ["通讯员"], "山丹", "10月11日,"),
        ("本报西固讯(通讯员王志海 李晶)10月", ["王志海", "李晶"], ["通讯员"] * 2, "西固", "10月"),
        ("本报讯(通讯员 孙福东)", ["孙福东"], ["通讯员"], None, ""),
        ("本报长春10月14日讯（记者 孙 洋）记者从", ["孙洋"], ["记者"], "长春", "记者从"),
        (
            "新华社北京10月13日电（记者 王小明 赵敏）记者13日",
            ["王小明", "赵敏"],
            ["记者", "记者"],
            "北京",
            "记者13日",
        ),
        (
            "本报讯（记者 赵刚 通讯员 钱 丽 孙伟）10月13日",
            ["赵刚", "钱丽", "孙伟"],
            ["记者", "通讯员", "通讯员"],
            None,
            "10月13日",
        ),
        ("本報訊（記者 陳大文）越來越多", ["陳大文"], ["记者"], None, "越來越多"),
    ],
)
def test_datelines(line, authors, roles, place, lead):
    byline = parse_dateline(line)
    assert byline is not None
    assert (byline.authors, byline.roles, byline.place, byline.lead) == (authors, roles, place, lead)


@pytest.mark.parametrize(
    ("line", "authors", "roles"),
    [
        ("本报通讯员 吴万强 王新月", ["吴万强", "王新月"], ["通讯员", "通讯员"]),
        ("本报记者 李明 张 华", ["李明", "张华"], ["记者", "记者"]),
        ("记者 周洁 通讯员 吴涛", ["周洁", "吴涛"], ["记者", "通讯员"]),
        ("□ 裴文婷", ["裴文婷"], []),
        ("■ 新河縣政協(xié)", ["新河縣政協"], []),
        ("□ 李 娜", ["李娜"], []),
        ("本報通訊員 梁志強", ["梁志強"], ["通讯员"]),
    ],
)
def test_byline_lines(line, authors, roles):
    byline = parse_byline_line(line)
    assert byline is not None
    assert (byline.authors, byline.roles) == (authors, roles)


@pytest.mark.parametrize(
    "line",
    [
        "加强政治引领 凝聚强大向心力",
        "记者：作为一名基层委员，您如何看待？",
        "本报记者近日走访了多个村屯，了解到。",
    ],
)
def test_not_bylines(line):
    assert parse_byline_line(line) is None
    assert parse_dateline(line) is None


def test_weak_datelines():
    assert parse_weak_dateline("10月12日电 今天上午").lead == "今天上午"
    reported = parse_weak_dateline("据新华社报道，今年我国秋粮")
    assert (reported.authors, reported.lead) == (["新华社"], "今年我国秋粮")
    assert parse_weak_dateline("据了解,专家组一行深入") is None


@pytest.mark.parametrize(
    ("line", "authors", "roles"),
    [
        ("本报通讯员 金大庆 摄", ["金大庆"], ["通讯员"]),
        ("本报记者 刘洋 摄影", ["刘洋"], ["记者"]),
        ("（新华社记者 张楠 摄）", ["张楠"], ["记者"]),
        ("县委宣传部供图", ["县委宣传部"], []),
        ("摄影：张三", ["张三"], []),
    ],
)
def test_photo_credits(line, authors, roles):
    credit = parse_credit(line)
    assert (credit.authors, credit.roles) == (authors, roles)


def test_inline_credit_splits_off_the_caption():
    caption, credit = split_inline_credit("让冬日的村庄一片欢腾。 本报通讯员 沈鸿升 摄")
    assert caption == "让冬日的村庄一片欢腾。"
    assert credit.authors == ["沈鸿升"]
    assert split_inline_credit("这是一个普通的句子。后面没有署名") is None


def test_dateline_is_removed_and_body_starts_with_the_lead():
    page = "标题一行\n\n本报嘉峪关讯(通讯员苏天泰)10月12日,会议召开。\n\n会议要求,做好工作。"
    [item] = segment_page(page)
    assert item.body == "10月12日,会议召开。\n会议要求,做好工作。"
    assert (item.title, item.place, item.authors) == ("标题一行", "嘉峪关", ["苏天泰"])


def test_byline_line_then_dateline_make_one_article():
    page = "标题\n\n本报记者 张三\n\n新华社北京3月5日电 今天开会。\n\n会议指出，要做好工作。"
    [item] = segment_page(page)
    assert (item.authors, item.place, item.title) == (["张三"], "北京", "标题")
    assert item.body.startswith("今天开会。")
