"""The page composer on a tiny synthetic corpus written at test time: no file outside the repository.

The records imitate the shared corpus's three files (web-edition records with date, page, order;
2017 records with the printed header), with datelines, a photo caption, tails, subheads and quotes,
so every house style and texture has something to print.
"""

from __future__ import annotations

import gzip
import json
import re
from itertools import combinations
from pathlib import Path

import pytest

from corpus.checks import JUMP_MARKER, label_problems, squash
from corpus.compose import (
    TEXTURES,
    compose_page,
    composed_pages,
    default_corpus_dir,
    main,
    page_pdf,
    page_specs,
)
from corpus.credits import cn_number
from corpus.labels import ComposedPage
from corpus.parse import parse_dateline, split_names, tail_credit
from corpus.pdf_extract import extract_lines
from corpus.records import load_pages
from corpus.splits import split_of
from corpus.styles import STYLE_NAMES

SENTENCES = (
    "今年以来，当地把民生实事作为检验工作成效的重要标尺，推动一批项目落地见效。",
    "“以前办事要跑好几趟，现在一次就能办好。”居民王大爷说。",
    "全市新建改建农村公路320公里，改造老旧小区46个，惠及居民1.2万户。",
    "市住建局相关负责人介绍，下一步将继续加大投入，确保各项目按期完工。",
    "在城区，新增停车泊位2000余个，有效缓解了停车难问题，群众满意度明显提升。",
    "记者在现场看到，工人们正在抓紧施工，机器轰鸣，一派繁忙景象。",
    "专家表示，要坚持问题导向，聚焦群众急难愁盼，把好事办好、实事办实。",
    "据了解，这项工作将在年底前全面完成，并纳入年度考核。",
)
PHOTO = "10月20日，在江西九江市都昌县新妙湖畔珍珠养殖基地，蚌农在湖面上忙碌。"


def _paragraphs(n: int, start: int) -> list[str]:
    return [SENTENCES[(start + i) % len(SENTENCES)] * 2 for i in range(n)]


def _body(paragraphs: list[str]) -> str:
    return "\n".join("\u3000\u3000" + p for p in paragraphs)


def _page_records(date: str, page: int) -> list[dict]:
    """Four articles and a photo on one page, each a shape the composer must handle."""
    k = int(date[-2:]) + page
    dated = _body(
        [
            f"本报北京9月{k % 28 + 1}日电\xa0\xa0（记者张烁、王伟）北京市" + SENTENCES[k % 8],
            *_paragraphs(3, k),
        ]
    )
    wire = _body(
        [f"新华社上海4月{k % 28 + 1}日电（记者李明）" + SENTENCES[(k + 1) % 8], *_paragraphs(2, k + 2)]
    )
    featured = _body(
        ["今年，日照市委宣传部积极推动。", *_paragraphs(2, k), "发展新动能", *_paragraphs(3, k + 1)]
    )
    tailed = _body([*_paragraphs(3, k + 3), "（作者为本报北京分社记者）"])
    compiled = _body([*_paragraphs(2, k + 5), "（本报记者赵兵整理）"])
    photo = _body([PHOTO, "傅建斌摄（影像中国）"])
    heads = [
        ("北京推进民生实事", "坚持人民至上 守护万家灯火", "——我市扎实推进民生实事项目综述", dated),
        (None, "前三季度全国固定资产投资稳定增长", None, wire),
        ("聚焦高质量发展——", "新动能加快成长壮大（一线行走）", None, featured),
        (None, "把好事办好 把实事办实", None, tailed),
        (None, "社区服务进小区", "供需对接更便利", compiled),
        (None, "金秋养蚌忙", None, photo),
    ]
    return [
        {
            "date": date,
            "page": page,
            "order": n + 1,
            "kicker": kicker,
            "title": title,
            "subtitle": subtitle,
            "byline": None,
            "body": body,
        }
        for n, (kicker, title, subtitle, body) in enumerate(heads)
    ]


def _dates() -> list[str]:
    """Three dates of each split, from October 2019."""
    days = [f"201910{d:02d}" for d in range(1, 32)]
    return [d for split in ("train", "tune", "dev") for d in [x for x in days if split_of(x) == split][:3]]


