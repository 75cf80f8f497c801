"""The read-only role for downstream readers sees the published relations and nothing else."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import ProgrammingError

from models.db import get_engine

PUBLISHED = ("canonical_articles", "article_copies", "article_entities", "file_status")
INTERNAL = ("articles", "source_files", "file_items", "page_texts", "article_bands")


def _as_reader(stack, query: str):
    with get_engine(stack.database_url).begin() as conn:
        conn.execute(text("SET LOCAL ROLE newsflow_reader"))
        return conn.execute(text(query)).all()


@pytest.mark.parametrize("relation", PUBLISHED)
def test_the_reader_role_can_select_every_published_relation(stack, relation):
    assert _as_reader(stack, f"SELECT count(*) FROM {relation}") == [(0,)]


@pytest.mark.parametrize("relation", INTERNAL)
def test_the_reader_role_cannot_read_internal_tables(stack, relation):
    with pytest.raises(ProgrammingError, match="permission denied"):
        _as_reader(stack, f"SELECT count(*) FROM {relation}")


def test_the_reader_role_cannot_write(stack):
    with pytest.raises(ProgrammingError, match="permission denied"):
        _as_reader(stack, "DELETE FROM file_status")
