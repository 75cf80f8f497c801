"""The segmentation scorer: it must notice every kind of mistake."""

from __future__ import annotations

import json

from evaluation.segmentation import aggregate, evaluate, evaluate_labelled_set, format_report
from stages.items import ItemKind, PageItem

EXPECTED = [
    {
        "kind": "article",
        "title": "标题一",
        "authors": ["张三"],
        "place": "北京",
        "body_start": "第一篇",
        "body_end": "结束。",
    },
    {"kind": "photo", "authors": ["王峰"], "body": "图片说明。"},
]


def _items(**changes) -> list[PageItem]:
    article = PageItem(
        0, ItemKind.ARTICLE, "第一篇正文结束。", title="标题一", authors=["张三"], place="北京"
    )
    photo = PageItem(1, ItemKind.PHOTO, "图片说明。", authors=["王峰"])
    for name, value in changes.items():
        setattr(article, name, value)
    return [article, photo]


def test_a_perfect_page_scores_every_field():
    report = evaluate(EXPECTED, _items())
    assert (report["found"], report["missed"], report["extra"], report["errors"]) == (2, [], [], [])
    assert report["fields"]["title"] == [2, 2]
    assert report["fields"]["body_exact"] == [1, 1]


def test_wrong_fields_are_counted_and_explained():
    report = evaluate(EXPECTED, _items(authors=["张"], place=None, body="第一篇正文没完"))
    assert report["fields"]["authors"] == [1, 2]
    assert report["fields"]["place"] == [1, 2]
    assert report["fields"]["body_end"] == [1, 2]
    assert any("authors" in error for error in report["errors"])


def test_missed_and_extra_items():
    extra = PageItem(2, ItemKind.ARTICLE, "完全无关的文字。", title="别的")
    report = evaluate(EXPECTED, [_items()[0], extra])
    assert report["found"] == 1 and len(report["missed"]) == 1 and len(report["extra"]) == 1


def test_aggregate_and_format(tmp_path):
    (tmp_path / "p.txt").write_text("标题一\n\n本报北京讯(记者 张三)第一篇正文结束。\n", encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(EXPECTED[:1], ensure_ascii=False), encoding="utf-8")
    report = evaluate_labelled_set(tmp_path)
    assert report["total"]["found"] == 1
    assert report["pages"]["p"]["errors"] == []
    table = format_report(report)
    assert "TOTAL" in table and "title" in table and "100.0%" in table
    assert aggregate([report["pages"]["p"]] * 2)["fields"]["title"] == [2, 2]


def test_a_body_is_in_order_when_its_paragraphs_come_whole_one_after_another():
    from evaluation.page_scores import paragraphs_in_order

    expected = "第一段讲春耕。\n第二段讲农机。\n第三段讲天气。"
    # a line broken at column width and a credit added at the end do not count against it
    assert paragraphs_in_order(expected,
                               "第一段讲\n春耕。\n第二段讲农机。\n第三段讲天气。\n（本报记者 李红）")
    # a frame read out of order, or a paragraph cut by another story's fragment, does
    assert not paragraphs_in_order(expected, "第一段讲春耕。\n第三段讲天气。\n第二段讲农机。")
    assert not paragraphs_in_order(expected,
                                   "第一段讲春耕。\n第二段讲\n另一篇的段落。\n农机。\n第三段讲天气。")
