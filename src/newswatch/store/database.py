"""One database: :class:`Store`, the object every step that reads or writes it holds.

A batch is matched in a *read* transaction (a consistent snapshot that takes no lock) and
written in a *write* transaction that holds the database's write lock from its first
statement (:meth:`Store.writing`). Each batch is one write transaction, so a crash leaves the
database as it was before the batch and the next run ingests exactly what is missing.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Collection, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from newswatch.errors import NoSuchDatabase
from newswatch.match.furniture import LineCounts
from newswatch.match.index import RecentIndex
from newswatch.models import (
    OUTCOME_OF,
    PART_MARK,
    Edit,
    KnownFile,
    Outcome,
    RunStatus,
    Sighting,
    listing_key,
)
from newswatch.read.urls import article_url
from newswatch.store.engine import explain, make_engine, masked_url
from newswatch.store.migrations import current_revision, migrate
from newswatch.store.rows import KNOWN_FILES_SQL, ArticleRow, VersionRow, known_file
from newswatch.store.schema import articles, files, passages, runs, sightings, versions
from newswatch.store.sql import WRITE_LOCK, mark
from newswatch.store.transaction import Reading, Writing
from newswatch.times import utc_now

HOST = socket.gethostname()
"""This machine, as a run records where it lives."""


@dataclass(frozen=True)
class CrashedRun:
    """A run found dead: what is known of it."""

    run_id: int
    flow_run_id: str | None
    host: str | None
    pid: int | None
    last_seen: datetime


def _process_alive(pid: int) -> bool:
    """Whether a process of this host lives (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: alive
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc here: trust the signal
    return state != "Z"


class Store:
    """A database newswatch can use: its engine, schema brought up to date, and what this
    process keeps beside it (the index of the versions ``passages`` does not hold yet, and
    the line counts ``line_counts`` does not).

    Open one per process and keep it: a new engine per batch started SQLite's page cache
    empty every time (on a 100,000-article database, the passage index re-read from disk).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.recent = RecentIndex()
        """The versions after the last merge into ``passages`` (see ``match.index``)."""
        self.lines = LineCounts()
        """How many articles of their outlet print each line (see ``match.furniture``)."""

    @classmethod
    def open(cls, url: str, *, create: bool = True) -> Store:
        """A database that answers, with its schema brought up to date.

        With ``create`` (ingest), a missing SQLite file or an empty database gets the schema;
        without it (the read commands), they are a :class:`NoSuchDatabase` error, so a
        mistyped path never leaves an empty database behind. Every failure is one of the
        ``DatabaseProblem`` errors, whose message holds no password.
        """
        engine = make_engine(url, create=create)
        try:
            with engine.connect() as conn:
                has_schema = current_revision(conn) is not None
        except DBAPIError as exc:
            engine.dispose()
            raise explain(exc, url) from None
        if not has_schema and not create:
            engine.dispose()
            raise NoSuchDatabase(
                f"{masked_url(url)} holds no newswatch tables: run `newswatch ingest` into it "
                "first, or check --database-url"
            )
        migrate(engine)
        return cls(engine)

    @property
    def display_url(self) -> str:
        """The database's URL with any password masked."""
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()
        self.recent = RecentIndex()
        self.lines = LineCounts()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- transactions -----------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[Writing]:
        """One write transaction that holds the database's write lock from its first statement.

        Matching reads the catalogue and then writes what it decided; two writers
        interleaving there could both create "new" articles for one story, which no unique
        key can catch (their texts differ). So writers take turns: SQLite's ``BEGIN
        IMMEDIATE`` and, on PostgreSQL, a transaction-scoped advisory lock. Readers (the
        CLI, reports) never wait.
        """
        with self.engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                # Up front: a reader that later wants to write would otherwise deadlock with
                # another writer and fail instead of waiting.
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            elif conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")
            yield Writing(conn, self.recent, self.lines)

    def save_edits(self, edits: Collection[Edit]) -> None:
        """What each edit changed, in a write transaction of its own (none for no edits):
        later runs' figures and pictures need not diff it again."""
        if edits:
            with self.writing() as tx:
                tx.save_edits(edits)

    @contextmanager
    def reading(self) -> Iterator[Reading]:
        """A read transaction: one consistent snapshot of the database, and no lock taken.

        SQLite (in WAL mode) and PostgreSQL both give a transaction the state as of its
        first read; writers go on meanwhile, and what they commit shows in the next one.
        """
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN")
            elif conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            try:
                yield Reading(conn, self.recent, self.lines)
            finally:
                conn.rollback()

    # --- runs -------------------------------------------------------------------------------

    def start_run(self, watch_dir: str, flow_run_id: str | None = None) -> int:
        now = utc_now()
        with self.engine.begin() as conn:
            return int(
                conn.execute(
                    insert(runs)
                    .values(
                        started_at=now,
                        watch_dir=watch_dir,
                        status=RunStatus.RUNNING.value,
                        flow_run_id=flow_run_id,
                        host=HOST,
                        pid=os.getpid(),
                        heartbeat_at=now,
                    )
                    .returning(runs.c.id)
                ).scalar_one()
            )

    def beat(self, run_id: int) -> None:
        """The run is alive: renew its lease."""
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(heartbeat_at=utc_now()))

    def mark_crashed_runs(self, lease_seconds: float) -> list[CrashedRun]:
        """Mark ``crashed`` every run still ``running`` that cannot be alive: its heartbeat
        is older than ``lease_seconds``, or it ran on this host in a process that is gone.
        A run on another machine proves it lives by its heartbeat alone."""
        now = utc_now()
        stale = now - timedelta(seconds=lease_seconds)
        crashed = []
        with self.engine.begin() as conn:
            for row in conn.execute(
                select(
                    runs.c.id,
                    runs.c.flow_run_id,
                    runs.c.started_at,
                    runs.c.host,
                    runs.c.pid,
                    runs.c.heartbeat_at,
                ).where(runs.c.status == RunStatus.RUNNING.value)
            ):
                beat = row.heartbeat_at or row.started_at
                gone = row.host == HOST and row.pid is not None and not _process_alive(row.pid)
                if beat < stale or gone:
                    crashed.append(CrashedRun(row.id, row.flow_run_id, row.host, row.pid, beat))
            for run in crashed:
                conn.execute(
                    update(runs)
                    .where(runs.c.id == run.run_id, runs.c.status == RunStatus.RUNNING.value)
                    .values(status=RunStatus.CRASHED.value, crash_found_at=now)
                )
        return crashed

    def finish_run(
        self, run_id: int, counts: dict[str, int], status: RunStatus = RunStatus.COMPLETED
    ) -> None:
        values = {k: v for k, v in counts.items() if k in set(Outcome)}
        with self.engine.begin() as conn:
            conn.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(
                    finished_at=utc_now(),
                    status=status.value,
                    files_seen=sum(values.values()),
                    **values,
                )
            )

    def mark_published(self, run_id: int) -> None:
        """The run's artifacts and events reached the Prefect server."""
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(published_at=utc_now()))

    def unpublished_runs(self, before: int) -> list[int]:
        """The flow runs since the last one that published whose artifacts never reached
        the Prefect server (it went away during them); their report files hold everything.
        Runs without Prefect (tests, benchmarks) have no flow run and publish nothing."""
        last_published = (
            select(func.coalesce(func.max(runs.c.id), 0))
            .where(runs.c.published_at.is_not(None), runs.c.id < before)
            .scalar_subquery()
        )
        with self.engine.connect() as conn:
            return [
                int(row[0])
                for row in conn.execute(
                    select(runs.c.id)
                    .where(
                        runs.c.id < before,
                        runs.c.id > last_published,
                        runs.c.flow_run_id.is_not(None),
                        runs.c.status == RunStatus.COMPLETED.value,
                        runs.c.published_at.is_(None),
                    )
                    .order_by(runs.c.id)
                )
            ]

    def latest_runs(self, limit: int = 10) -> list:
        with self.engine.connect() as conn:
            return list(conn.execute(select(runs).order_by(runs.c.id.desc()).limit(limit)))

    # --- files already seen -----------------------------------------------------------------

    def known_files(self, prefix: str) -> dict[str, KnownFile]:
        """Every recorded file under a folder, in one indexed query (the unchanged-file skip).

        Plain SQL and plain tuples: this is the whole cost of re-running over a folder where
        nothing changed, 100,000 rows of it for a large folder.
        """
        marker = mark(self.engine)
        with self.engine.connect() as conn:
            # The driver's cursor directly: SQLAlchemy's row objects cost a fifth of the query.
            cursor = conn.exec_driver_sql(
                KNOWN_FILES_SQL + f"f.path >= {marker} AND f.path < {marker}",
                (prefix, prefix + "\U0010ffff"),
            ).cursor
            assert cursor is not None
            return {row[0]: known_file(row) for row in cursor.fetchall()}

    def known_files_in_order(self, prefix: str, chunk: int = 20_000) -> Generator[KnownFile]:
        """Every recorded file under a folder in the order of its path's characters (as
        Python orders strings), ``chunk`` rows in memory at a time: a re-run over a million
        files merges these with the folder's listing instead of holding both."""
        marker = mark(self.engine)
        postgres = self.engine.dialect.name == "postgresql"
        # Code point order on both: SQLite compares UTF-8 bytes; PostgreSQL by its
        # collation unless told "C".
        order = ' COLLATE "C"' if postgres else ""
        sql = KNOWN_FILES_SQL + f"f.path >= {marker} AND f.path < {marker} ORDER BY f.path{order}"
        with self.engine.connect() as conn:
            # Through the result, not its driver cursor: a streamed result has read ahead.
            streamed = conn.execution_options(stream_results=True, yield_per=chunk)
            result = streamed.exec_driver_sql(sql, (prefix, prefix + "\U0010ffff"))
            for rows in result.partitions():
                yield from map(known_file, rows)

    # --- articles and their history ---------------------------------------------------------

    def resolve_article(self, reference: str) -> int | None:
        """An article id from an id, from its URL, or from the path of a file that holds it."""
        with self.engine.connect() as conn:
            if reference.isdigit():
                found = conn.execute(select(articles.c.id).where(articles.c.id == int(reference)))
                return found.scalar_one_or_none()
            if "://" in reference:
                found = conn.execute(
                    select(versions.c.article_id)
                    .where(versions.c.url == article_url(reference))
                    .order_by(versions.c.id.desc())
                    .limit(1)
                )
                return found.scalar_one_or_none()
            path = str(Path(reference).resolve())
            found = conn.execute(select(files.c.article_id).where(files.c.path == path))
            return found.scalar_one_or_none()

    def parts_of(self, reference: str) -> list[tuple[str, int | None]]:
        """The parts recorded of a file that holds several articles (a WARC's records, a
        JSON Lines file's lines): each part's path and its article (None where the part was
        refused), in the file's order."""
        path = str(Path(reference).resolve())
        after = chr(ord(PART_MARK) + 1)  # the paths that begin with ``path#``, by the key
        with self.engine.connect() as conn:
            found = conn.execute(
                select(files.c.path, files.c.article_id).where(
                    files.c.path > path + PART_MARK, files.c.path < path + after
                )
            )
            parts = [(row[0], row[1]) for row in found]
        return sorted(parts, key=lambda part: listing_key(part[0]))

    def latest_url(self, article_id: int) -> str | None:
        """The URL of the article's latest version that gives one, as its text wrote it."""
        with self.engine.connect() as conn:
            found = conn.execute(
                select(versions.c.source_url)
                .where(versions.c.article_id == article_id, versions.c.url.is_not(None))
                .order_by(versions.c.number.desc())
                .limit(1)
            )
            return found.scalar_one_or_none()

    def article(self, article_id: int) -> ArticleRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        return ArticleRow(*row) if row is not None else None

    def article_versions(self, article_id: int) -> list[VersionRow]:
        with self.engine.connect() as conn:
            return [
                VersionRow(*row)
                for row in conn.execute(
                    select(versions)
                    .where(versions.c.article_id == article_id)
                    .order_by(versions.c.number)
                )
            ]

    def sightings_by_version(self, article_id: int) -> dict[int, list[Sighting]]:
        """Every reading of a file that showed the article, oldest first, by the number of
        the version it showed."""
        found: dict[int, list[Sighting]] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(
                select(sightings, versions.c.number)
                .join(versions, versions.c.id == sightings.c.version_id)
                .where(sightings.c.article_id == article_id)
                .order_by(sightings.c.id)
            ):
                found.setdefault(row.number, []).append(
                    Sighting(
                        path=row.path,
                        outcome=OUTCOME_OF[row.outcome],
                        run_id=row.run_id,
                        seen_at=row.seen_at,
                        reverted=row.reverted,
                        reason=row.reason,
                    )
                )
        return found

    def count_rows(self, table_name: str) -> int:
        table = {t.name: t for t in (articles, versions, files, sightings, runs, passages)}[
            table_name
        ]
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(table)).scalar_one())
