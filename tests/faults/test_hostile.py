"""Hostile input, round two: odd names with bad content, hostile HTML, quarantine that stays
inside the folders the user named."""

from __future__ import annotations

import json
import os
import re
import time

from stages.text.script import to_simplified
from tests.conftest import SEEDS
from tests.faults.conftest import watcher
from tests.faults.corpus import story, wait_until_idle

PAGE = sorted(SEEDS.glob("*.txt"))[0]
ODD = os.fsdecode(b"col_\xd0-bad.txt")  # not UTF-8


def _rows(stack, like: str):
    return stack.sql("SELECT id, status, error_code, quarantine_path FROM source_files"
                     " WHERE path LIKE :p ORDER BY id", p=like)


def test_a_name_that_is_not_utf8_with_bad_content_is_quarantined_and_can_be_retried(faulty):
    # Given an empty file and a PDF under names that are not UTF-8
    with faulty.worker(concurrency=2), watcher(faulty):
        (faulty.inbox / ODD).write_bytes(b"")
        (faulty.inbox / os.fsdecode(b"\xb1\xa8.pdf")).write_bytes(b"%PDF-1.7\n" + bytes(range(200)))
        wait_until_idle(faulty, 2, timeout=120)
    # Then both are quarantined (not failed), kept at a path the ledger could record
    rows = faulty.sql("SELECT id, status, error_code, quarantine_path FROM source_files ORDER BY id")
    assert sorted((r.status, r.error_code) for r in rows) == [("quarantined", "damaged"),
                                                               ("quarantined", "empty")]
    assert all(os.path.exists(r.quarantine_path) for r in rows)
    assert all(os.stat(r.quarantine_path).st_mode & 0o077 == 0 for r in rows)
    # And a retry puts the empty one back under its exact name
    [empty] = [r for r in rows if r.error_code == "empty"]
    result = faulty.run("quarantine", "retry", str(empty.id))
    assert result.returncode == 0, result.stderr
    assert (faulty.inbox / ODD).exists() and not os.path.exists(empty.quarantine_path)


def test_a_raw_byte_name_and_its_escape_spelled_out_are_two_files_each_final(faulty):
    # Given one page under two names that differ only as the byte 0xD0 and its escape
    # spelled out (col_\xd0.txt with a literal backslash), the same page
    raw, escaped = os.fsdecode(b"col_\xd0.txt"), "col_\\xd0.txt"
    text = PAGE.read_text(encoding="utf-8")
    with faulty.worker(concurrency=2), watcher(faulty):
        for name in (raw, escaped):
            (faulty.inbox / name).write_text(text, encoding="utf-8")
        result = wait_until_idle(faulty, 2, timeout=120)
    # Then both are registered and final: one stored, the other a duplicate of it
    rows = faulty.sql("SELECT path_bytes, status FROM source_files ORDER BY id")
    assert {bytes(row.path_bytes).rsplit(b"/", 1)[-1] for row in rows} == {
        b"col_\xd0.txt", b"col_\\xd0.txt"}
    assert sorted(row.status for row in rows) == ["duplicate", "stored"]
    assert result["lost"] == result["doubled"] == 0


def test_html_nested_thousands_deep_is_read_not_crashed_on(faulty):
    text = "<p>深处的一段文字，内容完整，长度也足够成为一篇报道的正文。</p>"
    deep = "<div>" * 3000 + text + "</div>" * 3000
    with faulty.worker(concurrency=1), watcher(faulty):
        (faulty.inbox / "deep.html").write_text(f"<html><body><h1>标题</h1>{deep}</body></html>")
        wait_until_idle(faulty, 1, timeout=120)
    [row] = _rows(faulty, "%/deep.html")
    assert row.status == "stored", row
    result = faulty.run("parse", str(faulty.root / "none.html"))
    assert result.returncode == 2  # a missing file is a one-line error, not a traceback
    assert "Traceback" not in result.stderr