def _printed_record(order: int) -> dict:
    header = ["    江苏无锡探索桃产业融合发展", "    一棵桃树的生意经", "    ", "    本报记者  王伟健"]
    link = f"http://paper.people.com.cn/rmrb/html/2017-04/23/nw.D110000renmrb_20170423_{order}-02.htm"
    text = "\n".join(header) + "\n" + _body(_paragraphs(3, order))
    return {"title": "一棵桃树的生意经", "publish": "2017年04月23日 星期日", "link": link, "text": text}


def _write(path: Path, records: list[dict]) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as stream:
        stream.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    records = [r for date in _dates() for page in (1, 2, 3) for r in _page_records(date, page)]
    _write(folder / "rmrb-2019-2020-articles.jsonl.gz", records)
    _write(folder / "rmrb-2022-07-05-articles.jsonl.gz", _page_records("20220705", 1))
    _write(folder / "rmrb-2017-with-bylines.jsonl.gz", [_printed_record(1), _printed_record(2)])
    return folder


def test_records_keep_what_the_print_says(corpus_dir):
    # Given the synthetic corpus, When it is read, Then datelines, photos, tails and bylines are parsed
    pages, dropped = load_pages(str(corpus_dir))
    articles = [a for page in pages for a in page.articles]
    dated = next(a for a in articles if a.dateline and a.dateline.agency == "本报")
    assert (dated.dateline.place, dated.dateline.credit.authors) == ("北京", ("张烁", "王伟"))
    assert not dated.paragraphs[0].startswith("本报")
    photo = next(a for a in articles if a.photo)
    assert photo.paragraphs == (PHOTO,) and photo.photo.credit.authors == ("傅建斌",) and photo.photo.suffix
    assert {a.tail for a in articles if a.tail} == {"（作者为本报北京分社记者）", "（本报记者赵兵整理）"}
    printed = next(a for a in articles if a.byline)
    assert printed.byline.authors == ("王伟健",) and printed.byline.roles == ("记者",)
    assert sum(dropped.values()) == 0


def test_parsers_are_tight():
    assert parse_dateline("据新华社莫斯科2月19日电 俄罗斯总统…").place == "莫斯科"
    assert parse_dateline("本报电 为了让保健食品…").place is None
    assert parse_dateline("本报北京10月30日电 （程龙、聂慧超）国台办…").credit.roles == ()
    assert parse_dateline("本报记者近日从有关部门获悉") is None
    assert split_names("赵  鹏   林  蔚") == ["赵鹏", "林蔚"] and split_names("王伟，今天下雨了") is None
    assert tail_credit("（本报记者 胡 果 朱 虹采访整理）").authors == ("胡果", "朱虹")
    assert tail_credit("（本报罗马、巴黎、开罗电）") is None
    assert [cn_number(n) for n in (1, 10, 15, 21, 30)] == ["一", "十", "十五", "二十一", "三十"]


def _signature(pages: list[ComposedPage]) -> list:
    return [(p.page_id, p.style, p.texture, p.text, p.lines, p.items) for p in pages]


def test_same_seed_same_pages_and_another_seed_others(corpus_dir):
    first = _signature(list(composed_pages(corpus_dir, "train", seed=3, textures=("clean",))))
    again = _signature(list(composed_pages(corpus_dir, "train", seed=3, textures=("clean",))))
    other = _signature(list(composed_pages(corpus_dir, "train", seed=4, textures=("clean",))))
    assert first == again
    assert [s[3] for s in first] != [s[3] for s in other]


def test_pdf_pages_do_not_depend_on_the_process_pool(corpus_dir):
    solo = list(composed_pages(corpus_dir, "train", textures=("pdf_blocks",), limit=9, workers=1))
    pooled = list(composed_pages(corpus_dir, "train", textures=("pdf_blocks",), limit=9, workers=2))
    assert len(solo) == 9 and _signature(solo) == _signature(pooled)


def _assert_items_match_lines(page: ComposedPage) -> None:
    """Independent of corpus.checks: titles in title lines, each paragraph a body line."""
    for i, item in enumerate(page.items):
        mine = [line for line in page.lines if line.item == i]
        if item.title:
            assert squash("".join(x.text for x in mine if x.role == "title")) == squash(item.title)
        texts = [
            JUMP_MARKER.sub("", x.text) for x in mine if x.role in ("body", "subhead", "dateline", "caption")
        ]
        for paragraph in item.body.split("\n"):
            assert any(paragraph == t or paragraph in t for t in texts), (page.page_id, i, paragraph)


