"""The persisted passage index: ``passages``, and the versions' own keys after it.

See ``index`` for the two levels. Here is their SQL: looking keys up in ``passages``, reading
the newest versions' keys into a process's :class:`~newswatch.index.RecentIndex`, and
merging them into ``passages`` every tenth of growth, in key order.

Line counts (``line_counts``, see ``match.furniture``) go the same two-level way, on the same
beat: a version is written with its line keys and nothing else under the lock; each merge
adds the merged articles' lines to ``line_counts``, and each matching process counts the
newer articles' lines itself (:class:`~newswatch.match.furniture.LineCounts`).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection

import numpy as np
from sqlalchemy import Connection

from newswatch.match.furniture import LineCounts
from newswatch.match.index import Postings, RecentIndex, capped
from newswatch.store.rows import copy
from newswatch.store.schema import line_counts, passages, store_state
from newswatch.store.sql import in_chunks, mark, markers

MERGE_MIN_VERSIONS = 3000
"""Recent versions are merged into ``passages`` once there are this many of them, and a
tenth of all versions (or :data:`MERGE_MAX_VERSIONS`)."""
MERGE_MAX_VERSIONS = 20_000
"""...but never more than this many: the recent index that each matching process keeps in
memory, and a merge's rows, stay bounded however large the store grows (20,000 versions
are about 600,000 postings: 10 MB in each process)."""
_MERGE_ROWS_AT_ONCE = 100_000
_MERGED_THROUGH = "passages_merged_through"


class SqlIndex:
    """``passages``: the keys of every version up to the one it is merged through (one
    backend of ``index.PassageIndex``)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.mark = mark(conn)

    def postings(self, keys: Collection[int]) -> Postings:
        found = []
        # The driver's own cursor: SQLAlchemy's rows, and a Python step per row, cost more
        # than the look-up itself (120,000 rows a batch at 100,000 stored versions). Each
        # row is two numbers, the version and its number of keys packed in one (ids fit in
        # 31 bits, counts in 32): a third number a row took a batch 0.124 against 0.105 s
        # there (docs/performance.md).
        packed = (
            "(CAST(version_id AS BIGINT) << 32) | key_count"
            if self.conn.dialect.name == "postgresql"
            else "(version_id << 32) | key_count"
        )
        select = f"SELECT passage_key, {packed} FROM {passages.name} "
        ordered = sorted(keys)
        statements: list[tuple[str, tuple[object, ...]]]
        if self.conn.dialect.name == "postgresql":
            # One statement, the keys one array parameter: PostgreSQL parses and plans each
            # statement, and a batch's 67 IN lists of 900 markers took ten times as long as
            # the look-up itself (docs/performance.md). In the primary key's order, as
            # SQLite gives them.
            statements = [
                (
                    select + "WHERE passage_key = ANY(%s::bigint[]) "
                    "ORDER BY passage_key, version_id",
                    ([int(k) for k in ordered],),
                )
            ]
        else:
            statements = [
                (select + f"WHERE passage_key IN ({markers(self.conn, len(chunk))})", tuple(chunk))
                for chunk in in_chunks(ordered)
            ]
        cursor = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            for statement, parameters in statements:
                cursor.execute(statement, parameters)
                if rows := cursor.fetchall():
                    found.append(
                        np.fromiter(itertools.chain.from_iterable(rows), np.int64, 2 * len(rows))
                    )
        finally:
            cursor.close()
        if not found:
            return Postings.none()
        table = np.concatenate(found).reshape(-1, 2)
        return Postings(table[:, 0], table[:, 1] >> 32, table[:, 1] & 0xFFFFFFFF)

    def merged_through(self) -> int:
        return int(
            self.conn.exec_driver_sql(
                f"SELECT value FROM {store_state.name} WHERE name = '{_MERGED_THROUGH}'"
            ).scalar_one()
        )

    def merge_if_due(self, newest_version: int) -> bool:
        """Index the versions after the merged one in ``passages``, in key order, once they
        are :data:`MERGE_MIN_VERSIONS` and a tenth of all versions, or
        :data:`MERGE_MAX_VERSIONS`.

        A key gets at most :data:`KEY_POSTINGS_CAP` versions from one merge, fewer when
        ``passages`` already lists some (counted for the keys the merge repeats; a key the
        merge adds once may go one over the cap per merge).
        """
        merged = self.merged_through()
        due = max(MERGE_MIN_VERSIONS, min(newest_version // 10, MERGE_MAX_VERSIONS))
        if newest_version - merged < due:
            return False
        keys, version_ids, counts, lines = _keys_of_versions(self.conn, merged, newest_version)
        self._count_lines(lines)
        order = np.lexsort((version_ids, keys))
        keys, version_ids = keys[order], version_ids[order]
        repeated = np.unique(keys[1:][keys[1:] == keys[:-1]])
        keep = capped(keys, self._counts(repeated.tolist()) if len(repeated) else {})
        kept_keys, kept_ids = keys[keep], version_ids[keep]
        for start in range(0, len(kept_keys), _MERGE_ROWS_AT_ONCE):
            ids = kept_ids[start : start + _MERGE_ROWS_AT_ONCE].tolist()
            rows = list(
                zip(
                    kept_keys[start : start + _MERGE_ROWS_AT_ONCE].tolist(),
                    ids,
                    [counts[v] for v in ids],
                    strict=True,
                )
            )
            if self.conn.dialect.name == "postgresql":
                copy(self.conn, passages.name, ["passage_key", "version_id", "key_count"], rows)
            else:
                self.conn.exec_driver_sql(
                    f"INSERT INTO {passages.name} (passage_key, version_id, key_count) "
                    f"VALUES ({self.mark}, {self.mark}, {self.mark})",
                    rows,
                )
        self.conn.exec_driver_sql(
            f"UPDATE {store_state.name} SET value = {self.mark} WHERE name = '{_MERGED_THROUGH}'",
            (newest_version,),
        )
        return True

    def _count_lines(self, lines: np.ndarray) -> None:
        """Add the merged articles' lines to ``line_counts``, in key order: those already
        recorded, and those that two merged articles print (a line printed once in a
        merge's thousands of articles is no furniture, and the table stays small)."""
        if not len(lines):
            return
        keys, found = np.unique(lines, return_counts=True)
        recorded = np.array(
            [k for (k,) in self.conn.exec_driver_sql(f"SELECT line_key FROM {line_counts.name}")],
            dtype=np.int64,
        )
        keep = (found >= 2) | np.isin(keys, recorded)
        if not keep.any():
            return
        self.conn.exec_driver_sql(
            f"INSERT INTO {line_counts.name} (line_key, articles) VALUES ({self.mark}, {self.mark}) "
            f"ON CONFLICT (line_key) DO UPDATE SET articles = {line_counts.name}.articles + "
            "excluded.articles",
            list(zip(keys[keep].tolist(), found[keep].tolist(), strict=True)),
        )

    def _counts(self, keys: list[int]) -> dict[int, int]:
        counts: dict[int, int] = {}
        for chunk in in_chunks(keys):
            counts.update(
                self.conn.exec_driver_sql(
                    f"SELECT passage_key, count(*) FROM {passages.name} "
                    f"WHERE passage_key IN ({markers(self.conn, len(chunk))}) "
                    "GROUP BY passage_key",
                    tuple(chunk),
                ).all()
            )
        return counts


def refresh(recent: RecentIndex, lines: LineCounts, conn: Connection, up_to: int) -> None:
    """Bring a process's recent index and line counts to ``conn``'s snapshot, whose newest
    version is ``up_to``: start over if another writer merged, else read only the new
    versions."""
    merged = SqlIndex(conn).merged_through()
    if merged != recent.merged_through or merged != lines.merged_through:
        recent.reset(merged)
        lines.reset(merged, *_line_counts(conn))
    if up_to > recent.loaded_through:
        keys, version_ids, counts, first_lines = _keys_of_versions(
            conn, recent.loaded_through, up_to
        )
        recent.add(keys, version_ids, counts, loaded_through=up_to)
        lines.add(first_lines, loaded_through=up_to)


def _line_counts(conn: Connection) -> tuple[np.ndarray, np.ndarray]:
    rows = conn.exec_driver_sql(f"SELECT line_key, articles FROM {line_counts.name}").all()
    return (
        np.array([r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=np.int64),
    )


_EMPTY = np.zeros(0, dtype=np.int64)


def _keys_of_versions(
    conn: Connection, after: int, up_to: int
) -> tuple[np.ndarray, np.ndarray, dict[int, int], np.ndarray]:
    """Every (key, version id) of the versions ``after < id <= up_to``, from their keys,
    each version's number of keys, and the line keys of those that are an article's first
    (one entry per article printing a line)."""
    marker = mark(conn)
    key_parts, id_parts, line_parts, counts = [], [], [], {}
    for version_id, packed, packed_lines, number in conn.exec_driver_sql(
        "SELECT id, passage_keys, line_keys, number FROM versions "
        f"WHERE id > {marker} AND id <= {marker}",
        (after, up_to),
    ):
        found = np.frombuffer(bytes(packed), dtype="<i8")
        key_parts.append(found)
        id_parts.append(np.full(len(found), version_id, dtype=np.int64))
        counts[version_id] = len(found)
        if number == 1 and packed_lines:
            line_parts.append(np.frombuffer(bytes(packed_lines), dtype="<i8"))
    lines = np.concatenate(line_parts).astype(np.int64) if line_parts else _EMPTY
    if not key_parts:
        return _EMPTY, _EMPTY, counts, lines
    return np.concatenate(key_parts).astype(np.int64), np.concatenate(id_parts), counts, lines
