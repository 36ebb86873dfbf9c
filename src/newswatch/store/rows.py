"""Typed rows, one class per table the ingest and the report write, and the one way they
are inserted.

Each class lists its table's columns in order (``tests/test_migrations.py`` checks them
against ``schema``), so a row is built once, positionally, and goes to the driver as the tuple it
is: SQLAlchemy's per-row parameter handling cost more than SQLite's inserting (40 µs an
article over five tables). PostgreSQL takes the rows through ``COPY``, its bulk path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Table

from newswatch.models import OUTCOME_OF, Edit, KnownFile, Outcome, VersionCounts
from newswatch.store.schema import articles, files, sightings, versions
from newswatch.store.sql import mark


class ArticleRow(NamedTuple):
    id: int
    key: str
    outlet: str | None
    headline: str
    current_version: int
    version_count: int
    near_duplicate_of: int | None
    near_duplicate_similarity: float | None
    first_seen_at: datetime
    updated_at: datetime
    outlet_key: str | None


class VersionRow(NamedTuple):
    id: int
    article_id: int
    number: int
    content_hash: str
    headline: str
    outlet: str | None
    published: date | None
    dateline: str | None
    body: str
    source_url: str | None
    encoding: str
    passage_keys: bytes
    similarity_to_previous: float | None
    run_id: int
    first_seen_at: datetime
    line_keys: bytes
    url: str | None
    published_at: datetime | None
    outlet_key: str | None


class FileRow(NamedTuple):
    path: str
    size: int
    mtime_ns: int
    raw_hash: str | None
    outcome: Outcome
    article_id: int | None
    version_id: int | None
    reason_code: str | None
    reason: str | None
    first_seen_at: datetime
    updated_at: datetime
    run_id: int


class SightingRow(NamedTuple):
    run_id: int
    path: str
    size: int
    mtime_ns: int
    raw_hash: str | None
    seen_at: datetime
    outcome: Outcome
    article_id: int | None
    version_id: int | None
    matched_article_id: int | None
    similarity: float | None
    reverted: bool
    reason_code: str | None
    reason: str | None


EDIT_COLUMNS = (
    "article_id",
    "version",
    "numbers_changed",
    "quotes_changed",
    "headline_changed",
    "sentences_added",
    "sentences_deleted",
    "sentences_updated",
    "sentences_moved",
)
"""The ``edits`` table's columns: an :class:`~newswatch.models.Edit` flattened."""


def edit_values(edit: Edit) -> tuple[Any, ...]:
    """An edit as a row of ``edits``, in :data:`EDIT_COLUMNS` order."""
    counts = edit.counts
    return (
        edit.article_id,
        edit.version,
        counts.numbers,
        counts.quotes,
        counts.headline,
        counts.sentences_added,
        counts.sentences_deleted,
        counts.sentences_updated,
        counts.sentences_moved,
    )


def stored_edit(row: Any) -> Edit:
    """A row of ``edits`` as the :class:`~newswatch.models.Edit` it stores."""
    counts = VersionCounts.model_construct(
        numbers=row.numbers_changed,
        quotes=row.quotes_changed,
        headline=bool(row.headline_changed),
        sentences_added=row.sentences_added,
        sentences_deleted=row.sentences_deleted,
        sentences_updated=row.sentences_updated,
        sentences_moved=row.sentences_moved,
    )
    return Edit(row.article_id, row.version, counts)


KNOWN_FILES_SQL = (
    "SELECT f.path, f.size, f.mtime_ns, f.raw_hash, f.article_id, f.version_id, f.outcome,"
    " v.number, f.reason_code, f.reason FROM files f"
    " LEFT OUTER JOIN versions v ON v.id = f.version_id WHERE "
)
"""The files' recorded states, in :class:`~newswatch.models.KnownFile`'s field order (the
caller adds its condition): one query for every reader of them."""


def known_file(row: tuple[Any, ...]) -> KnownFile:
    path, size, mtime_ns, raw_hash, article_id, version_id, outcome, *rest = row
    return KnownFile(
        path, size, mtime_ns, raw_hash, article_id, version_id, OUTCOME_OF[outcome], *rest
    )


TABLE_OF: dict[type, Table] = {
    ArticleRow: articles,
    VersionRow: versions,
    FileRow: files,
    SightingRow: sightings,
}


def insert(conn: Connection, rows: Sequence[NamedTuple], *, upsert_key: str | None = None) -> None:
    """Insert rows of one class; with ``upsert_key``, a row whose key exists replaces it
    (all columns but the key and ``first_seen_at``)."""
    if not rows:
        return
    table = TABLE_OF[type(rows[0])]
    columns = list(rows[0]._fields)
    update = ""
    if upsert_key is not None:
        kept = (upsert_key, "first_seen_at")
        update = f" ON CONFLICT ({upsert_key}) DO UPDATE SET " + ", ".join(
            f"{c} = excluded.{c}" for c in columns if c not in kept
        )
    if conn.dialect.name == "postgresql":
        if not update:
            copy(conn, table.name, columns, rows)
            return
        # COPY cannot upsert: the rows go to a temporary table by COPY, then across.
        staging = f"_new_{table.name}"
        conn.exec_driver_sql(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {staging} "
            f"(LIKE {table.name} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
        )
        copy(conn, staging, columns, rows)
        listed = ", ".join(columns)
        conn.exec_driver_sql(
            f"INSERT INTO {table.name} ({listed}) SELECT {listed} FROM {staging}{update}"
        )
        return
    values = _converted(conn, table, columns, rows)
    conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([mark(conn)] * len(columns))}){update}",
        values,
    )


def _converted(
    conn: Connection, table: Table, columns: list[str], rows: Sequence[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Values as the driver wants them, converted by each column's own SQLAlchemy bind
    processor (SQLite stores timestamps as text). A batch's rows share their timestamps:
    each distinct value is converted once."""
    convert: list[tuple[int, Any, dict[Any, Any]]] = [
        (index, process, {})
        for index, column in enumerate(columns)
        if (process := table.c[column].type._cached_bind_processor(conn.dialect)) is not None
    ]
    if not convert:
        return [tuple(row) for row in rows]
    converted = []
    for row in rows:
        values = list(row)
        for index, process, seen in convert:
            value = values[index]
            if value is not None:
                if value not in seen:
                    seen[value] = process(value)
                values[index] = seen[value]
        converted.append(tuple(values))
    return converted


def copy(conn: Connection, table: str, columns: list[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY, inside the connection's transaction: several times faster than
    inserts for a batch of thousands of rows (an insert is a round trip to the server)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as stream,
    ):
        for row in rows:
            stream.write_row(row)
