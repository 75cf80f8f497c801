"""docs/schema.md documents exactly the published views, tables and functions."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg

from migrations import upgrade_head
from workers import scratch as services

DOC = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
PUBLISHED = ("canonical_articles", "article_copies", "article_entities", "file_status")
_SECTION = re.compile(r"^## `(\w+)`$", re.MULTILINE)
_ROW = re.compile(r"^\| `([^`]+)` \| ([^|]+?) \|", re.MULTILINE)
_COLUMNS = """
SELECT column_name, CASE WHEN data_type = 'ARRAY' THEN substr(udt_name, 2) || '[]'
                         ELSE data_type END
FROM information_schema.columns
WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position
"""
_FUNCTIONS = """
SELECT p.oid::regprocedure::text, pg_get_function_result(p.oid)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND p.proname LIKE 'newsflow%%'
"""


def documented() -> dict[str, list[tuple[str, str]]]:
    """Each ``## `name` `` section's table rows as (name, type); functions under "Functions"."""
    text = DOC.read_text(encoding="utf-8")
    parts = _SECTION.split(text.split("## Functions")[0])
    sections = {name: _ROW.findall(body) for name, body in zip(parts[1::2], parts[2::2], strict=True)}
    functions = text.split("## Functions")[1].split("\n### ")[0]
    sections["functions"] = _ROW.findall(functions)
    return sections


def test_schema_doc_lists_exactly_the_published_columns_and_functions(postgres_admin):
    docs = documented()
    with services.scratch_database(postgres_admin) as url:
        # Given an empty database upgraded to the newest migration
        upgrade_head(url)
        with psycopg.connect(url) as conn:
            # When the published relations' columns and newsflow's functions are read back
            actual = {name: conn.execute(_COLUMNS, (name,)).fetchall() for name in PUBLISHED}
            actual["functions"] = sorted(conn.execute(_FUNCTIONS).fetchall())
    # Then the page documents exactly those, in order, with their types
    assert set(docs) == set(actual)
    for name in PUBLISHED:
        assert docs[name] == actual[name], name
        assert actual[name], f"{name} is missing from the database"
    assert sorted(docs["functions"]) == actual["functions"]
