"""Writing one batch, under the write lock: the only place ingest rows reach the database.

A :class:`BatchWrite` is filled *before* the lock is taken, from the batch's decisions, with
placeholder ids (negative numbers) for the articles and versions it creates. Under the
lock, :meth:`BatchWrites.write` turns them into real ids (the next free ones: no other writer can take
any meanwhile) and inserts every table with one statement, so the lock is held for the
inserts and little else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple, overload

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError

from newswatch.models import Edit
from newswatch.read.scan import FileStat
from newswatch.store.passages import SqlIndex
from newswatch.store.rows import (
    EDIT_COLUMNS,
    ArticleRow,
    FileRow,
    SightingRow,
    VersionRow,
    edit_values,
    insert,
)
from newswatch.store.schema import articles
from newswatch.store.sql import mark, markers


def article_key(outlet_key: str | None, content_hash: str, url: str | None = None) -> str:
    """An article's identity: its URL when it has one, else its outlet (``read.text.
    outlet_key``) and the content of its first version. Two writers that create the same
    article agree on it, and the second's insert fails (and, retrying, finds the first's).
    Articles stored before outlets had a key keep the identity they had, made from the
    outlet as written: nothing reads it back but the unique index."""
    named = f"url\x00{url}" if url else f"{outlet_key or ''}\x00{content_hash}"
    return hashlib.blake2b(named.encode(), digest_size=16).hexdigest()


class ArticleUpdate(NamedTuple):
    """A stored article's pointers after a batch: its current version and how many."""

    current_version: int
    version_count: int
    headline: str


@dataclass
class BatchWrite:
    run_id: int
    at: datetime
    sequence: int | None = None
    """The batch's place in its run: batches are written in this order (see ``write``)."""
    articles: list[ArticleRow] = field(default_factory=list)
    versions: list[VersionRow] = field(default_factory=list)
    article_updates: dict[int, ArticleUpdate] = field(default_factory=dict)
    """Stored article id -> its new pointers."""
    outlet_names: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    """Stored article id -> the outlet name (and key) it takes: an article first read from a
    text that named its site only by its host, joined by one that names it."""
    sightings: list[SightingRow] = field(default_factory=list)
    files: dict[str, FileRow] = field(default_factory=dict)
    touched: list[FileStat] = field(default_factory=list)
    """Files with the same bytes and a new stat: only the stat is recorded."""


class OutOfTurn(Exception):
    """A batch came to write before the batches of its run that precede it."""


RETRYABLE = (IntegrityError, OperationalError, OutOfTurn)
"""What a batch's write may meet from a concurrent writer, and tries again after: the same
article created by another writer (a unique key), a lock or serialisation failure, or its
turn not come yet."""


@overload
def real_id(ids: Mapping[int, int], value: int) -> int: ...
@overload
def real_id(ids: Mapping[int, int], value: int | None) -> int | None: ...
def real_id(ids: Mapping[int, int], value: int | None) -> int | None:
    """A placeholder (a negative id) -> the real id the writer gave it; an id already real,
    or None, as it is. The one resolver of placeholders: the writer's rows and the
    results a batch reports both go through it."""
    return ids[value] if value is not None and value < 0 else value


class BatchWrites:
    """Writing a batch: a method of a write transaction (``store.transaction``)."""

    conn: Connection

    def write(self, batch: BatchWrite) -> dict[int, int]:
        """Insert the batch; returns placeholder id -> real id for what it created.

        A batch with a ``sequence`` is written only as the next of its run (else
        :class:`OutOfTurn`): a run's batches are matched in parallel but written in order,
        so that of two files with one text the first in the folder is the new one, and an
        edit's versions are numbered in the order of the files.
        """
        conn = self.conn
        marker = mark(conn)
        if batch.sequence is not None:
            done = conn.exec_driver_sql(
                f"UPDATE runs SET batches_written = batches_written + 1 "
                f"WHERE id = {marker} AND batches_written = {marker}",
                (batch.run_id, batch.sequence),
            )
            if done.rowcount != 1:
                raise OutOfTurn(f"batch {batch.sequence} of run {batch.run_id} came out of turn")
        ids: dict[int, int] = {}
        if batch.articles:
            first = _next_id(conn, "articles")
            ids.update((row.id, first + n) for n, row in enumerate(batch.articles))
        if batch.versions:
            first = _next_id(conn, "versions")
            ids.update((row.id, first + n) for n, row in enumerate(batch.versions))
        insert(
            conn,
            [
                row._replace(id=ids[row.id], near_duplicate_of=real_id(ids, row.near_duplicate_of))
                for row in batch.articles
            ],
        )
        insert(
            conn,
            [
                row._replace(id=ids[row.id], article_id=real_id(ids, row.article_id))
                for row in batch.versions
            ],
        )
        if batch.versions:  # the versions carry their keys; passages takes them in bulk
            SqlIndex(conn).merge_if_due(newest_version=ids[batch.versions[-1].id])
        if batch.outlet_names:
            conn.exec_driver_sql(
                f"UPDATE articles SET outlet = {marker}, outlet_key = {marker} WHERE id = {marker}",
                [(name, key, article_id) for article_id, (name, key) in batch.outlet_names.items()],
            )
        if batch.article_updates:
            stamp = _timestamp(conn, batch.at)
            conn.exec_driver_sql(
                f"UPDATE articles SET current_version = {marker}, version_count = {marker}, "
                f"headline = {marker}, updated_at = {marker} WHERE id = {marker}",
                [
                    (u.current_version, u.version_count, u.headline, stamp, article_id)
                    for article_id, u in batch.article_updates.items()
                ],
            )
        insert(
            conn,
            [
                row._replace(
                    article_id=real_id(ids, row.article_id),
                    version_id=real_id(ids, row.version_id),
                    matched_article_id=real_id(ids, row.matched_article_id),
                )
                for row in batch.sightings
            ],
        )
        insert(
            conn,
            [
                row._replace(
                    article_id=real_id(ids, row.article_id), version_id=real_id(ids, row.version_id)
                )
                for row in batch.files.values()
            ],
            upsert_key="path",
        )
        if batch.touched:
            conn.exec_driver_sql(
                f"UPDATE files SET size = {marker}, mtime_ns = {marker} WHERE path = {marker}",
                [(file.size, file.mtime_ns, file.path) for file in batch.touched],
            )
        if conn.dialect.name == "postgresql" and (batch.articles or batch.versions):
            # Ids were assigned here; keep the serial sequences ahead of them.
            for table in ("articles", "versions"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
        return ids

    def save_edits(self, edits: Collection[Edit]) -> None:
        """Store edits; one already stored is kept (the same two texts give the same diff)."""
        if not edits:
            return
        self.conn.exec_driver_sql(
            f"INSERT INTO edits ({', '.join(EDIT_COLUMNS)}) "
            f"VALUES ({markers(self.conn, len(EDIT_COLUMNS))}) "
            "ON CONFLICT (article_id, version) DO NOTHING",
            [edit_values(edit) for edit in edits],
        )


def _next_id(conn: Connection, table: str) -> int:
    return int(conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").scalar_one())


def _timestamp(conn: Connection, at: datetime) -> object:
    process = articles.c.updated_at.type._cached_bind_processor(conn.dialect)
    return process(at) if process else at
