"""Every stage, run again for the same file, changes nothing (no broker needed to show it)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import text
from sqlalchemy.exc import NoResultFound

from models.db import transaction
from tasks import steps
from tests.conftest import SEEDS

STEPS = steps.IN_ORDER
ROWS = ("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_occurrences),"
        " (SELECT count(*) FROM file_items), (SELECT count(*) FROM article_bands),"
        " (SELECT count(*) FROM article_entities)")
SNAPSHOT = ("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM article_occurrences),"
            " (SELECT count(*) FROM file_items), (SELECT count(*) FROM article_bands),"
            " (SELECT count(*) FROM article_entities), (SELECT string_agg(status || stage, ',')"
            " FROM source_files)")


def _registered_page(stack) -> int:
    """The ledger id of sample page 000, copied into the inbox and registered (not enqueued)."""
    page = stack.inbox / "000.txt"
    shutil.copy(sorted(SEEDS.glob("*.txt"))[0], page)
    return stack.register(page)


def _run(stack, step, file_id):
    with transaction(stack.database_url) as session:
        return step(session, [file_id], stack.settings)


def test_each_step_run_twice_writes_nothing_twice(stack):
    # Given a registered sample page
    file_id = _registered_page(stack)
    for step in STEPS:
        # When a step runs, and then runs again as a redelivered task would
        _run(stack, step, file_id)
        after_first = stack.sql(SNAPSHOT)
        _run(stack, step, file_id)
        # Then the second run changes nothing
        assert stack.sql(SNAPSHOT) == after_first, step.__name__
    assert stack.sql("SELECT status FROM source_files")[0][0] == "stored"


def test_rerunning_dedupe_and_store_after_a_crash_adds_no_rows(stack):
    # Given a page fully stored
    file_id = _registered_page(stack)
    for step in STEPS:
        _run(stack, step, file_id)
    stored = stack.sql(ROWS)
    # When the ledger is rolled back to before dedupe (as if its commit was never recorded)
    with transaction(stack.database_url) as session:
        session.execute(text("UPDATE source_files SET stage = 'normalized', status = 'processing'"))
    _run(stack, steps.dedupe_files, file_id)
    _run(stack, steps.store_files, file_id)
    # Then the same articles, occurrences and bands are there, none doubled
    assert stack.sql(ROWS) == stored
    assert stack.sql("SELECT status, stage FROM source_files")[0] in {("stored", "stored"),
                                                                      ("duplicate", "stored")}


def test_a_redelivered_step_lets_the_chain_go_on_and_a_final_file_stops_it(stack):
    # Given a page ingested and parsed
    file_id = _registered_page(stack)
    assert _run(stack, steps.ingest_files, file_id) and _run(stack, steps.parse_files, file_id)
    # When parse is delivered again: its work is done, so normalize should still follow
    assert _run(stack, steps.parse_files, file_id) == [file_id]
    # And once the file is final, no stage goes on, whatever message arrives late
    for step in STEPS[2:]:
        _run(stack, step, file_id)
    assert [_run(stack, step, file_id) for step in STEPS] == [[]] * len(STEPS)
    assert stack.sql("SELECT stage FROM source_files")[0][0] == "stored"


def test_a_step_that_fails_leaves_the_ledger_at_the_stage_before(stack):
    # Given an ingested page whose page text is then lost (a state no step expects)
    file_id = _registered_page(stack)
    _run(stack, steps.ingest_files, file_id)
    with transaction(stack.database_url) as session:
        session.execute(text("DELETE FROM page_texts"))
    # When parse fails on it
    with pytest.raises(NoResultFound):
        _run(stack, steps.parse_files, file_id)
    # Then the stage it claimed is rolled back with its work: the file is still `ingested`
    assert stack.sql("SELECT status, stage FROM source_files")[0] == ("processing", "ingested")


def test_a_page_quarantined_by_parse_keeps_the_stage_it_reached(stack):
    # Given a page of furniture only (a date line, an editor's credit), ingested
    page = stack.inbox / "furniture.txt"
    page.write_text("2022年10月13日 星期四\n责任编辑：王五\n", encoding="utf-8")
    file_id = stack.register(page)
    assert _run(stack, steps.ingest_files, file_id)
    # When parse finds no article in it
    assert _run(stack, steps.parse_files, file_id) == []
    # Then it is quarantined with its reason, and its stage is the last one that succeeded
    row = stack.sql("SELECT status, stage, error_code, quarantine_path FROM source_files")[0]
    assert row[:3] == ("quarantined", "ingested", "no_content")
    assert row[3].endswith("furniture.txt") and not page.exists()
