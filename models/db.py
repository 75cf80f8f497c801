"""Engine and session factory: created lazily, once per process, never at import time.

Celery's prefork pool forks worker children after importing the tasks; an engine made
before the fork would share its sockets between processes. Keying the cache on the pid
gives every child its own pool the first time it touches the database.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import psycopg
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker


def json_rows(rows: list[dict]) -> str:
    """Rows for ``jsonb_to_recordset`` / ``jsonb_populate_recordset``: one JSON document per
    statement, because psycopg adapts a list parameter element by element in Python (and
    escapes every quote of a text array); Chinese text as UTF-8, not \\uXXXX escapes: half
    the bytes to send and parse."""
    return json.dumps(rows, ensure_ascii=False)


def normalize_url(url: str) -> str:
    """Accept plain ``postgresql://`` URLs (psql's form) and use the psycopg 3 driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@cache
def _engine(url: str, pid: int) -> Engine:
    # No server-side prepared statements: PostgreSQL may settle on a generic plan while a
    # table is small (a worker started on an empty database) and keep it as the table grows.
    # The LSH band lookup then becomes a sequential scan as the archive grows
    # (benchmarks/dedup_scale.py shows it). Planning each statement costs far less.
    return create_engine(normalize_url(url), pool_pre_ping=True, pool_size=2, max_overflow=2,
                         connect_args={"prepare_threshold": None})


def get_engine(url: str) -> Engine:
    return _engine(url, os.getpid())


@cache
def _factory(url: str, pid: int) -> sessionmaker[Session]:
    return sessionmaker(get_engine(url), expire_on_commit=False)


@contextmanager
def transaction(url: str) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back if it raises."""
    with _factory(url, os.getpid()).begin() as session:
        yield session


@contextmanager
def shared_connection(url: str) -> Iterator[Session]:
    """A session on one pooled connection for several units of work in a row (a batch of
    files): each unit is ``with session.begin():``, its own transaction. The connection is
    checked out, and pinged, once per batch instead of once per unit."""
    with get_engine(url).connect() as connection:
        session = Session(bind=connection, expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()


@contextmanager
def driver_cursor(session: Session, **options) -> Iterator[psycopg.Cursor]:
    """A psycopg cursor (``options``: psycopg's, e.g. ``binary=True``) on the session's
    connection and in its transaction, for what SQLAlchemy cannot ask of psycopg.

    Its errors come out as SQLAlchemy's (``sqlalchemy.exc.OperationalError`` for a lost
    server, …), and a lost connection is invalidated as SQLAlchemy would, so the callers'
    handling of transient database errors and the pool see them as for any statement.
    """
    connection = session.connection()
    dbapi_connection = connection.connection.dbapi_connection
    try:
        with dbapi_connection.cursor(**options) as cursor:
            yield cursor
    except psycopg.Error as error:
        lost = connection.dialect.is_disconnect(error, dbapi_connection, None)
        if lost:
            connection.invalidate(error)
        raise DBAPIError.instance(None, None, error, psycopg.Error,
                                  connection_invalidated=lost, dialect=connection.dialect) from error
