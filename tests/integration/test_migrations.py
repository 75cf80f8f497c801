"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from migrations import upgrade_head
from models.db import get_engine
from models.tables import Base
from tests import services


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
