"""A task message carrying several files: one transaction, and still an outcome per file.

The stage tasks run in-process here (``run_batch`` is what every task calls), against the
test's scratch PostgreSQL; the broker is not needed to show what happens inside a batch.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy import text
from sqlalchemy.orm import Session

from intake.files import sha256_of
from models.db import get_engine, transaction
from tasks import pipeline, steps
from tasks.enqueue import batch_label
from tasks.settings import get_settings
from tests.conftest import SEEDS


@pytest.fixture
def configured(stack, monkeypatch):
    """The stack's database as this process's settings (what a worker reads from its env)."""
    for name in ("NEWSFLOW_DATABASE_URL", "NEWSFLOW_REDIS_URL", "NEWSFLOW_DATA_DIR", "NEWSFLOW_INBOX"):
        monkeypatch.setenv(name, stack.env[name])
    get_settings.cache_clear()
    yield stack
    get_settings.cache_clear()


def _registered(stack, name: str, seed: int) -> int:
    path = stack.inbox / name
    shutil.copy(sorted(SEEDS.glob("*.txt"))[seed], path)
    return stack.register(path)


def test_one_broken_file_fails_alone_and_the_rest_of_its_batch_goes_on(configured):
    stack = configured
    # Given three decoded pages, the middle one's page text lost (a state no step expects)
    ids = [_registered(stack, f"{n}.txt", n) for n in range(3)]
    for file_id in ids:
        with transaction(stack.database_url) as session:
            steps.ingest_files(session, [file_id], stack.settings)
    with transaction(stack.database_url) as session:
        session.execute(text("DELETE FROM page_texts WHERE file_id = :f"), {"f": ids[1]})
    # When one parse message carries all three
    go_on = pipeline.parse.run_batch(steps.parse_files, ids, batch_label(["0.txt", "1.txt", "2.txt"]))
    # Then the two good ones are parsed and go on to normalize, in order
    assert go_on == [ids[0], ids[2]]
    rows = {r.id: r for r in stack.sql("SELECT id, status, stage, error_code, error_detail"
                                       " FROM source_files")}
    assert [rows[i].stage for i in (ids[0], ids[2])] == ["parsed", "parsed"]
    # And the broken one is failed, with the stage and the error as its reason
    broken = rows[ids[1]]
    assert (broken.status, broken.error_code) == ("failed", "parse_error")
    assert "NoResultFound" in broken.error_detail


def test_a_batch_run_again_goes_on_with_every_file_and_writes_nothing_twice(configured):
    stack = configured
    # Given two pages run through ingest and parse as one batch
    ids = [_registered(stack, f"{n}.txt", n) for n in range(2)]
    for step, task in ((steps.ingest_files, pipeline.ingest), (steps.parse_files, pipeline.parse)):
        assert task.run_batch(step, ids, "") == ids
    items = stack.sql("SELECT count(*) FROM file_items")[0][0]
    # When the parse message is delivered again (a retry after a transient error)
    again = pipeline.parse.run_batch(steps.parse_files, ids, "")
    # Then both files still go on, and no item is added
    assert again == ids
    assert stack.sql("SELECT count(*) FROM file_items")[0][0] == items > 0


def test_a_bad_file_in_a_batch_is_quarantined_and_the_others_go_on(configured):
    stack = configured
    # Given three registered files, the middle one binary (not text in any encoding)
    ids = [_registered(stack, f"{n}.txt", n) for n in range(3)]
    bad = stack.inbox / "1.txt"
    bad.write_bytes(bytes(range(256)) * 40)
    with transaction(stack.database_url) as session:
        session.execute(text("UPDATE source_files SET content_sha256 = :sha WHERE id = :id"),
                        {"sha": sha256_of(bad), "id": ids[1]})
    # When one ingest message carries all three
    go_on = pipeline.ingest.run_batch(steps.ingest_files, ids, "")
    # Then the two text pages go on, in order, and the binary one is quarantined with its reason
    assert go_on == [ids[0], ids[2]]
    rows = {r.id: r for r in stack.sql("SELECT id, status, stage, error_code, quarantine_path"
                                       " FROM source_files")}
    assert [rows[i].stage for i in (ids[0], ids[2])] == ["ingested", "ingested"]
    assert (rows[ids[1]].status, rows[ids[1]].error_code) == ("quarantined", "binary")
    assert not bad.exists() and Path(rows[ids[1]].quarantine_path).exists()


def test_a_quarantine_whose_transaction_failed_is_recorded_with_its_reason_on_the_retry(
        configured):
    stack = configured
    # Given a registered binary file, whose ingest moved it to quarantine in a transaction
    # that then failed (rolled back here: the ledger is as after a failed commit, and the
    # move, which no transaction can undo, stands)
    [file_id] = [_registered(stack, "bad.txt", 0)]
    bad = stack.inbox / "bad.txt"
    bad.write_bytes(bytes(range(256)) * 40)
    with transaction(stack.database_url) as session:
        session.execute(text("UPDATE source_files SET content_sha256 = :sha WHERE id = :id"),
                        {"sha": sha256_of(bad), "id": file_id})
    with Session(get_engine(stack.database_url)) as session:
        steps.ingest_files(session, [file_id], stack.settings)
        session.rollback()
    assert not bad.exists()
    assert stack.sql("SELECT status FROM source_files WHERE id = :i", i=file_id)[0][0] == "queued"
    # When the ingest message is delivered again (the retry after the transient error)
    assert pipeline.ingest.run_batch(steps.ingest_files, [file_id], "") == []
    # Then the file is quarantined with the fault it has, not failed as missing
    row = stack.sql("SELECT status, error_code, quarantine_path FROM source_files")[0]
    assert (row.status, row.error_code) == ("quarantined", "binary")
    assert Path(row.quarantine_path).read_bytes() == bytes(range(256)) * 40


def test_a_batch_past_the_soft_time_limit_is_rolled_back_and_sent_again_file_by_file(
        configured, monkeypatch):
    stack = configured
    # Given two registered pages, and a parse step that runs into the soft time limit
    ids = [_registered(stack, f"{n}.txt", n) for n in range(2)]
    assert pipeline.ingest.run_batch(steps.ingest_files, ids, "") == ids
    sent = []
    monkeypatch.setattr(pipeline.parse, "apply_async", lambda args: sent.append(args))

    def parse_then_time_out(session, file_ids, settings):
        steps.parse_files(session, file_ids, settings)
        raise SoftTimeLimitExceeded()

    # When a parse message carries both
    go_on = pipeline.parse.run_batch(parse_then_time_out, ids, "batch")
    # Then nothing goes on, nothing of the batch is kept, and each file is sent again alone
    assert go_on == []
    assert stack.sql("SELECT count(*) FROM file_items")[0][0] == 0
    assert stack.sql("SELECT DISTINCT stage FROM source_files") == [("ingested",)]
    assert sent == [([ids[0]], "batch"), ([ids[1]], "batch")]


def test_labels_name_the_first_file_and_count_the_others():
    assert batch_label(["/in/a.txt"]) == "/in/a.txt"
    assert batch_label(["/in/a.txt", "/in/b.txt", "/in/c.txt"]) == "/in/a.txt (+2 more)"
