"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import importlib

import psycopg
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from migrations import upgrade_head
from models.db import get_engine
from models.tables import Base
from workers import scratch as services
from workers.embedded import EmbeddedPostgres

LARGE_COLUMNS = importlib.import_module("migrations.versions.0006_lz4_for_large_values").LARGE_COLUMNS


def test_upgrade_head_on_an_empty_database_matches_the_models(postgres_admin):
    with services.scratch_database(postgres_admin) as url:
        # Given an empty database, when it is upgraded to head
        upgrade_head(url)
        upgrade_head(url)  # a second run is a no-op, not an error
        # Then autogenerate finds no difference between it and the models
        engine = get_engine(url)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        engine.dispose()
    assert diff == []


def _lz4_supported(url: str) -> bool:
    """Whether the server accepts lz4 at all, asked of a throwaway table (not the migration)."""
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        try:
            conn.execute("CREATE TEMP TABLE lz4_probe (value text COMPRESSION lz4)")
        except psycopg.errors.FeatureNotSupported:
            return False
    return True


def _compression(url: str) -> dict[tuple[str, str], str]:
    """(table, column) -> pg_attribute.attcompression ('l' lz4, 'p' pglz, '' the default)."""
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT c.relname, a.attname, a.attcompression::text FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0"
            " AND NOT a.attisdropped").fetchall()
    return {(table, column): method for table, column, method in rows}


def test_large_columns_are_compressed_with_lz4_where_the_server_has_it(postgres_admin):
    with services.scratch_database(postgres_admin) as url:
        # Given an empty database on the test server (this machine's is built with lz4)
        has_lz4 = _lz4_supported(url)
        # When it is upgraded to head
        upgrade_head(url)
        methods = _compression(url)
    # Then exactly the large text and JSON columns are written with lz4 (none without it)
    lz4 = {key for key, method in methods.items() if method == "l"}
    assert lz4 == (set(LARGE_COLUMNS) if has_lz4 else set())


def test_upgrade_on_a_server_without_lz4_succeeds_and_keeps_its_default(tmp_path, caplog):
    # Given PostgreSQL built without lz4 (the embedded server of the demo default)
    server = EmbeddedPostgres(tmp_path / "pg")
    url = server.start()
    try:
        assert not _lz4_supported(url), "the embedded server was expected to lack lz4"
        # When the database is upgraded to head
        upgrade_head(url)
        methods = _compression(url)
    finally:
        services.get_engine_dispose(url)
        server.stop()
    # Then the upgrade went through, every column is on the server's default, and it says so
    assert methods[("articles", "body")] == "" and set(methods.values()) == {""}
    assert "built without lz4" in caplog.text
