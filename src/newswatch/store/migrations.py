"""The schema's migrations (Alembic, in ``db/``): bringing a database to the newest one.

Alembic is imported only when a database is behind: reading the newest revision from the
migration files' own lines answers the common case, a database already up to date.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect

from newswatch.store.sql import SCHEMA_LOCK


def migrations_dir() -> Path:
    """``db/`` in a source checkout; the copy packed into the wheel otherwise."""
    packed = Path(str(resources.files("newswatch"))) / "_migrations"
    if packed.is_dir():
        return packed
    return Path(__file__).resolve().parents[3] / "db"


def migrate(engine: Engine) -> None:
    """Bring the schema to the latest migration (creating it in an empty database)."""
    with engine.connect() as connection:
        current = current_revision(connection)
    if current is not None and current == head_revision():
        return  # the common case, answered without importing Alembic (slow to import)
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two processes starting on an empty database must not both create the schema.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(connection: Connection) -> str | None:
    """The schema's migration, or None for a database without newswatch's tables."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


@cache
def head_revision() -> str | None:
    """The newest migration, read from the migration files' ``revision`` lines.

    A shortcut around Alembic's own reading of them, which every run would otherwise pay
    for (docs/performance.md). Anything unusual (a branch, a line it cannot read) gives None, and
    :func:`migrate` then asks Alembic.
    """
    revisions: dict[str, str | None] = {}
    for script in sorted((migrations_dir() / "versions").glob("*.py")):
        found = {bool(m.group(1)): m.group(2) for m in _REVISION.finditer(script.read_text())}
        if False not in found or True not in found or found[False] is None:
            return None
        revisions[found[False]] = found[True]
    heads = set(revisions) - set(revisions.values())
    return heads.pop() if len(heads) == 1 else None
