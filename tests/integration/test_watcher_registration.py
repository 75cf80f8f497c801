"""The watcher registers the files that become ready together in one transaction; one file it
cannot read must not hold up the others (a lot is retried whole only when the database fails).
"""

from __future__ import annotations

import time

from workers import watcher


def _ready(stack, names: list[str]) -> watcher.PendingFiles:
    pending = watcher.PendingFiles(tuple(stack.settings.ignore_patterns))
    for name in names:
        (stack.inbox / name).write_text(f"本报讯 {name} 的内容。\n", encoding="utf-8")
        pending.notice(stack.inbox / name)
    pending.stable(0)  # first sight: size and mtime recorded
    return pending


def test_an_unreadable_file_waits_alone_while_the_rest_of_its_lot_registers(stack, monkeypatch):
    # Given three files ready together, the middle one unreadable for now (a permission
    # problem: faked here, since this test runs as root, which reads anything)
    pending = _ready(stack, ["a.txt", "b.txt", "c.txt"])
    real_register = watcher.register_path

    def register(session, path, settings, requeue=False):
        if path.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_register(session, path, settings, requeue)

    sent = []
    monkeypatch.setattr(watcher, "register_path", register)
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
