"""The Alembic migrations in db/ build exactly the schema that schema.py describes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from newswatch import store
from newswatch.schema import metadata


def test_migrations_create_the_schema_the_code_expects(database_url: str) -> None:
    engine = store.connect(database_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert differences == []
    assert {"runs", "articles", "versions", "files", "sightings", "lsh_buckets"} <= tables


def test_connecting_twice_does_not_migrate_again(database_url: str) -> None:
    store.connect(database_url).dispose()
    engine = store.connect(database_url)
    with engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None
    engine.dispose()
