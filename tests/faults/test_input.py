"""Hostile and awkward input: every dropped file ends in one final state, with its reason."""

from __future__ import annotations

import json
import os
import shutil
import time
import zipfile

from tests.conftest import SEEDS
from tests.faults.conftest import watcher
from tests.faults.corpus import article_count, story, wait_until_idle, write_stories

PAGE = sorted(SEEDS.glob("*.txt"))[0]


def _row(stack, name: str):
    rows = stack.sql("SELECT * FROM source_files WHERE path LIKE :p", p=f"%/{name}")
    assert len(rows) == 1, f"{name}: {len(rows)} ledger rows"
    return rows[0]


def _slow_write(path, data: bytes, pause: float) -> None:
    with open(path, "wb") as handle:
        for start in range(0, len(data), len(data) // 5 + 1):
            handle.write(data[start:start + len(data) // 5 + 1])
            handle.flush()
            time.sleep(pause)


def test_bad_and_odd_files_each_end_in_one_final_state_with_a_reason(faulty, tmp_path):
    faulty.env["NEWSFLOW_MAX_FILE_BYTES"] = "100000"
    inbox = faulty.inbox
    page = PAGE.read_bytes()
    with faulty.worker(concurrency=2), watcher(faulty):
        # Given files that are empty, binary, too large, undecodable, with NUL bytes, an archive
        (inbox / "empty.txt").write_bytes(b"")
        (inbox / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2048))
        (inbox / "huge.txt").write_bytes(page * 12)
        (inbox / "garbage.txt").write_bytes(b"\x80\xff" * 300)
        (inbox / "damaged.txt").write_bytes(page[:3000] + b"\xff" + page[3000:])
        (inbox / "nul.txt").write_bytes(page[:600] + b"\x00" * 8 + page[600:])
        text = page.decode("utf-8")  # a UTF-16 page (with its byte order mark) holding a NUL
        (inbox / "nul16.txt").write_bytes(("\ufeff" + text[:200] + "\x00" + text[200:]).encode("utf-16-le"))
        with zipfile.ZipFile(inbox / "pages.zip", "w") as archive:
            archive.writestr("page.txt", page)
        # And a symlink out of the inbox, a FIFO, and names with a newline and non-UTF-8 bytes
        (inbox / "outside.txt").symlink_to("/etc/hostname")
        os.mkfifo(inbox / "pipe.txt")
        (inbox / "two\nlines.txt").write_bytes(json.dumps(story(1), ensure_ascii=False).encode())
        (inbox / os.fsdecode(b"\xb1\xa8\xd6\xbd-gbk-name.txt")).write_bytes(page)
        # And a page written slowly, in five pieces
        _slow_write(inbox / "slow.txt", json.dumps(story(2), ensure_ascii=False).encode(), 0.1)
        result = wait_until_idle(faulty, 11, timeout=240)
    # Then the bad ones are quarantined with a code and a reason, moved aside, never deleted
    expected = {"empty.txt": "empty", "image.txt": "binary", "huge.txt": "too_large",
                "garbage.txt": "undecodable", "nul.txt": "binary", "nul16.txt": "binary",
                "pages.zip": "binary"}
    for name, code in expected.items():
        row = _row(faulty, name)
        assert (row.status, row.error_code) == ("quarantined", code), name
        assert row.error_detail and os.path.exists(row.quarantine_path)
        assert not (inbox / name).exists()
    assert "zip" in _row(faulty, "pages.zip").error_detail.lower()
    # And the good ones are stored, their names kept exactly
    assert _row(faulty, "two\nlines.txt").status == "stored"
    assert _row(faulty, "slow.txt").status == "stored"
    # And a UTF-8 page with one damaged byte is kept, the damage marked and flagged
    damaged = _row(faulty, "damaged.txt")
    assert damaged.status in {"stored", "duplicate"} and "replaced" in damaged.encoding
    flags = faulty.sql("SELECT a.quality_flags FROM articles a JOIN article_occurrences o"
                       " ON o.article_id = a.id WHERE o.file_id = :f", f=damaged.id)
    assert any("mojibake" in row.quality_flags for row in flags)
    odd = faulty.sql("SELECT path_bytes, status FROM source_files"
                     " WHERE path_bytes <> convert_to(path, 'UTF8')")
    assert [(bytes(p).rsplit(b"/", 1)[1], s) for p, s in odd] == [
        (b"\xb1\xa8\xd6\xbd-gbk-name.txt", "stored")]
    # And the symlink and the FIFO were never read: no ledger row
    assert result["dropped"] == 11 and result["lost"] == 0 and result["doubled"] == 0
    assert faulty.sql("SELECT count(*) FROM source_files")[0][0] == 11


def test_quarantined_files_are_listed_and_retried(faulty):
    faulty.env["NEWSFLOW_MAX_FILE_BYTES"] = "5000"
    shutil.copy(PAGE, faulty.inbox / "page.txt")
    with faulty.worker(concurrency=1):
        faulty.ingest(faulty.inbox)
    # Given a page quarantined for its size, when an operator lists the quarantine
    listing = faulty.run("quarantine", "list", timeout=120)
    assert listing.returncode == 0 and "too_large" in listing.stdout
    row = _row(faulty, "page.txt")
    assert not (faulty.inbox / "page.txt").exists() and os.path.exists(row.quarantine_path)
    # And retries it, once the limit is raised
    faulty.env["NEWSFLOW_MAX_FILE_BYTES"] = "50000000"
    retry = faulty.run("quarantine", "retry", str(row.id), timeout=120)
    assert retry.returncode == 0, retry.stderr
    with faulty.worker(concurrency=1):
        wait_until_idle(faulty, 1, timeout=120)
    # Then it is back in the inbox and stored, still one ledger row
    row = _row(faulty, "page.txt")
    assert row.status == "stored" and (faulty.inbox / "page.txt").exists()
    assert row.quarantine_path is None
    # And a file that is not quarantined cannot be retried
    again = faulty.run("quarantine", "retry", str(row.id), timeout=120)
    assert again.returncode == 2 and "cannot be retried" in again.stderr


def test_same_file_twice_under_two_names_and_overwritten(faulty):
    with faulty.worker(concurrency=2), watcher(faulty):
        # Given a story dropped, then the same bytes under a second name, then again as is
        first = write_stories(faulty.inbox, 1)[0]
        wait_until_idle(faulty, 1)
        shutil.copy(first, faulty.inbox / "copy.jsonl")
        wait_until_idle(faulty, 2)
        first.write_bytes(first.read_bytes())  # re-dropped with the same content
        # When the first file is overwritten with another story
        time.sleep(1)
        first.write_text(json.dumps(story(99), ensure_ascii=False) + "\n", encoding="utf-8")
        result = wait_until_idle(faulty, 3)
    # Then: the copy is a duplicate occurrence, the overwrite a new version, nothing doubled
    rows = faulty.sql("SELECT path, status FROM source_files ORDER BY id")
    assert [status for _, status in rows] == ["stored", "duplicate", "stored"]
    assert rows[0].path == rows[2].path
    assert article_count(faulty) == 2 and result["doubled"] == 0


def test_two_thousand_files_dropped_at_once(faulty):
    # Given a running stack, when 2,000 stories land in the inbox at once
    started = time.monotonic()
    with faulty.worker(concurrency=2), watcher(faulty):
        write_stories(faulty.inbox, 2000)
        result = wait_until_idle(faulty, 2000, timeout=1500)
    print(f"2000 files in {time.monotonic() - started:.0f} s")
    # Then every one is stored exactly once
    assert result["stored"] == 2000 and result["lost"] == 0 and result["doubled"] == 0
    assert article_count(faulty) == 2000
    # And rescans during the backlog did not flood the queue with copies of waiting files
    log = (faulty.root / "worker.log").read_text(errors="replace")
    ingests = log.count("Task newsflow.ingest[") // 2  # a "received" and a "succeeded" line
    print(f"ingest tasks run: {ingests}")
    assert ingests <= 2100
