"""``newsflow ingest`` registers an archive a chunk at a time, enqueues each chunk once it is
committed, and names the files it cannot read instead of stopping at the first."""

from __future__ import annotations

import io

from rich.console import Console

from intake import register as intake
from workers import progress


def test_ingest_registers_in_chunks_sends_every_file_once_and_names_the_unreadable(
        stack, monkeypatch, unreadable):
    # Given a folder of seven pages, one of them unreadable for now
    folder = stack.root / "archive"
    folder.mkdir()
    for n in range(7):
        (folder / f"p{n}.txt").write_text(f"本报讯 第{n}篇的内容。\n", encoding="utf-8")
    unreadable.add("p4.txt")
    sent = []
    monkeypatch.setattr(progress, "send_files", lambda files, _: sent.append(
        [file_id for file_id, _ in files]))
    monkeypatch.setattr(intake, "REGISTER_CHUNK", 3)
    out = io.StringIO()
    # When it is ingested
    lot = progress.enqueue_paths([folder], stack.settings, Console(file=out, width=200))
    # Then each chunk of three was sent on its own, after its registration committed
    rows = stack.sql("SELECT id, path FROM source_files ORDER BY path")
    ids = {r.path.rsplit("/", 1)[-1]: r.id for r in rows}
    assert sorted(ids) == ["p0.txt", "p1.txt", "p2.txt", "p3.txt", "p5.txt", "p6.txt"]
    assert sent == [[ids["p0.txt"], ids["p1.txt"], ids["p2.txt"]],
                    [ids["p3.txt"], ids["p5.txt"]], [ids["p6.txt"]]]
    # And the unreadable file is named, not registered, and did not stop the others
    assert [path.name for path, _ in lot.unreadable] == ["p4.txt"]
    assert "cannot read" in out.getvalue() and "p4.txt" in out.getvalue()
    assert "6 files: 6 enqueued, 0 already in a final state" in out.getvalue()
    # And ingesting the folder again, one of its files named a second time, sends the files
    # still unfinished once each, the one unreadable before with them
    sent.clear()
    unreadable.clear()
    again = progress.enqueue_paths([folder, folder / "p0.txt"], stack.settings,
                                   Console(file=io.StringIO()))
    assert sorted(i for chunk in sent for i in chunk) == sorted(
        [*ids.values(), next(i.file_id for p, i in again.intakes if p.name == "p4.txt")])
