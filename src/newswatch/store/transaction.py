"""A transaction on the database, and every read and write made in one, as its methods.

``Store.reading()`` gives a :class:`Reading` (one consistent snapshot, no lock taken) and
``Store.writing()`` a :class:`Writing` (the database's write lock held from its first
statement). Nothing outside the store holds a connection: the pipeline, the reports, the
story, the outlet figures, the export and the commands ask a transaction by name, as
sqlite-utils' ``Database`` is asked, and get the store's typed rows back.

The methods live in the modules of the product that reads them (``snapshot``, ``reports``,
``stories``, ``streams``, ``writer``), each a small class this one gathers.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, text

from newswatch.match.furniture import LineCounts
from newswatch.match.index import RecentIndex
from newswatch.models import KnownFile, RunStatus
from newswatch.store.rows import KNOWN_FILES_SQL, known_file
from newswatch.store.snapshot import SnapshotReads
from newswatch.store.sql import IN_LIST_SIZE, in_chunks, mark, markers
from newswatch.store.stories import StoryReads
from newswatch.store.streams import StreamReads
from newswatch.store.writer import BatchWrites


class Reading(SnapshotReads, StoryReads, StreamReads):
    """A read transaction: a consistent snapshot of the database (see ``Store.reading``)."""

    def __init__(self, conn: Connection, recent: RecentIndex, lines: LineCounts) -> None:
        self.conn, self.recent, self.lines = conn, recent, lines

    def files_state(self, paths: list[str]) -> dict[str, KnownFile]:
        """The recorded state of these paths, as this transaction sees it.

        Another process (a second ingest, an overlapping scheduled run) may have stored a
        file since this run planned; reading its state again under the write lock is what
        stops the same file from being ingested twice.
        """
        found: dict[str, KnownFile] = {}
        for chunk in in_chunks(paths):
            cursor = self.conn.exec_driver_sql(
                KNOWN_FILES_SQL + f"f.path IN ({markers(self.conn, len(chunk))})", tuple(chunk)
            ).cursor
            assert cursor is not None
            found.update((row[0], known_file(row)) for row in cursor.fetchall())
        return found

    def files_holding(
        self, article_ids: Collection[int], raw_hashes: Collection[str]
    ) -> list[KnownFile]:
        """The recorded files of these articles whose bytes have one of these hashes: where
        a file at a new path may have been before it was moved or renamed."""
        found: list[KnownFile] = []
        hashes = sorted(raw_hashes)
        for chunk in in_chunks(sorted(article_ids), IN_LIST_SIZE // 2):
            for hash_chunk in in_chunks(hashes, IN_LIST_SIZE // 2):
                cursor = self.conn.exec_driver_sql(
                    KNOWN_FILES_SQL
                    + f"f.article_id IN ({markers(self.conn, len(chunk))})"
                    + f" AND f.raw_hash IN ({markers(self.conn, len(hash_chunk))})",
                    (*chunk, *hash_chunk),
                ).cursor
                assert cursor is not None
                found.extend(known_file(row) for row in cursor.fetchall())
        return found

    def rejected_holding(self, raw_hashes: Collection[str]) -> list[KnownFile]:
        """The recorded files that were refused (they hold no article) whose bytes have one
        of these hashes; found by the index of ``files.article_id``, which they leave
        empty, among the refused files only."""
        found: list[KnownFile] = []
        for chunk in in_chunks(sorted(raw_hashes)):
            cursor = self.conn.exec_driver_sql(
                KNOWN_FILES_SQL
                + f"f.article_id IS NULL AND f.raw_hash IN ({markers(self.conn, len(chunk))})",
                tuple(chunk),
            ).cursor
            assert cursor is not None
            found.extend(known_file(row) for row in cursor.fetchall())
        return found

    def batches_written(self, run_id: int) -> tuple[int, RunStatus]:
        """How many of the run's batches are written, and the run's status."""
        row = self.conn.exec_driver_sql(
            f"SELECT batches_written, status FROM runs WHERE id = {mark(self.conn)}",
            (run_id,),
        ).one()
        return int(row[0]), RunStatus(row[1])

    def query(self, sql: str, **parameters: Any) -> list[tuple[Any, ...]]:
        """Plain SQL against the tables (``docs/operations.md`` names them), as a user would
        write it: ``:name`` parameters, plain tuples back (none for a statement that
        returns no rows)."""
        result = self.conn.execute(text(sql), parameters)
        return [tuple(row) for row in result] if result.returns_rows else []


class Writing(Reading, BatchWrites):
    """A write transaction, holding the database's write lock (see ``Store.writing``)."""
