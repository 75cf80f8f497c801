"""The watcher registers the files that become ready together in one transaction
(``intake.register.register_paths``); one file it cannot read must not hold up the others (a lot
is retried whole only when the database fails).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from sqlalchemy import text

from intake import register as intake
from models.db import get_engine, transaction
from workers import watcher


def _ready(stack, names: list[str]) -> watcher.PendingFiles:
    pending = watcher.PendingFiles(tuple(stack.settings.ignore_patterns))
    for name in names:
        (stack.inbox / name).write_text(f"本报讯 {name} 的内容。\n", encoding="utf-8")
        pending.notice(stack.inbox / name)
    pending.stable(0)  # first sight: size and mtime recorded
    return pending


def test_an_unreadable_file_waits_alone_while_the_rest_of_its_lot_registers(
        stack, monkeypatch, unreadable):
    # Given three files ready together, the middle one unreadable for now
    pending = _ready(stack, ["a.txt", "b.txt", "c.txt"])
    unreadable.add("b.txt")
    sent = []
    monkeypatch.setattr(watcher, "_send", lambda ready, *_: sent.extend(p.name for p, _ in ready))
    failed: set = set()
    time.sleep(0.01)
    # When the watcher registers what is ready
    watcher.register_ready(pending, stack.settings.model_copy(update={"stability_seconds": 0}),
                           failed)
    # Then the two readable files are in the ledger and handed on to be sent
    rows = stack.sql("SELECT path FROM source_files ORDER BY path")
    assert [r.path.rsplit("/", 1)[-1] for r in rows] == ["a.txt", "c.txt"]
    assert sent == ["a.txt", "c.txt"]
    # And the unreadable one is kept for another try, not dropped
    assert {p.name for p in failed} == {"b.txt"}
    assert [p.name for p in pending.stable(0)] == []  # noticed again: its stability restarts
    assert [p.name for p in pending.stable(0)] == ["b.txt"]  # and it comes back ready


def _register(stack, paths, requeue=()):
    with transaction(stack.database_url) as session:
        return intake.register_paths(session, paths, requeue=requeue)


def test_a_lot_registers_new_files_finds_known_ones_and_leaves_out_what_is_not_a_page(
        stack, monkeypatch):
    # Given a file registered earlier, two new ones, one that vanished and a FIFO
    inbox = stack.inbox
    for name in ("old.txt", "new1.txt", "new2.txt"):
        (inbox / name).write_text(f"本报讯 {name} 的内容。\n", encoding="utf-8")
    old = stack.register(inbox / "old.txt")
    os.mkfifo(inbox / "pipe.txt")
    hashed = []
    real_hash = intake.sha256_of
    monkeypatch.setattr(intake, "sha256_of", lambda path: hashed.append(path.name) or
                        real_hash(path))
    names = ["new2.txt", "old.txt", "gone.txt", "pipe.txt", "new1.txt"]
    # When they are registered as one lot
    lot = _register(stack, [inbox / name for name in names])
    # Then the new files are registered and to be enqueued, in the order given; the known
    # file is found by its unchanged size and mtime, not hashed again, and not enqueued
    found = {path.name: i for path, i in lot.intakes}
    assert [path.name for path, _ in lot.intakes] == ["new2.txt", "old.txt", "new1.txt"]
    assert found["old.txt"].file_id == old and not found["old.txt"].enqueued
    assert found["new1.txt"].enqueued and found["new2.txt"].enqueued
    assert sorted(hashed) == ["new1.txt", "new2.txt"]
    rows = stack.sql("SELECT id, path, content_sha256 FROM source_files ORDER BY id")
    assert {r.path.rsplit("/", 1)[-1]: r.id for r in rows} == {
        name: i.file_id for name, i in found.items()}
    assert all(r.content_sha256 == real_hash(Path(r.path)) for r in rows)
    # And the vanished file and the FIFO are neither registered nor reported unreadable
    assert lot.unreadable == []
    # And registering the same lot again changes nothing and enqueues nothing
    again = _register(stack, [inbox / name for name in names])
    assert [(p.name, i.file_id, i.enqueued) for p, i in again.intakes] == [
        (p.name, i.file_id, False) for p, i in lot.intakes]


def test_requeue_enqueues_a_known_file_only_while_it_is_unfinished(stack):
    # Given a registered file still queued and one already stored
    for name in ("waiting.txt", "done.txt"):
        (stack.inbox / name).write_text(f"本报讯 {name}。\n", encoding="utf-8")
    paths = [stack.inbox / "waiting.txt", stack.inbox / "done.txt"]
    ids = [stack.register(path) for path in paths]
    with transaction(stack.database_url) as session:
        session.execute(text("UPDATE source_files SET status = 'stored' WHERE id = :id"),
                        {"id": ids[1]})
    # When both are registered again, asked to requeue them, and without asking
    asked = _register(stack, paths, requeue=set(paths))
    unasked = _register(stack, paths)
    # Then only the unfinished one is to be enqueued, and only when asked
    assert [i.enqueued for _, i in asked.intakes] == [True, False]
    assert [i.enqueued for _, i in unasked.intakes] == [False, False]


def test_two_names_shown_alike_with_the_same_content_are_two_files(stack):
    # Given a file whose name is not UTF-8 (the ledger shows it as a\xff.txt) and one
    # literally named a\xff.txt, with the same content
    raw = os.fsencode(stack.inbox) + b"/a\xff.txt"
    with open(raw, "wb") as handle:
        handle.write("本报讯 同一内容。\n".encode())
    literal = stack.inbox / "a\\xff.txt"
    literal.write_text("本报讯 同一内容。\n", encoding="utf-8")
    paths = [Path(os.fsdecode(raw)), literal]
    # When both are registered in one lot (one insert statement for the lot)
    lot = _register(stack, paths)
    # Then each name has its own ledger row, told apart by the name's exact bytes
    assert len({i.file_id for _, i in lot.intakes}) == 2
    names = {bytes(row[0]) for row in stack.sql("SELECT path_bytes FROM source_files")}
    assert names == {raw, os.fsencode(literal)}


def test_looking_up_known_versions_uses_an_index_on_a_large_ledger(stack):
    # Given a ledger of 20,000 files, its statistics up to date
    with transaction(stack.database_url) as session:
        session.execute(text(
            "INSERT INTO source_files (path, path_bytes, content_sha256, size, mtime, status) "
            "SELECT p, convert_to(p, 'UTF8'), md5(n::text), n, n, 'stored' "
            "FROM generate_series(1, 20000) AS n, LATERAL (SELECT '/inbox/p' || n || '.txt') AS v(p)"))
    with get_engine(stack.database_url).connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("ANALYZE source_files"))
    # When the watcher's look-up of a lot of three files is planned
    from models.ledger import _KNOWN  # the statement known_versions sends

    files = json.dumps([{"i": i, "path_bytes": f"/inbox/p{n}.txt".encode().hex(), "size": n,
                         "mtime": float(n)}
                        for i, n in enumerate((5, 77, 19999))])
    with get_engine(stack.database_url).connect() as conn:
        plan = "\n".join(row[0] for row in conn.execute(
            text(f"EXPLAIN {_KNOWN.text}"), {"files": files}))
    # Then it reads the ledger through the version key (path first), not a scan of it all
    assert "source_files_version_key" in plan, plan
    assert "Seq Scan on source_files" not in plan, plan


def test_a_large_backlog_registers_and_goes_out_a_chunk_at_a_time(stack, monkeypatch):
    # Given five files ready together, registration chunks of two
    pending = _ready(stack, [f"{n}.txt" for n in range(5)])
    monkeypatch.setattr(intake, "REGISTER_CHUNK", 2)
    sent, registered_before_send = [], []

    def send(ready, *_):
        sent.append([path.name for path, _ in ready])
        registered_before_send.append(stack.sql("SELECT count(*) FROM source_files")[0][0])

    monkeypatch.setattr(watcher, "_send", send)
    time.sleep(0.01)
    # When the watcher registers what is ready
    watcher.register_ready(pending, stack.settings.model_copy(update={"stability_seconds": 0}),
                           set())
    # Then each chunk was sent once committed, before the next one was registered
    assert sorted(name for chunk in sent for name in chunk) == [f"{n}.txt" for n in range(5)]
    assert [len(chunk) for chunk in sent] == [2, 2, 1]
    assert registered_before_send == [2, 4, 5]
