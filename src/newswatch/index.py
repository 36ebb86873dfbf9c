"""The passage index: which stored versions share passage keys with a text.

One question, several backends behind one protocol, as datasketch keeps its LSH storage
behind ``storage.py``:

- :class:`MemoryIndex`, a dict from key to version ids: matching's catalog, tests, and the
  versions of the batch being decided;
- :class:`SqlIndex`, the persisted index (``passages``), for the versions up to the one it is
  *merged through*;
- :class:`RecentIndex`, the versions after that, read from their own keys
  (``versions.signature``) into sorted arrays in each process that matches.

Two levels, because keys are random: inserting each batch's keys into the big index dirtied
nearly every page of it at each commit, and the cost per article grew with the database
(1.31x-1.46x from 10k to 100k articles). Instead, a batch writes no index rows at all (its
versions carry their keys), and every tenth of growth the new versions' keys go into
``passages`` at once, in key order (:meth:`SqlIndex.merge_if_due`). A recent table of index
rows, tried first, cost 50 µs an article under the write lock; reading the keys back from
the versions costs nothing there.

All cap the versions listed under one key at :data:`KEY_POSTINGS_CAP` (see there). The keys
themselves, and why a shared passage always shares one, are ``fingerprint``'s business.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Protocol

import numpy as np
from sqlalchemy import Connection

from newswatch.schema import passages, store_state

KEY_POSTINGS_CAP = 64
"""Versions listed under one passage key, at most. A key shared by more texts than this is
boilerplate ("Follow us on social media for the latest updates."), not a story: further
versions are not listed under it, so looking a key up never returns more than this many
versions from either level, however common the passage grows."""
MERGE_MIN_VERSIONS = 3000
"""Recent versions are merged into ``passages`` once there are this many of them, and a
tenth of all versions."""
_CHUNK = 900  # below SQLite's old 999-variable limit
_MERGED_THROUGH = "passages_merged_through"


class PassageIndex(Protocol):
    def postings(self, keys: Collection[int]) -> dict[int, list[int]]:
        """Key -> the versions listed under it, for the keys that have any."""
        ...


def shared_keys(postings: dict[int, list[int]], keys: Iterable[int]) -> dict[int, int]:
    """Version id -> how many of ``keys`` it shares, from looked-up postings."""
    shared: dict[int, int] = defaultdict(int)
    for key in keys:
        for version_id in postings.get(key, ()):
            shared[version_id] += 1
    return shared


class MemoryIndex:
    """The index as a dict; also the view of the stored index a batch has looked up."""

    def __init__(self) -> None:
        self.by_key: dict[int, list[int]] = defaultdict(list)

    def postings(self, keys: Collection[int]) -> dict[int, list[int]]:
        return {key: found for key in keys if (found := self.by_key.get(key))}

    def add(self, version_id: int, keys: Iterable[int]) -> None:
        for key in keys:
            listed = self.by_key[key]
            if len(listed) < KEY_POSTINGS_CAP:
                listed.append(version_id)

    def remove(self, version_ids: Collection[int]) -> None:
        for listed in self.by_key.values():
            listed[:] = [v for v in listed if v not in version_ids]

    def shared(self, keys: Iterable[int]) -> dict[int, int]:
        return shared_keys(self.by_key, keys)


class SqlIndex:
    """``passages``: the keys of every version up to the one it is merged through."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"

    def postings(self, keys: Collection[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        ordered = sorted(keys)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            # Plain SQL: SQLAlchemy's expanding IN costs more than the look-up itself.
            for key, version_id in self.conn.exec_driver_sql(
                f"SELECT passage_key, version_id FROM {passages.name} "
                f"WHERE passage_key IN ({', '.join([self.mark] * len(chunk))})",
                tuple(chunk),
            ):
                found[key].append(version_id)
        return found

    def merged_through(self) -> int:
        return int(
            self.conn.exec_driver_sql(
                f"SELECT value FROM {store_state.name} WHERE name = '{_MERGED_THROUGH}'"
            ).scalar_one()
        )

    def merge_if_due(self, newest_version: int) -> bool:
        """Index the versions after the merged one in ``passages``, in key order, once they
        are :data:`MERGE_MIN_VERSIONS` and a tenth of all versions.

        A key gets at most :data:`KEY_POSTINGS_CAP` versions from one merge, fewer when
        ``passages`` already lists some (counted for the keys the merge repeats; a key the
        merge adds once may go one over the cap per merge).
        """
        merged = self.merged_through()
        if newest_version - merged < max(MERGE_MIN_VERSIONS, newest_version // 10):
            return False
        keys, version_ids = _keys_of_versions(self.conn, merged, newest_version)
        order = np.lexsort((version_ids, keys))
        keys, version_ids = keys[order], version_ids[order]
        # Each row's place among the rows of its key (0, 1, 2...), all at once.
        position = np.arange(len(keys))
        first = np.ones(len(keys), dtype=bool)
        first[1:] = keys[1:] != keys[:-1]
        position -= np.maximum.accumulate(np.where(first, position, 0))
        room = np.full(len(keys), KEY_POSTINGS_CAP)
        repeated = np.unique(keys[~first])
        if len(repeated):
            counts = self._counts(repeated.tolist())
            if counts:
                listed = np.array(sorted(counts), dtype=np.int64)
                found = np.searchsorted(listed, keys).clip(max=len(listed) - 1)
                known = listed[found] == keys
                already = np.array([counts[k] for k in listed.tolist()])[found]
                room = np.where(known, KEY_POSTINGS_CAP - already, room)
        keep = position < room
        rows = list(zip(keys[keep].tolist(), version_ids[keep].tolist(), strict=True))
        if rows:
            self.conn.exec_driver_sql(
                f"INSERT INTO {passages.name} (passage_key, version_id) "
                f"VALUES ({self.mark}, {self.mark})",
                rows,
            )
        self.conn.exec_driver_sql(
            f"UPDATE {store_state.name} SET value = {self.mark} WHERE name = '{_MERGED_THROUGH}'",
            (newest_version,),
        )
        return True

    def _counts(self, keys: list[int]) -> dict[int, int]:
        counts: dict[int, int] = {}
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start : start + _CHUNK]
            counts.update(
                self.conn.exec_driver_sql(
                    f"SELECT passage_key, count(*) FROM {passages.name} "
                    f"WHERE passage_key IN ({', '.join([self.mark] * len(chunk))}) "
                    "GROUP BY passage_key",
                    tuple(chunk),
                ).all()
            )
        return counts


class RecentIndex:
    """The keys of the versions after the merged one, as two sorted numpy arrays.

    One per process that matches, kept from batch to batch (``store`` holds it beside the
    process's engine): each batch's snapshot reads only the versions committed since the
    last (their keys are in ``versions.signature``), and starts over when another writer has
    merged. Sorted arrays, not a dict: a tenth of 100,000 versions is 300,000 postings, 5 MB
    this way and ten times that as Python objects.
    """

    def __init__(self) -> None:
        self.merged_through = -1
        self.loaded_through = 0
        self.keys = np.zeros(0, dtype=np.int64)
        self.version_ids = np.zeros(0, dtype=np.int64)

    def refresh(self, conn: Connection, up_to: int) -> None:
        """Catch up with ``conn``'s snapshot, whose newest version is ``up_to``."""
        merged = SqlIndex(conn).merged_through()
        if merged != self.merged_through:
            self.__init__()  # type: ignore[misc]
            self.merged_through = self.loaded_through = merged
        if up_to <= self.loaded_through:
            return
        keys, version_ids = _keys_of_versions(conn, self.loaded_through, up_to)
        keys = np.concatenate([self.keys, keys])
        version_ids = np.concatenate([self.version_ids, version_ids])
        order = np.lexsort((version_ids, keys))
        self.keys, self.version_ids = keys[order], version_ids[order]
        self.loaded_through = up_to

    def postings(self, keys: Collection[int]) -> dict[int, list[int]]:
        if not len(self.keys) or not keys:
            return {}
        wanted = np.fromiter(keys, dtype=np.int64, count=len(keys))
        starts = np.searchsorted(self.keys, wanted, "left")
        ends = np.minimum(np.searchsorted(self.keys, wanted, "right"), starts + KEY_POSTINGS_CAP)
        hits = np.flatnonzero(ends > starts)
        return {
            int(wanted[i]): self.version_ids[starts[i] : ends[i]].tolist() for i in hits.tolist()
        }


def _keys_of_versions(conn: Connection, after: int, up_to: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (key, version id) of the versions ``after < id <= up_to``, from their keys."""
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    key_parts, id_parts = [], []
    for version_id, signature in conn.exec_driver_sql(
        f"SELECT id, signature FROM versions WHERE id > {mark} AND id <= {mark}", (after, up_to)
    ):
        found = np.frombuffer(bytes(signature), dtype="<i8")
        key_parts.append(found)
        id_parts.append(np.full(len(found), version_id, dtype=np.int64))
    if not key_parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(key_parts).astype(np.int64), np.concatenate(id_parts)
