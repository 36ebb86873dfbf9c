"""From a database URL to an engine: the URL checked, its driver found, SQLite set up.

Every problem with a database URL or server is one of the :class:`DatabaseProblem` errors,
raised before anything else starts, with a message that names what to do and no password.
"""

from __future__ import annotations

import re
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
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


def make_engine(url: str, *, create: bool) -> Engine:
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


def explain(exc: DBAPIError, url: str) -> DatabaseProblem:
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


def reports_folder_for(database_url: str) -> Path:
    """The default reports folder of a database.

    A SQLite file's sits beside it (``news.db`` -> ``news-reports/``); a server database's
    is named after its host, port and name, in the working folder; an in-memory database's
    is in the temporary folder, since the database vanishes with its process.
    """
    try:
        url = make_url(database_url)
    except ArgumentError:
        return Path("newswatch-reports")
    database = url.database or ""
    if url.get_backend_name() == "sqlite":
        if database in ("", ":memory:") or database.startswith("file::memory:"):
            return Path(tempfile.gettempdir()) / "newswatch-memory-reports"
        path = Path(database.removeprefix("file:").split("?")[0]).expanduser()
        return path.with_name(f"{path.stem}-reports")
    parts = [url.get_backend_name(), url.host or "localhost", str(url.port or "default"), database]
    return Path("-".join(re.sub(r"[^A-Za-z0-9._]+", "_", part) for part in parts) + "-reports")
