"""decode_page: encodings, line endings, formats and the inputs it refuses."""

from __future__ import annotations

import gzip
import html
import json
from pathlib import Path

import opencc
import pytest

from stages.items import StageError
from stages.segment.split import split_document
from stages.text.decode import decode_page, detect_format

# Shapes the page model misreads on pages this small (the rules read them): kept as
# the contract to win back; strict, so a model that reads them again is noticed.
MODEL_GAP = pytest.mark.xfail(strict=True, reason="page model cb8272fe9e7c: known gap, issue 19")

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_e2b0872b1726d43c.txt"
# OpenCC's s2t picks a few variants Big5 cannot encode; Big5 pages print the standard forms.
BIG5_FORMS = str.maketrans("衆爲羣着峯牀", "眾為群著峰床")


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_items(seed_text):
    return split_document(decode_page(seed_text.encode("utf-8"), "000.txt"))


def _same_items(items, expected):
    assert [i.to_dict() for i in items] == [e.to_dict() for e in expected]


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8"),
        (lambda t: t.encode("utf-16"), "utf-16"),
        (lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
        (lambda t: t.encode("gb18030"), "gb18030"),
        (lambda t: t.replace("\n", "\r\n").encode("gbk"), "gb18030"),
    ],
    ids=["utf8", "utf8-bom", "utf16-le-bom", "utf16-be-bom", "gb18030", "gbk-crlf"],
)
def test_every_encoding_of_seed_000_gives_the_same_items(seed_text, seed_items, encode, encoding):
    # Given seed 000 in another encoding, When decoded and split, Then nothing changes.
    page = decode_page(encode(seed_text), "000.txt")
    assert page.encoding == encoding
    assert page.format == "text"
    assert "\r" not in page.text and "\ufeff" not in page.text
    _same_items(split_document(page), seed_items)


def test_big5_traditional_seed_000_has_the_same_structure(seed_text, seed_items):
    traditional = opencc.OpenCC("s2t").convert(seed_text).translate(BIG5_FORMS)
    page = decode_page(traditional.encode("big5"), "000.txt")
    assert page.encoding == "big5"
    items = split_document(page)
    to_simplified = opencc.OpenCC("t2s").convert
    assert [(i.position, i.kind) for i in items] == [(i.position, i.kind) for i in seed_items]
    assert [to_simplified(i.title or "") for i in items] == [i.title or "" for i in seed_items]
    assert [len(i.authors) for i in items] == [len(i.authors) for i in seed_items]


@MODEL_GAP
def test_html_version_of_seed_000_gives_the_same_items(seed_text, seed_items):
    paragraphs = [f"<p>{html.escape(line)}</p>" for line in seed_text.split("\n") if line.strip()]
    doc = (
        "<!DOCTYPE html><html><head><title>四平日报</title><style>p{margin:0}</style></head>"
        "<body><script>var x = '不是正文';</script><div class='page'>"
        + "\n".join(paragraphs)
        + "</div></body></html>"
    )
    page = decode_page(doc.encode("utf-8"), "000.txt")
    assert page.format == "html"
    _same_items(split_document(page), seed_items)


def test_formats_are_chosen_by_content_not_extension():
    assert detect_format('{"text": "正文"}\n', "page.txt") == "jsonl"
    assert detect_format("<html><body><p>正文</p></body></html>", "page.txt") == "html"
    assert detect_format("<p>一</p><p>二</p><div>三</div>", "") == "html"
    assert detect_format("标题\n\n正文，内容。", "page.html") == "text"
    assert detect_format("a < b 的比较 <p>", "page.html") == "html"


def test_line_endings_are_normalized():
    page = decode_page("一行。\r\n二行。\r三行。\f四行。".encode())
    assert page.text == "一行。\n二行。\n三行。\n四行。"


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n ", b"\xef\xbb\xbf  \n", "\ufeff \n".encode("utf-16")])
def test_empty_input_is_refused(data):
    with pytest.raises(StageError) as error:
        decode_page(data, "empty.txt")
    assert error.value.code == "empty"


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (gzip.compress("正文".encode()), "GZIP"),
        (b"\xe6\xad\xa3\xe6\x96\x87\x00\x00\x01\x02", "NUL"),
        (bytes(range(1, 9)) * 40, "control bytes"),
        ("\ufeff新闻\x00正文，内容".encode("utf-16-le"), "NUL characters"),
    ],
)
def test_binary_input_is_refused_and_named(data, named):
    with pytest.raises(StageError) as error:
        decode_page(data, "page.txt")
    assert error.value.code == "binary"
    assert named in error.value.detail


def test_undecodable_bytes_list_the_encodings_tried():
    with pytest.raises(StageError) as error:
        decode_page(b"\x80\x80 \x81\x20\xfe\x20\xff" * 5, "page.txt")
    assert error.value.code == "undecodable"
    for codec in ("utf-8", "gb18030", "big5"):
        assert codec in error.value.detail


def test_gb18030_wins_over_big5_for_simplified_text():
    text = "本报讯(通讯员 林天骥)近日,双辽市教育局在英雄广场组织开展了主题党日活动。"
    assert decode_page(text.encode("gb18030")).encoding == "gb18030"
    traditional = opencc.OpenCC("s2t").convert(text)
    assert decode_page(traditional.encode("big5")).encoding == "big5"


def test_jsonl_is_detected_and_kept_verbatim():
    data = json.dumps({"title": "标题", "body": "正文。"}, ensure_ascii=False) + "\n"
    page = decode_page(data.encode("utf-8"), "items.jsonl")
    assert page.format == "jsonl"
    assert page.text == data


def test_a_utf8_page_with_a_damaged_byte_is_kept_with_the_damage_marked():
    page = SEED.read_bytes()
    damaged = page[:3000] + b"\xff" + page[3000:]
    decoded = decode_page(damaged, "page.txt")
    assert decoded.encoding.startswith("utf-8 (") and "replaced" in decoded.encoding
    assert decoded.text.count("\ufffd") == 1
    assert decoded.text.replace("\ufffd", "") == page.decode("utf-8").replace("\r\n", "\n")


def test_bytes_invalid_in_every_encoding_are_refused_naming_the_encodings():
    with pytest.raises(StageError) as refused:
        decode_page(b"\x80\xff" * 300, "garbage.txt")
    assert refused.value.code == "undecodable"
    assert "utf-8" in refused.value.detail and "gb18030" in refused.value.detail
