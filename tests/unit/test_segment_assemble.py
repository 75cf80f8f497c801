"""From line labels to items: grouping, headline fields, credits and bodies (no model involved).

The labels here are written by hand, as the page-structure model would give them, so these tests
pin what the assembler does with a right labelling.
"""

from stages.items import ItemKind
from stages.segment.assemble import assemble


def _items(rows: list[tuple[str, str]]):
    labels, texts = zip(*rows, strict=True)
    return assemble(list(texts), list(labels))


def test_a_photo_set_inside_an_article_is_its_own_item_and_the_article_goes_on():
    # Given an article whose second paragraph comes after a photo and its credit
    items = _items([
        ("B-title", "梨树县开展排涝保粮"),
        ("byline", "本报通讯员 吴万强"),
        ("body", "近日,梨树县各乡镇组织大量人力开展隐患排查,"),
        ("B-caption", "田间排水现场。"),
        ("credit", "本报通讯员 金大庆 摄"),
        ("body", "全力做好排涝保粮工作。"),
    ])
    # Then the photo is an item of its own, and the article's paragraph broken by it rejoins
    assert [item.kind for item in items] == [ItemKind.ARTICLE, ItemKind.PHOTO]
    assert items[0].body == "近日,梨树县各乡镇组织大量人力开展隐患排查,全力做好排涝保粮工作。"
    assert items[1].authors == ["金大庆"] and items[1].roles == ["通讯员"]
    assert [item.position for item in items] == [0, 1]


def test_a_dateline_and_a_byline_broken_over_lines_are_read_whole():
    items = _items([
        ("B-title", "中国援建项目复工"),
        ("byline", "本报记者 王嘉琦 本报通"),
        ("byline", "讯员 崔佳"),
        ("B-title", "南非港口恢复运营"),
        ("dateline", "本报约翰内斯堡5月1"),
        ("dateline", "日电 (记者吕强)阿比让消"),
        ("body", "息:港口恢复运营。"),
    ])
    assert items[0].authors == ["王嘉琦", "崔佳"] and items[0].roles == ["记者", "通讯员"]
    assert items[1].authors == ["吕强"] and items[1].place == "约翰内斯堡"
    assert items[1].body == "阿比让消息:港口恢复运营。"


def test_headline_stack_fields_dashes_and_jump_markers():
    items = _items([
        ("B-kicker", "喜迎二十大——"),
        ("title", "双辽市教育局开展主题党日活动"),
        ("subtitle", "——重温入党誓词"),
        ("dateline", "本报讯(通讯员 林天骥)近日,全体党员重温入党誓词。(下转第3版)"),
        ("jump", "（上接第一版）"),
    ])
    [item] = items
    assert (item.kicker, item.title, item.subtitle) == (
        "喜迎二十大", "双辽市教育局开展主题党日活动", "重温入党誓词")
    assert item.body == "近日,全体党员重温入党誓词。"
    assert (item.continued_to, item.continued_from) == ("第3版", "第一版")


def test_an_article_nobody_else_credits_takes_the_names_of_its_end_credit():
    items = _items([
        ("B-title", "各地欢度元宵"),
        ("body", "元宵佳节,各地举办灯会。"),
        ("tail", "（本报记者史自强、田豆豆整理）"),
        ("B-title", "一场雪的启示"),
        ("byline", "陈光明"),
        ("body", "下雪了。"),
        ("tail", "（作者为北京大学教授）"),
    ])
    assert items[0].authors == ["史自强", "田豆豆"] and items[0].roles == ["记者", "记者"]
    assert "整理" not in items[0].body
    # And a note on the author is no credit: it stays, at the end of the body
    assert items[1].authors == ["陈光明"] and items[1].body.endswith("（作者为北京大学教授）")


def test_lines_printed_above_the_dateline_go_after_a_lead_that_ends_mid_sentence():
    # Given the seed's layout quirk: headline, the article's tail, then its dateline
    items = _items([
        ("B-title", "喜迎二十大 奋进新征程"),
        ("body", "的决心。"),
        ("dateline", "本报讯(通讯员 林天骥)近日,党员表达为党的事业奋斗终身"),
    ])
    assert items[0].body == "近日,党员表达为党的事业奋斗终身的决心。"


def test_furniture_belongs_to_no_item_and_a_titled_photo_story_keeps_its_title():
    items = _items([
        ("furniture", "四平日报 2022年10月14日 星期五 第3版"),
        ("B-title", "图片报道"),
        ("caption", "10月14日,农民在田间收获水稻。"),
        ("credit", "张楠摄（影像中国）"),
    ])
    [photo] = items
    assert photo.kind is ItemKind.PHOTO and photo.title == "图片报道"
    assert photo.body == "10月14日,农民在田间收获水稻。" and photo.authors == ["张楠"]


def test_a_headline_a_column_broke_inside_its_brackets_is_one_title():
    # Given a title whose first line leaves a bracket open, labelled kicker then title, and
    # a kicker and title that are two phrases (brackets closed)
    items = _items([
        ("B-kicker", "不怕累，就怕脱贫户再掉队（干部"),
        ("title", "状态新观察）"),
        ("dateline", "本报讯（记者 王明）正文。"),
        ("B-kicker", "胡春华强调（视频讲话）"),
        ("title", "全力以赴做好就业工作"),
        ("dateline", "本报讯（记者 李红）正文。"),
    ])
    # Then the first is one title, the second keeps its kicker
    assert (items[0].kicker, items[0].title) == (None, "不怕累，就怕脱贫户再掉队（干部状态新观察）")
    assert (items[1].kicker, items[1].title) == ("胡春华强调（视频讲话）", "全力以赴做好就业工作")


def test_a_credit_opening_a_lead_the_model_read_as_body_is_the_byline():
    items = _items([
        ("B-title", "春耕备耕有序推进"),
        ("body", "本报北京5月1日电（记者 王明）眼下正值春耕关键时期。"),
        ("B-title", "会议在京召开"),
        ("body", "据新华社报道，会议在京召开。"),
    ])
    # The first lead's credit is read; a lead that opens 据…报道 is a sentence, kept whole
    assert (items[0].authors, items[0].place, items[0].body) == (["王明"], "北京", "眼下正值春耕关键时期。")
    assert (items[1].authors, items[1].body) == ([], "据新华社报道，会议在京召开。")
