"""Names, roles and places from the credit shapes papers print (stages.segment.credits)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stages.segment.credits import read_byline, read_photo_credit, read_tail, split_dateline
from stages.segment.features import line_features, page_lines_of

DATELINES = [
    # (line, authors, roles, place, lead)
    ("本报讯(通讯员 林天骥)近日,全体党员重温誓词。", ["林天骥"], ["通讯员"], None, "近日,全体党员重温誓词。"),
    ("新华社北京4月30日电（记者 张三）国务院发布通知。", ["张三"], ["记者"], "北京", "国务院发布通知。"),
    ("据新华社美国拉斯维加斯1月9日电 （记者徐兴堂）国际知名",
     ["徐兴堂"], ["记者"], "美国拉斯维加斯", "国际知名"),
    ("【新华社兴县十五日电】晋绥边区召开大会。", [], [], "兴县", "晋绥边区召开大会。"),
    ("【北京晚报讯】（记者 申琳 通讯员 罗羽）今年春节",
     ["申琳", "罗羽"], ["记者", "通讯员"], None, "今年春节"),
    ("南都讯　记者许志峰 潘皇权 新中国成立以来",
     ["许志峰", "潘皇权"], ["记者", "记者"], None, "新中国成立以来"),
    ("南都讯　记者任彦 通讯员马小宁 核心阅读", ["任彦", "马小宁"], ["记者", "通讯员"], None, "核心阅读"),
    ("〔記者劉毅／臺南報導〕辛勞工作一年", ["劉毅"], ["记者"], "臺南", "辛勞工作一年"),
    ("【記者趙敬菡／綜合報導】春節意味著團圓。", ["趙敬菡"], ["记者"], None, "春節意味著團圓。"),
    ("【大公報訊】記者趙鵬報道：中國人對世界充滿好奇。", ["趙鵬"], ["记者"], None, "中國人對世界充滿好奇。"),
    ("大公報訊（記者 彭紅霞）編者的話", ["彭紅霞"], ["记者"], None, "編者的話"),
    ("兩岸交流持續升溫。（記者高炳／新竹報導）", ["高炳"], ["记者"], "新竹", "兩岸交流持續升溫。"),
]


@pytest.mark.parametrize(("line", "authors", "roles", "place", "lead"), DATELINES,
                         ids=[row[0][:8] for row in DATELINES])
def test_datelines_of_many_papers(line, authors, roles, place, lead):
    found = split_dateline(line)
    assert found is not None
    assert (found.authors, found.roles, found.place, found.lead) == (authors, roles, place, lead)


@pytest.mark.parametrize(("line", "authors", "place"), [
    ("本报通讯员 吴万强 王新月", ["吴万强", "王新月"], None),
    ("□ 裴文婷", ["裴文婷"], None),
    ("文/史一棋", ["史一棋"], None),
    ("赵  鹏   林  蔚", ["赵鹏", "林蔚"], None),
    ("（艺海观澜）孙龙飞", ["孙龙飞"], None),
    ("記者高炳／新竹報導", ["高炳"], "新竹"),
    ("報導．攝影╱張琪", ["張琪"], None),
])
def test_byline_lines(line, authors, place):
    found = read_byline(line)
    assert found is not None and (found.authors, found.place) == (authors, place)


@pytest.mark.parametrize("line", ["扶贫", "一线行走", "身边看“六稳”①", "人民视觉"])
def test_a_column_tag_or_an_agency_alone_names_nobody(line):
    assert read_byline(line) is None


@pytest.mark.parametrize(("line", "authors"), [
    ("本报通讯员 金大庆 摄", ["金大庆"]),
    ("谢尚国摄（影像中国）", ["谢尚国"]),
    ("圖／記者楊宗友攝", ["楊宗友"]),
    ("（記者王騰攝）", ["王騰"]),
    ("陈勇绘（《漫画月刊》供图）", ["陈勇"]),
    ("摄影：杨冠宇", ["杨冠宇"]),
    ("图／文\u3000普佳勇", ["普佳勇"]),
])
def test_photo_and_cartoon_credits(line, authors):
    found = read_photo_credit(line)
    assert found is not None and found.authors == authors


def test_an_agency_credit_without_a_photographer_names_nobody():
    assert read_photo_credit("（人民视觉）") is None


@pytest.mark.parametrize(("line", "authors"), [
    ("（本报记者陆娅楠采访整理）", ["陆娅楠"]),
    ("（综合本报记者韩俊杰、王明峰报道）", ["韩俊杰", "王明峰"]),
    ("（作者为中国人民大学教授）", None),
    ("（本报伦敦2月2日电）", None),
    ("（本报记者彭波、倪弋、陆娅楠）", ["彭波", "倪弋", "陆娅楠"]),  # listed, no verb
    ("（本报记者 王伟健）", ["王伟健"]),
    ("（新华社记者 王明）", None),  # not the paper's own, not a credit at the end
    ("（本报记者发现，这里的情况有所好转）", None),  # a sentence, not names
])
def test_credits_at_an_article_end(line, authors):
    found = read_tail(line)
    assert (found.authors if found else None) == authors


@settings(deadline=None)  # the first example loads jieba's dictionary
@given(st.lists(st.text(alphabet="本报讯记者通讯员政协梨树县召开会议（）()。，　 \n新华社北京电摄图文",
                        min_size=1, max_size=40), min_size=1, max_size=12))
def test_the_model_sees_shapes_never_the_words_of_a_page(lines):
    # Whatever the text, every attribute is an ASCII name and value from a closed vocabulary:
    # no feature can remember a particular article.
    page = page_lines_of("\n".join(lines))
    for row in line_features(page):
        assert all(attribute.isascii() for attribute in row), row


def test_an_end_credit_broken_over_column_lines_is_read_whole_and_leaves_the_body():
    from stages.segment.assemble import assemble

    texts = ["各地春耕有序推进", "各地抓住有利时机，组织农民开展春耕生产。",
             "（本报记者孙广勇、周輖、", "韩硕、李志伟）"]
    [item] = assemble(texts, ["B-title", "body", "tail", "tail"])
    assert item.authors == ["孙广勇", "周輖", "韩硕", "李志伟"]
    assert item.body == "各地抓住有利时机，组织农民开展春耕生产。"


def test_a_kicker_that_ends_on_a_particle_or_conjunction_is_the_first_line_of_the_title():
    from stages.segment.assemble import assemble

    body = "本报北京5月10日电 两国元首会谈后发表联合声明。"
    [item] = assemble(["中华人民共和国和", "巴西联邦共和国联合声明", body], ["B-kicker", "title", "body"])
    assert (item.kicker, item.title) == (None, "中华人民共和国和巴西联邦共和国联合声明")
    # a kicker that is a phrase of its own stays one
    [item] = assemble(["李克强在广西考察时强调", "扎实做好六稳工作", body], ["B-kicker", "title", "body"])
    assert (item.kicker, item.title) == ("李克强在广西考察时强调", "扎实做好六稳工作")


def test_a_dateline_credit_broken_at_column_width_names_everyone_it_names():
    from stages.segment.assemble import assemble

    texts = ["南都讯　记者韩晓萌 通", "讯员蒋晓东 这是一次初心使命的考验。", "全市上下齐心协力。"]
    [item] = assemble(["城区完成防汛演练", *texts], ["B-title", "dateline", "body", "body"])
    assert item.authors == ["韩晓萌", "蒋晓东"]
    assert item.body.startswith("这是一次初心使命的考验。")
