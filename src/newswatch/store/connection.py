"""The connection: URLs, engines, migrations, and the two kinds of transaction.

A batch is matched in a *read* transaction (a consistent snapshot that takes no lock) and
written in a *write* transaction that holds the database's write lock from its first
statement (:func:`transaction`). Each batch is one write transaction, so a crash leaves the
database as it was before the batch and the next run ingests exactly what is missing.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url


def now() -> datetime:
    return datetime.now(UTC)


def masked_url(url: str) -> str:
    """A database URL safe to print: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


def connect(url: str) -> Engine:
    """An engine with the database's schema brought up to date (created on first use)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    migrate(engine)
    return engine


_ENGINES: dict[str, Engine] = {}


def shared_engine(url: str) -> Engine:
    """One engine per database per process, for the flow's tasks.

    A task that made its own engine started with an empty SQLite page cache (and checked
    the schema again): on a 100,000-article database that re-read the LSH index from disk
    in every batch.
    """
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = connect(url)
    return engine


def dispose_engines() -> None:
    while _ENGINES:
        _ENGINES.popitem()[1].dispose()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers (the CLI, a second ingest) proceed while a batch is written;
    # busy_timeout makes a second writer wait for the lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=60000")
    _set_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MB of page cache (the default is 2 MB): the LSH index's random inserts and
    # look-ups stay in memory up to a few hundred thousand versions.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _set_wal(cursor) -> None:  # type: ignore[no-untyped-def]
    """Switch a new database to WAL. The switch needs a lock SQLite does not wait for, so
    two processes opening a new database at once retry here (WAL then persists)."""
    deadline = time.monotonic() + 60
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def migrations_dir() -> Path:
    """``db/`` in a source checkout; the copy packed into the wheel otherwise."""
    packed = Path(str(resources.files("newswatch"))) / "_migrations"
    if packed.is_dir():
        return packed
    return Path(__file__).resolve().parents[3] / "db"


def migrate(engine: Engine) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.connect() as connection:
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Two processes starting on an empty database must not both create the schema.
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(727001)")
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


WRITE_LOCK = 727002
"""PostgreSQL advisory lock id that serialises ingest writes across processes."""


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """One write transaction that holds the database's write lock from its first statement.

    Matching reads the catalogue and then writes what it decided; two writers interleaving
    there could both create "new" articles for one story, which no unique key can catch
    (their texts differ). So writers take turns: SQLite's ``BEGIN IMMEDIATE`` and, on
    PostgreSQL, a transaction-scoped advisory lock. Readers (the CLI, reports) never wait.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            # Up front: a reader that later wants to write would otherwise deadlock with
            # another writer and fail instead of waiting.
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        elif conn.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
        yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """A read transaction: one consistent snapshot of the database, and no lock taken.

    SQLite (in WAL mode) and PostgreSQL both give a transaction the state as of its first
    read; writers go on meanwhile, and what they commit shows in the next transaction.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        elif conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try:
            yield conn
        finally:
            conn.rollback()
