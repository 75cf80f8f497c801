"""Alembic environment: online migrations only, against the URL the caller configured."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from models.db import normalize_url
from models.tables import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = normalize_url(context.config.get_main_option("sqlalchemy.url"))
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            # Two processes migrating at once (compose's migrate service and a developer)
            # must not interleave: serialize them on a fixed advisory lock.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7428150)")
            context.run_migrations()
    engine.dispose()


run_migrations_online()
