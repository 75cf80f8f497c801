"""JSON Lines archives stream: told apart from pages by their head, read line by line with
the codec found there, checked against the registered version, items numbered as they come."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from intake.files import archive_lines, decode_dropped_file
from stages.items import StageError
from stages.segment.split import archive_items
from stages.text.decode import ARCHIVE_HEAD_BYTES, archive_of

RECORD = {"title": "标题", "body": "本报讯 这是一篇完整的文章，讲述了新闻的内容。"}
TRADITIONAL = {"title": "標題", "body": "本報訊 這是一篇完整的文章，講述了新聞的內容。"}


def _line(n: int) -> str:
    return json.dumps({"title": f"第{n}篇", "body": f"正文第{n}段，内容完整。"}, ensure_ascii=False)


def _row(path: Path, encoding: str | None = None, sha: str | None = None) -> SimpleNamespace:
    """The ledger row fields the readers use."""
    data = path.read_bytes()
    return SimpleNamespace(id=1, path=str(path), path_bytes=os.fsencode(path),
                           content_sha256=sha or hashlib.sha256(data).hexdigest(),
                           encoding=encoding)


@pytest.mark.parametrize("codec", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "big5"])
def test_the_head_of_an_archive_gives_its_format_and_a_codec_that_reads_it(codec, tmp_path):
    record = TRADITIONAL if codec == "big5" else RECORD
    text = "\n".join([json.dumps(record, ensure_ascii=False)] * 3) + "\n"
    path = tmp_path / "a.jsonl"
    path.write_bytes(text.encode(codec))
    found = archive_of(path.read_bytes()[:ARCHIVE_HEAD_BYTES], "a.jsonl")
    assert found is not None and found.format == "jsonl" and found.text == ""
    lines = list(archive_lines(_row(path, found.encoding), tmp_path, 10_000))
    assert [json.loads(line) for line in lines] == [record] * 3


def test_a_page_is_not_an_archive():
    assert archive_of("本报讯 今天的新闻。\n第二行。\n".encode(), "page.txt") is None
    assert archive_of(b"<html><body><p>\xe6\x96\xb0\xe9\x97\xbb</p></body></html>", "p.html") is None


def test_a_first_line_longer_than_the_head_is_an_archive_by_its_name():
    head = ('{"text": "' + "新" * ARCHIVE_HEAD_BYTES).encode()[:ARCHIVE_HEAD_BYTES]
    assert archive_of(head, "big.jsonl") is not None
    assert archive_of(head, "big.txt") is None


def test_items_are_numbered_across_records_and_drawn_as_the_lines_come():
    def lines():
        yield _line(0) + "\n"
        yield json.dumps({"text": "标题一\n本报讯 第一篇文章的正文，内容完整。"}, ensure_ascii=False)
        yield "\n"
        yield _line(2)
        raise AssertionError("read past what was asked for")

    items = archive_items(lines())
    first = [next(items) for _ in range(3)]
    assert [item.position for item in first] == [0, 1, 2]
    assert first[0].title == "第0篇" and first[2].title == "第2篇"


def test_a_bad_line_is_refused_with_its_number():
    with pytest.raises(StageError) as refused:
        list(archive_items([_line(0), "", "{not json", _line(3)]))
    assert refused.value.code == "bad_jsonl" and "line 3" in refused.value.detail


def test_an_item_over_the_limit_is_refused():
    with pytest.raises(StageError) as refused:
        list(archive_items([json.dumps({"body": "字" * 2000})], max_item_chars=1000))
    assert refused.value.code == "item_too_long"


def test_a_line_over_the_limit_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_line(0) + "\n" + json.dumps({"body": "字" * 5000}) + "\n", encoding="utf-8")
    with pytest.raises(StageError) as refused:
        list(archive_lines(_row(path, "utf-8"), tmp_path, 1000))
    assert refused.value.code == "bad_jsonl" and "line 2" in refused.value.detail


def test_an_archive_changed_since_it_was_registered_is_refused_once_read(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(_line(0) + "\n", encoding="utf-8")
    row = _row(path, "utf-8", sha="0" * 64)
    with pytest.raises(StageError) as refused:
        list(archive_lines(row, tmp_path, 10_000))
    assert refused.value.code == "changed"


def test_bytes_the_archives_codec_cannot_decode_are_refused_with_the_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes((_line(0) + "\n").encode("gb18030") + b'{"body": "\x81\x20"}\n')
    with pytest.raises(StageError) as refused:
        list(archive_lines(_row(path, "gb18030"), tmp_path, 10_000))
    assert refused.value.code == "undecodable" and "line 2" in refused.value.detail


def test_ingest_keeps_a_page_too_large_out_but_lets_a_larger_archive_stream(tmp_path):
    page, archive = tmp_path / "p.txt", tmp_path / "a.jsonl"
    page.write_text("本报讯 新闻。\n" * 200, encoding="utf-8")
    archive.write_text((_line(0) + "\n") * 200, encoding="utf-8")
    with pytest.raises(StageError) as refused:
        decode_dropped_file(_row(page), tmp_path, max_page_bytes=1000, max_archive_bytes=10**6)
    assert refused.value.code == "too_large"
    found = decode_dropped_file(_row(archive), tmp_path, max_page_bytes=1000, max_archive_bytes=10**6)
    assert found.format == "jsonl" and found.encoding == "utf-8"
