"""The database: connection, migrations, runs, file state and the history queries.

Writing a batch of articles is ``batch.py``'s job, inside :func:`transaction`: one
transaction per batch, so a crash leaves the database as it was before the batch and the
next run ingests exactly what is missing.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
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
from newswatch.schema import OUTCOMES, articles, files, lsh_buckets, runs, sightings, versions


def now() -> datetime:
    return datetime.now(UTC)


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
    return Path(__file__).resolve().parents[2] / "db"


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


# --- runs -------------------------------------------------------------------------------


def start_run(engine: Engine, watch_dir: str, flow_run_id: str | None = None) -> int:
    with engine.begin() as conn:
        return int(
            conn.execute(
                insert(runs)
                .values(
                    started_at=now(), watch_dir=watch_dir, status="running", flow_run_id=flow_run_id
                )
                .returning(runs.c.id)
            ).scalar_one()
        )


def finish_run(
    engine: Engine, run_id: int, counts: dict[str, int], status: str = "completed"
) -> None:
    values = {k: v for k, v in counts.items() if k in OUTCOMES}
    with engine.begin() as conn:
        conn.execute(
            update(runs)
            .where(runs.c.id == run_id)
            .values(
                finished_at=now(),
                status=status,
                files_seen=sum(values.values()),
                **values,
            )
        )


# --- files already seen ---------------------------------------------------------------------


class KnownFile(NamedTuple):
    """A file's recorded state; a tuple, so 100,000 of them are built at C speed."""

    path: str
    size: int
    mtime_ns: int
    raw_hash: str | None
    article_id: int | None
    version_id: int | None
    outcome: str
    version_number: int | None
    reason_code: str | None
    reason: str | None


def _known_query():  # type: ignore[no-untyped-def]
    return select(
        files.c.path,
        files.c.size,
        files.c.mtime_ns,
        files.c.raw_hash,
        files.c.article_id,
        files.c.version_id,
        files.c.outcome,
        versions.c.number,
        files.c.reason_code,
        files.c.reason,
    ).outerjoin(versions, versions.c.id == files.c.version_id)


def _known(rows) -> dict[str, KnownFile]:  # type: ignore[no-untyped-def]
    return {row[0]: KnownFile._make(row) for row in rows}


def known_files(engine: Engine, prefix: str) -> dict[str, KnownFile]:
    """Every recorded file under a folder, in one indexed query (the unchanged-file skip).

    Plain SQL and plain tuples: this is the whole cost of re-running over a folder where
    nothing changed, 100,000 rows of it for a large folder.
    """
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    sql = (
        "SELECT f.path, f.size, f.mtime_ns, f.raw_hash, f.article_id, f.version_id, f.outcome,"
        " v.number, f.reason_code, f.reason FROM files f"
        " LEFT OUTER JOIN versions v ON v.id = f.version_id"
        f" WHERE f.path >= {mark} AND f.path < {mark}"
    )
    with engine.connect() as conn:
        # The driver's cursor directly: SQLAlchemy's row objects cost a fifth of the query.
        cursor = conn.exec_driver_sql(sql, (prefix, prefix + "\U0010ffff")).cursor
        assert cursor is not None
        return _known(cursor.fetchall())


def files_state(conn: Connection, paths: list[str]) -> dict[str, KnownFile]:
    """The recorded state of these paths, read inside the writing transaction.

    Another process (a second ingest, an overlapping scheduled run) may have stored a file
    since this run planned; reading its state under the write lock is what stops the same
    file from being ingested twice.
    """
    found: dict[str, KnownFile] = {}
    for start in range(0, len(paths), 500):
        chunk = paths[start : start + 500]
        found.update(_known(conn.execute(_known_query().where(files.c.path.in_(chunk)))))
    return found


# --- writing one batch ---------------------------------------------------------------------


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


def article_key(outlet: str | None, content_hash: str) -> str:
    return hashlib.blake2b(f"{outlet or ''}\x00{content_hash}".encode(), digest_size=16).hexdigest()


# --- reading history -------------------------------------------------------------------------


def article_row(engine: Engine, article_id: int):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(articles).where(articles.c.id == article_id)).first()


def article_versions(engine: Engine, article_id: int) -> list:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(versions)
                .where(versions.c.article_id == article_id)
                .order_by(versions.c.number)
            )
        )


def article_sightings(engine: Engine, article_id: int) -> list:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(sightings, versions.c.number)
                .outerjoin(versions, versions.c.id == sightings.c.version_id)
                .where(sightings.c.article_id == article_id)
                .order_by(sightings.c.id)
            )
        )


def resolve_article(engine: Engine, reference: str) -> int | None:
    """An article id from an id, or from the path of a file that holds it."""
    with engine.connect() as conn:
        if reference.isdigit():
            found = conn.execute(select(articles.c.id).where(articles.c.id == int(reference)))
            return found.scalar_one_or_none()
        path = str(Path(reference).resolve())
        found = conn.execute(select(files.c.article_id).where(files.c.path == path))
        return found.scalar_one_or_none()


def count_rows(engine: Engine, table_name: str) -> int:
    table = {t.name: t for t in (articles, versions, files, sightings, runs, lsh_buckets)}[
        table_name
    ]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def latest_runs(engine: Engine, limit: int = 10) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(runs).order_by(runs.c.id.desc()).limit(limit)))
