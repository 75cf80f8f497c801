"""Only the reader role may search: a login role without it cannot call newsflow_search."""

from __future__ import annotations

import secrets

import psycopg
import pytest

from workers import scratch as services

SEARCHES = ("SELECT count(*) FROM newsflow_search('政协')",
            "SELECT count(*) FROM newsflow_search(plainto_tsquery('simple', '政协'))")


@pytest.fixture
def login_roles(stack, postgres_admin):
    """Two login roles of the cluster, one granted newsflow_reader: (with, without)."""
    names = [f"newsflow_test_{secrets.token_hex(4)}_{kind}" for kind in ("reader", "other")]
    with psycopg.connect(postgres_admin, autocommit=True) as admin:
        for name in names:
            admin.execute(f"CREATE ROLE {name} LOGIN")
        admin.execute(f"GRANT newsflow_reader TO {names[0]}")
    try:
        yield names
    finally:
        services.get_engine_dispose(stack.database_url)
        with psycopg.connect(postgres_admin, autocommit=True) as admin:
            for name in names:
                admin.execute(f"DROP ROLE IF EXISTS {name}")


def _as(stack, role: str) -> psycopg.Connection:
    info = psycopg.conninfo.conninfo_to_dict(stack.database_url.replace("+psycopg", ""))
    return psycopg.connect(**(info | {"user": role}))


def test_a_login_role_needs_newsflow_reader_to_search(stack, login_roles):
    reader, other = login_roles
    # Given a role granted newsflow_reader, when it searches both ways, it may
    with _as(stack, reader) as conn:
        for query in SEARCHES:
            assert conn.execute(query).fetchone() == (0,)
    # And given a login role without it (PUBLIC's rights only), it may not
    with _as(stack, other) as conn:
        for query in SEARCHES:
            with pytest.raises(psycopg.errors.InsufficientPrivilege,
                               match="permission denied for function newsflow_search"):
                conn.execute(query)
            conn.rollback()


def test_searches_run_as_their_owner_with_a_search_path_that_no_session_can_shadow(stack):
    rows = stack.sql("""
        SELECT p.oid::regprocedure::text AS name, p.prosecdef, p.proconfig,
               has_function_privilege('public', p.oid, 'EXECUTE') AS public_may,
               has_function_privilege('newsflow_reader', p.oid, 'EXECUTE') AS reader_may
        FROM pg_proc p WHERE p.proname = 'newsflow_search'""")
    assert len(rows) == 2
    for row in rows:
        assert row.prosecdef and not row.public_may and row.reader_may, row.name
        path = next(c for c in row.proconfig if c.startswith("search_path="))
        assert path.endswith("pg_temp"), path  # temporary objects are looked up last
