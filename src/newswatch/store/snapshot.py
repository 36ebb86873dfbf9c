"""What a batch's matching reads: a snapshot of the catalog, and what changed since.

:meth:`SnapshotReads.snapshot` runs in a read transaction, with no lock held: in a few ``IN`` queries it
loads the stored versions a batch certainly needs (those with the same content hash, and
those of the articles last seen at the batch's paths) into a
:class:`~newswatch.match.catalog.MemoryCatalog`, with the postings of the batch's passage
keys, and notes the :class:`Watermark` it saw. Which of the versions found through the
postings are worth reading is matching's call (``MemoryCatalog.worth_reading``);
:meth:`~SnapshotReads.load_versions` then reads those, with their bodies.

Other writers go on meanwhile. :meth:`~SnapshotReads.catch_up` adds what they committed since a watermark:
the versions with higher ids (ids only grow, and are given under the write lock) with their
passage keys read from the versions themselves, and the pointers of the articles involved.
Matching then re-decides only the files that this *delta* touches.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from newswatch.match.catalog import MemoryCatalog
from newswatch.match.fingerprint import keys_of
from newswatch.match.furniture import LineCounts
from newswatch.match.index import RecentIndex
from newswatch.match.rules import KnownVersion
from newswatch.store.passages import SqlIndex, refresh
from newswatch.store.schema import articles, versions
from newswatch.store.sql import in_chunks


@dataclass(frozen=True, slots=True)
class Watermark:
    """The highest version and sighting ids a reader has seen. Every committed batch adds
    sightings, so an unchanged watermark means no other writer committed anything."""

    version_id: int
    sighting_id: int


@dataclass
class Delta:
    """What other writers committed between two watermarks."""

    versions: set[int] = field(default_factory=set)
    hashes: set[str] = field(default_factory=set)
    urls: set[str] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    """Articles with new versions, or whose pointers moved."""
    files_moved: bool = False
    """Whether any file state may have changed (new sightings)."""

    def __bool__(self) -> bool:
        return bool(self.versions or self.articles or self.files_moved)


_PROCESS_INDEX = threading.Lock()
"""Batches ingested in this process's threads (one worker, or batches too small for the
worker processes) share its recent index and line counts: one brings them up to date and
reads its postings at a time."""

_META = (
    versions.c.id,
    versions.c.article_id,
    versions.c.number,
    versions.c.outlet_key,
    versions.c.outlet,
    versions.c.headline,
    versions.c.content_hash,
    versions.c.published,
    versions.c.first_seen_at,
    versions.c.url,
)


class SnapshotReads:
    """What matching reads, as methods of a transaction (``store.transaction``)."""

    conn: Connection
    recent: RecentIndex
    """The process's index of the versions ``passages`` does not hold yet."""
    lines: LineCounts
    """The process's line counts (``match.furniture``)."""

    def watermark(self) -> Watermark:
        row = self.conn.exec_driver_sql(
            "SELECT (SELECT coalesce(max(id), 0) FROM versions), "
            "(SELECT coalesce(max(id), 0) FROM sightings)"
        ).one()
        return Watermark(int(row[0]), int(row[1]))

    def snapshot(
        self,
        catalog: MemoryCatalog,
        hashes: Collection[str],
        path_articles: Collection[int],
        keys: Collection[int],
        urls: Collection[str] = (),
    ) -> tuple[Watermark, dict[int, int]]:
        """Fill ``catalog`` for a batch (see the module docstring), with every version of
        the articles the batch's ``urls`` name; returns the watermark seen and, for every
        version sharing a key with the batch, its number of keys. The process's recent
        index and line counts are brought up to the snapshot here (the catalog reads
        ``lines``)."""
        seen = self.watermark()  # the transaction's first read fixes what it sees
        for hashes_chunk in in_chunks(sorted(hashes)):
            self._load(catalog, versions.c.content_hash.in_(hashes_chunk), with_body=True)
        named = set(path_articles)
        for urls_chunk in in_chunks(sorted(urls)):  # every version of the articles URLs name
            found = select(versions.c.article_id).where(versions.c.url.in_(urls_chunk)).distinct()
            named.update(self.conn.execute(found).scalars())
        for ids_chunk in in_chunks(sorted(named)):
            self._load(catalog, versions.c.article_id.in_(ids_chunk), with_body=True)
        postings = SqlIndex(self.conn).postings(keys)
        with _PROCESS_INDEX:
            refresh(self.recent, self.lines, self.conn, seen.version_id)
            postings = postings.plus(self.recent.postings(keys))
        catalog.lines = self.lines
        catalog.index.set_stored(postings)
        return seen, postings.counts_by_version()

    def load_versions(self, catalog: MemoryCatalog, ids: Collection[int]) -> None:
        """Read these versions with their bodies, and the pointers of every article held."""
        self.load_bodies(catalog, set(ids) - catalog.versions.keys())
        self._load_articles(catalog, {v.article_id for v in catalog.versions.values()})

    def catch_up(
        self, catalog: MemoryCatalog, since: Watermark, watched_articles: Iterable[int]
    ) -> tuple[Watermark, Delta]:
        """Add to ``catalog`` what was committed after ``since``, without bodies (matching
        says which it needs: ``MemoryCatalog.worth_reading_after``); ``watched_articles``
        are the stored articles the batch's decisions rely on, whose pointers are read
        again."""
        now = self.watermark()
        delta = Delta()
        if now == since:
            return now, delta
        delta.files_moved = now.sighting_id != since.sighting_id
        if now.version_id != since.version_id:
            rows = self.conn.execute(
                select(*_META, versions.c.passage_keys).where(versions.c.id > since.version_id)
            ).all()
            for row in rows:
                catalog.add_version(_known(row, None, len(row.passage_keys) // 8), has_body=False)
                catalog.index.add(row.id, keys_of(bytes(row.passage_keys)))
                delta.versions.add(row.id)
                delta.hashes.add(row.content_hash)
                delta.articles.add(row.article_id)
                if row.url:
                    delta.urls.add(row.url)
        delta.articles |= self._load_articles(
            catalog, delta.articles | set(watched_articles), reload=True
        )
        return now, delta

    def load_bodies(self, catalog: MemoryCatalog, ids: Collection[int]) -> None:
        """Read these stored versions with their bodies (placeholders of a batch are skipped)."""
        for chunk in in_chunks(sorted(v for v in ids if v > 0)):
            self._load(catalog, versions.c.id.in_(chunk), with_body=True)

    def _load(self, catalog: MemoryCatalog, where: Any, *, with_body: bool) -> None:
        columns = [*_META, (func.length(versions.c.passage_keys) / 8).label("key_count")]
        if with_body:
            columns.append(versions.c.body)
        for row in self.conn.execute(select(*columns).where(where)):
            catalog.add_version(
                _known(row, row.body if with_body else None, row.key_count), has_body=with_body
            )

    def _load_articles(
        self, catalog: MemoryCatalog, ids: Collection[int], *, reload: bool = False
    ) -> set[int]:
        """Read articles' pointers into the catalog; returns those that moved since read last."""
        wanted = sorted(a for a in ids if a > 0 and (reload or a not in catalog.articles))
        moved = set()
        for chunk in in_chunks(wanted):
            for row in self.conn.execute(
                select(articles.c.id, articles.c.current_version, articles.c.version_count).where(
                    articles.c.id.in_(chunk)
                )
            ):
                if catalog.set_article(row.id, row.current_version, row.version_count):
                    moved.add(row.id)
        return moved


def _known(row: Any, body: str | None, key_count: int) -> KnownVersion:
    return KnownVersion(
        version_id=row.id,
        article_id=row.article_id,
        number=row.number,
        outlet_key=row.outlet_key,
        headline=row.headline,
        body=body or "",
        content_hash=row.content_hash,
        key_count=key_count,
        is_current=False,
        published=row.published,
        first_seen_at=row.first_seen_at,
        url=row.url,
        outlet=row.outlet,
    )