def test_retry_refuses_to_move_a_file_where_a_symlink_now_leads(faulty, tmp_path):
    # Given a bad file quarantined out of a subfolder of the inbox
    folder = faulty.inbox / "sub"
    folder.mkdir()
    with faulty.worker(concurrency=1), watcher(faulty):
        (folder / "bad.txt").write_bytes(b"")
        wait_until_idle(faulty, 1, timeout=120)
    [row] = _rows(faulty, "%/bad.txt")
    assert row.status == "quarantined"
    # When the subfolder is replaced by a symlink to a folder outside the inbox
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    folder.rmdir()
    folder.symlink_to(outside)
    result = faulty.run("quarantine", "retry", str(row.id))
    # Then the retry is refused, nothing is written outside, and the file stays quarantined
    assert result.returncode == 2 and "outside the inbox" in result.stderr
    assert list(outside.iterdir()) == [] and os.path.exists(row.quarantine_path)
    assert _rows(faulty, "%/bad.txt")[0].status == "quarantined"


def test_ingest_of_a_folder_outside_the_inbox_copies_bad_files_and_leaves_it_untouched(faulty, tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "page.txt").write_bytes(PAGE.read_bytes())
    before = sorted((p.name, p.stat().st_size) for p in folder.iterdir())
    with faulty.worker(concurrency=1):
        result = faulty.ingest(folder)
    assert result.returncode == 0, result.stderr
    [row] = _rows(faulty, "%/empty.txt")
    assert row.status == "quarantined" and os.path.exists(row.quarantine_path)
    assert sorted((p.name, p.stat().st_size) for p in folder.iterdir()) == before


def _story_bytes(n: int) -> bytes:
    return json.dumps(story(n), ensure_ascii=False).encode()


def test_a_slow_copy_that_keeps_its_file_open_is_registered_once_whole(faulty):
    data = _story_bytes(7)
    with faulty.worker(concurrency=1), watcher(faulty):
        with open(faulty.inbox / "slow-copy.txt", "wb") as handle:
            for start in range(0, len(data), len(data) // 6 + 1):
                handle.write(data[start:start + len(data) // 6 + 1])
                handle.flush()
                time.sleep(1.0)  # longer than the stability wait: only the open file holds it
        wait_until_idle(faulty, 1, timeout=120)
    rows = faulty.sql("SELECT status, size FROM source_files")
    assert rows == [("stored", len(data))]


def test_a_file_rewritten_piece_by_piece_counts_once_in_its_final_version(faulty):
    # Given a writer that reopens a text page for each piece (like `echo >>`), slower than the
    # stability wait, so half-written versions are noticed
    text = story(8)["title"] + "\n\n" + story(8)["body"]
    step = len(text) // 4 + 1
    pieces = [text[i:i + step].encode() for i in range(0, len(text), step)]
    data = b"".join(pieces)
    path = faulty.inbox / "appended.txt"
    with faulty.worker(concurrency=1), watcher(faulty):
        for piece in pieces:
            with open(path, "ab") as handle:
                handle.write(piece)
            time.sleep(1.5)
        versions = faulty.wait_until(
            "SELECT count(*) FROM source_files WHERE superseded_by IS NULL AND status = 'stored'"
            " AND size = :size", 1, timeout=120, size=len(data))
        assert versions == 1
    # Then every version is final, all but the last superseded by a later one
    rows = faulty.sql("SELECT id, status, size, superseded_by FROM source_files ORDER BY id")
    assert all(row.status in ("stored", "duplicate", "failed") for row in rows), rows
    assert [row.superseded_by is None for row in rows] == [False] * (len(rows) - 1) + [True]
    assert rows[-1].size == len(data)
    # And the published view holds the story once, from the whole file
    published = faulty.sql("SELECT body FROM canonical_articles")
    han = lambda text: re.sub(r"[^\u4e00-\u9fff]", "", text)  # noqa: E731 (punctuation is normalized)
    assert len(published) == 1 and han(to_simplified(story(8)["body"]))[-30:] in han(published[0].body)
