"""The connection: URLs, engines, migrations, and the two kinds of transaction.

Every problem with a database URL or server is one of the :class:`DatabaseProblem` errors,
raised before anything else starts, with a message that names what to do and no password.
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
from functools import cache
from importlib import resources
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from newswatch.errors import (
    BadDatabaseURL,
    DatabaseAccessDenied,
    DatabaseProblem,
    DatabaseUnreachable,
    MissingDatabaseDriver,
    NoSuchDatabase,
)
from newswatch.match.index import RecentIndex


def now() -> datetime:
    return datetime.now(UTC)


def mark(conn: Connection | Engine) -> str:
    """The driver's parameter marker, for plain SQL: SQLite's ``?``, psycopg's ``%s``."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def masked_url(url: str) -> str:
    """A database URL safe to print: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


SUPPORTED_BACKENDS = ("sqlite", "postgresql")
CONNECT_TIMEOUT_SECONDS = 3
"""How long to wait for a database server to accept a connection: an unreachable host is
a short, clear error instead of a long wait."""

_HOW_TO_NAME_ONE = (
    "give sqlite:///path/to/newswatch.db or postgresql+psycopg://user:password@host/database "
    "(--database-url or NEWSWATCH_DATABASE_URL)"
)


def connect(url: str, *, create: bool = True) -> Engine:
    """An engine on a database that answers, with its schema brought up to date.

    With ``create`` (ingest), a missing SQLite file or an empty database gets the schema;
    without it (the read commands), they are a :class:`NoSuchDatabase` error, so a
    mistyped path never leaves an empty database behind. Every failure is one of the
    :class:`DatabaseProblem` errors, whose message holds no password.
    """
    engine = _engine(url, create=create)
    try:
        with engine.connect() as conn:
            has_schema = _current_revision(conn) is not None
    except DBAPIError as exc:
        engine.dispose()
        raise _explain(exc, url) from None
    if not has_schema and not create:
        engine.dispose()
        raise NoSuchDatabase(
            f"{masked_url(url)} holds no newswatch tables: run `newswatch ingest` into it first, "
            "or check --database-url"
        )
    migrate(engine)
    return engine


def _engine(url: str, *, create: bool) -> Engine:
    """Validate the URL and make its engine, without connecting yet."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadDatabaseURL(
            f"{masked_url(url)!r} is not a database URL: {_HOW_TO_NAME_ONE}"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise BadDatabaseURL(
            f"newswatch does not run on {backend!r} databases ({masked_url(url)}): "
            f"{_HOW_TO_NAME_ONE}"
        )
    try:
        if backend == "sqlite":
            engine = _sqlite_engine(url, parsed.database, create=create)
        else:
            connect_args = (
                {}
                if "connect_timeout" in parsed.query
                else {"connect_timeout": CONNECT_TIMEOUT_SECONDS}
            )
            engine = create_engine(url, pool_pre_ping=True, connect_args=connect_args)
    except NoSuchModuleError:
        raise BadDatabaseURL(
            f"unknown driver {parsed.drivername!r} in {masked_url(url)}: "
            "use postgresql+psycopg:// for PostgreSQL, sqlite:/// for SQLite"
        ) from None
    except ImportError:
        driver = parsed.get_driver_name()
        advice = (
            'pip install -e ".[postgres]"'
            if driver == "psycopg"
            else f'use postgresql+psycopg:// (pip install -e ".[postgres]"), or install {driver}'
        )
        raise MissingDatabaseDriver(
            f"the {driver!r} driver for {backend} is not installed ({masked_url(url)}): {advice}"
        ) from None
    return engine


