"""The passage index: which stored versions share passage keys with a text.

One question, two backends behind one protocol, as datasketch keeps its LSH storage behind
``storage.py``:

- :class:`MemoryIndex`, a dict from key to version ids: matching's catalog, tests, and the
  versions of the batch being decided;
- :class:`SqlIndex`, the persisted index in two tables. New keys go to the small
  ``passages_recent``; it is merged into ``passages`` in key order each time it reaches about
  a tenth of it. Keys are random, so inserting a batch straight into the big index dirtied
  nearly every page of it at each commit, and the cost per article grew with the database
  (1.31x-1.46x from 10k to 100k articles); with two levels it stays flat.

Both cap the versions listed under one key at :data:`KEY_POSTINGS_CAP` (see there). The keys
themselves, and why a shared passage always shares one, are ``fingerprint``'s business.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Protocol

from sqlalchemy import Connection

from newswatch.schema import passages, passages_recent, store_state

KEY_POSTINGS_CAP = 64
"""Versions listed under one passage key, at most. A key shared by more texts than this is
boilerplate ("Follow us on social media for the latest updates."), not a story: further
versions are not added under it, so looking a key up never returns more than this many
versions, however common the passage grows."""
MERGE_MIN_VERSIONS = 3000
"""passages_recent is merged once it holds the keys of this many versions, and of a tenth of
all versions (about 100,000 rows at first)."""
_CHUNK = 450  # two IN lists per statement, below SQLite's old 999-variable limit


class PassageIndex(Protocol):
    def postings(self, keys: Collection[int]) -> dict[int, list[int]]:
        """Key -> the versions listed under it, for the keys that have any."""
        ...

    def add(self, version_id: int, keys: Iterable[int]) -> None:
        """List a version under its keys (up to each key's cap)."""
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

    def added_keys(self, version_id: int, keys: Iterable[int]) -> list[int]:
        """:meth:`add`, returning the keys the version was listed under (to persist)."""
        indexed = []
        for key in keys:
            listed = self.by_key[key]
            if len(listed) < KEY_POSTINGS_CAP:
                listed.append(version_id)
                indexed.append(key)
        return indexed

    def remove(self, version_ids: Collection[int]) -> None:
        for listed in self.by_key.values():
            listed[:] = [v for v in listed if v not in version_ids]

    def shared(self, keys: Iterable[int]) -> dict[int, int]:
        return shared_keys(self.by_key, keys)


class SqlIndex:
    """The persisted two-level index, read and written on one connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"

    def postings(self, keys: Collection[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = defaultdict(list)
        ordered = sorted(keys)
        for start in range(0, len(ordered), _CHUNK):
            chunk = ordered[start : start + _CHUNK]
            marks = ", ".join([self.mark] * len(chunk))
            # Plain SQL: SQLAlchemy's expanding IN costs more than the look-up itself.
            for key, version_id in self.conn.exec_driver_sql(
                f"SELECT passage_key, version_id FROM {passages.name} "
                f"WHERE passage_key IN ({marks}) UNION ALL "
                f"SELECT passage_key, version_id FROM {passages_recent.name} "
                f"WHERE passage_key IN ({marks})",
                (*chunk, *chunk),
            ):
                found[key].append(version_id)
        return found

    def add(self, version_id: int, keys: Iterable[int]) -> None:
        self.insert([(key, version_id) for key in keys])

    def insert(self, rows: Sequence[tuple[int, int]]) -> None:
        """(key, version id) rows into the recent table; the caller has applied the cap."""
        if rows:
            self.conn.exec_driver_sql(
                f"INSERT INTO {passages_recent.name} (passage_key, version_id) "
                f"VALUES ({self.mark}, {self.mark})",
                list(rows),
            )

    def merge_if_due(self, newest_version: int) -> bool:
        """Move passages_recent into passages in key order once it is big enough.

        ``store_state`` keeps up to which version passages holds the keys; counting the
        recent table instead cost 0.15 s a batch."""
        merged = int(
            self.conn.exec_driver_sql(
                f"SELECT value FROM {store_state.name} WHERE name = 'passages_merged_through'"
            ).scalar_one()
        )
        if newest_version - merged < max(MERGE_MIN_VERSIONS, newest_version // 10):
            return False
        self.conn.exec_driver_sql(
            f"INSERT INTO {passages.name} (passage_key, version_id) "
            f"SELECT passage_key, version_id FROM {passages_recent.name} "
            "ORDER BY passage_key, version_id"
        )
        self.conn.exec_driver_sql(f"DELETE FROM {passages_recent.name}")
        self.conn.exec_driver_sql(
            f"UPDATE {store_state.name} SET value = {self.mark} "
            "WHERE name = 'passages_merged_through'",
            (newest_version,),
        )
        return True