@pytest.mark.parametrize("style", STYLE_NAMES)
def test_clean_labels_agree_with_truth_in_every_style(corpus_dir, style):
    pages = [
        p
        for split in ("train", "tune", "dev")
        for p in composed_pages(corpus_dir, split, textures=("clean",), styles=(style,))
    ]
    assert pages and all(p.style == style for p in pages)
    for page in pages:
        assert label_problems(page) == [], page.page_id
        _assert_items_match_lines(page)
        first_lines = [n for n, line in enumerate(page.lines) if line.starts_item]
        assert len(first_lines) == len(page.items)


@pytest.mark.parametrize("texture", ["pdf_lines", "pdf_blocks"])
def test_pdf_labels_agree_with_truth(corpus_dir, texture):
    pages = list(composed_pages(corpus_dir, "train", textures=(texture,), workers=1))
    mixed = [tuple(map(int, re.search(r"mixed=(\d+)/(\d+)", p.variant).groups())) for p in pages]
    assert sum(m for m, _ in mixed) < 0.05 * sum(n for _, n in mixed)
    for page, (lines_mixed, _) in zip(pages, mixed, strict=True):
        if lines_mixed:  # a line mixing two items may carry one's title under the other's label
            continue
        assert label_problems(page) == [], page.page_id
    for page in pages:
        assert {x.role for x in page.lines} >= {"title", "body", "furniture", None}
        assert sum(1 for x in page.lines if x.starts_item) == len(page.items)


def test_pdf_bytes_are_those_the_pdf_pages_were_read_from(corpus_dir):
    # Given a PDF page's spec, When its PDF is asked for, Then reading it gives the page's lines
    spec = page_specs(corpus_dir, "dev", textures=("pdf_lines",))[0]
    pdf = page_pdf(spec)
    assert pdf.startswith(b"%PDF") and pdf == page_pdf(spec)
    printed = [line.text for line in compose_page(spec).lines if line.text]
    assert [line.text for line in extract_lines(pdf)] == printed


def test_splits_never_share_a_date(corpus_dir):
    dates = {s: {spec.date for spec in page_specs(corpus_dir, s)} for s in ("train", "tune", "dev")}
    assert all(dates.values())
    for a, b in combinations(dates, 2):
        assert not dates[a] & dates[b]
    page = next(composed_pages(corpus_dir, "dev", textures=("clean",), limit=1))
    assert page.split == "dev" and split_of(page.date) == "dev"


def test_traditional_pages_use_corner_quotes_and_keep_roles_simplified(corpus_dir):
    pages = list(
        composed_pages(corpus_dir, "train", textures=("clean",), styles=("taiwan_daily", "hongkong_daily"))
    )
    for page in pages:
        assert page.script == "traditional"
        assert "“" not in page.text and "”" not in page.text
        assert all(role in ("记者", "通讯员") for item in page.items for role in item.roles)
    assert any("「" in page.text for page in pages) and any("記者" in page.text for page in pages)


def test_command_writes_pages_the_evaluator_reads(corpus_dir, tmp_path):
    main(
        [
            "--split",
            "tune",
            "--out",
            str(tmp_path),
            "--corpus",
            str(corpus_dir),
            "--limit",
            "2",
            "--textures",
            "clean",
        ]
    )
    labels = sorted(tmp_path.glob("*.json"))
    assert len(labels) == 2
    for path in labels:
        data = json.loads(path.read_text(encoding="utf-8"))
        page = (tmp_path / data["page"]).read_text(encoding="utf-8")
        assert len(data["lines"]) == len(page.rstrip("\n").split("\n"))
        keys = {
            "kind",
            "kicker",
            "title",
            "subtitle",
            "authors",
            "roles",
            "place",
            "body",
            "continued_from",
            "continued_to",
        }
        assert data["items"] and all(set(item) == keys for item in data["items"])
        assert data["texture"] in TEXTURES and data["style"] in STYLE_NAMES


def test_missing_corpus_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=re.escape(str(tmp_path / "shared" / "corpus"))):
        default_corpus_dir(tmp_path / "main")