def _sqlite_engine(url: str, database: str | None, *, create: bool) -> Engine:
    in_memory = not database or database == ":memory:" or database.startswith("file::memory:")
    if not in_memory:
        assert database is not None
        path = Path(database).expanduser()
        if not create and not path.is_file():
            raise NoSuchDatabase(
                f"no database at {path} ({masked_url(url)}): check the path, "
                "or run `newswatch ingest` first"
            )
        if create:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnreachable(
                    f"cannot create the folder of the SQLite database {path} "
                    f"({exc.strerror}): choose another path"
                ) from None
    elif not create:
        raise NoSuchDatabase(
            f"{masked_url(url)} is an in-memory database, empty in every process: "
            "give the database you ingested into"
        )
    engine = create_engine(url, connect_args={"timeout": 60})
    event.listen(engine, "connect", _sqlite_pragmas if create else _sqlite_reader_pragmas)
    return engine


def _explain(exc: DBAPIError, url: str) -> DatabaseProblem:
    """A driver's connection error as the problem a user can act on (never with a password)."""
    where = masked_url(url)
    detail = str(exc.orig).strip()
    lowered = detail.lower()
    if "file is not a database" in lowered:
        return NoSuchDatabase(f"{where} is not a SQLite database file: give another path")
    if "unable to open database file" in lowered:
        return DatabaseUnreachable(
            f"cannot open the SQLite database {where}: check that the path is a file "
            "you may read and write"
        )
    if "password" in lowered or ("role" in lowered and "does not exist" in lowered):
        return DatabaseAccessDenied(
            f"the server refused the user or password of {where}: check them in "
            "--database-url or NEWSWATCH_DATABASE_URL"
        )
    if "database" in lowered and "does not exist" in lowered:
        return NoSuchDatabase(
            f"the database of {where} does not exist on that server: create it "
            "(createdb NAME) or fix its name"
        )
    reason = detail.splitlines()[0].split(" failed: ")[-1].removeprefix("FATAL:").strip()
    return DatabaseUnreachable(
        f"cannot reach the database server of {where} ({reason[:120]}): start it, or check "
        "the host and port"
    )


_ENGINES: dict[str, Engine] = {}
_RECENT: dict[str, RecentIndex] = {}


def shared_engine(url: str) -> Engine:
    """One engine per database per process, for the flow's tasks.

    A task that made its own engine started with an empty SQLite page cache (and checked
    the schema again): on a 100,000-article database that re-read the passage index from
    disk in every batch. Worker processes and Dask workers keep theirs for their lifetime.
    """
    engine = _ENGINES.get(url)
    if engine is None:
        engine = _ENGINES[url] = connect(url)
    return engine


def recent_index(engine: Engine) -> RecentIndex:
    """The process's index of the versions ``passages`` does not hold yet, for this
    database: kept from batch to batch beside the engine (see ``index.RecentIndex``)."""
    key = engine.url.render_as_string(hide_password=False)
    found = _RECENT.get(key)
    if found is None:
        found = _RECENT[key] = RecentIndex()
    return found


def dispose_engines() -> None:
    while _ENGINES:
        _ENGINES.popitem()[1].dispose()
    _RECENT.clear()


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # WAL lets readers (the CLI, a second ingest) proceed while a batch is written;
    # busy_timeout makes a second writer wait for the lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=60000")
    _set_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # 64 MB of page cache (the default is 2 MB): the passage index's random inserts and
    # look-ups stay in memory up to a few hundred thousand versions.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.close()


def _sqlite_reader_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # A reader leaves the journal mode as the writer set it: switching to WAL writes the
    # file, and a read command must not turn a stray file into a database.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=60000")
    cursor.execute("PRAGMA foreign_keys=ON")
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
    """Bring the schema to the latest migration (creating it in an empty database)."""
    with engine.connect() as connection:
        current = _current_revision(connection)
    if current is not None and current == head_revision():
        return  # the common case, answered without importing Alembic (0.25 s)
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
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(727001)")
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        if MigrationContext.configure(connection).get_current_revision() == head:
            return
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _current_revision(connection: Connection) -> str | None:
    """The schema's migration, or None for a database without newswatch's tables."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


@cache
def head_revision() -> str | None:
    """The newest migration, read from the migration files' ``revision`` lines.

    A shortcut around Alembic's own reading of them, which costs a quarter of a second on
    every run. Anything unusual (a branch, a line it cannot read) gives None, and
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
