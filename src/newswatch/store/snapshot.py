"""What a batch's matching reads: a snapshot of the catalog, and what changed since.

:func:`snapshot` runs in a read transaction, with no lock held: in a few ``IN`` queries it
loads every stored version the batch could need (those with the same content hash, those of
the articles last seen at the batch's paths, and the versions sharing passage keys with a
file; of those, bodies only for the ones close enough to be compared) into a
:class:`~newswatch.catalog.Catalog`, and notes the :class:`Watermark` it saw.

Other writers go on meanwhile. :func:`catch_up` adds what they committed since a watermark:
the versions with higher ids (ids only grow, and are given under the write lock) with their
passage keys read from the versions themselves, and the pointers of the articles involved.
Matching then re-decides only the files that this *delta* touches.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from newswatch.match.catalog import Catalog
from newswatch.match.fingerprint import Fingerprint, keys_of
from newswatch.match.index import RecentIndex
from newswatch.match.rules import KnownVersion, Thresholds, overlap, plausible
from newswatch.store.passages import SqlIndex, refresh
from newswatch.store.schema import articles, versions

_CHUNK = 900  # below SQLite's old 999-variable limit


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
    articles: set[int] = field(default_factory=set)
    """Articles with new versions, or whose pointers moved."""
    files_moved: bool = False
    """Whether any file state may have changed (new sightings)."""

    def __bool__(self) -> bool:
        return bool(self.versions or self.articles or self.files_moved)


def watermark(conn: Connection) -> Watermark:
    row = conn.exec_driver_sql(
        "SELECT (SELECT coalesce(max(id), 0) FROM versions), "
        "(SELECT coalesce(max(id), 0) FROM sightings)"
    ).one()
    return Watermark(int(row[0]), int(row[1]))


def snapshot(
    conn: Connection,
    items: Sequence[tuple[Any, Fingerprint]],
    path_articles: Collection[int],
    thresholds: Thresholds,
    recent: RecentIndex | None = None,
) -> tuple[Catalog, Watermark]:
    """The catalog a batch is matched against (see the module docstring). ``recent`` is the
    process's index of the versions ``passages`` does not hold yet (a new one reads them)."""
    seen = watermark(conn)  # the transaction's first read fixes what it sees
    catalog = Catalog()
    hashes = sorted({fp.content_hash for _, fp in items})
    for chunk in _chunks(hashes):
        _load(conn, catalog, versions.c.content_hash.in_(chunk), with_body=True)
    for chunk in _chunks(sorted(path_articles)):
        _load(conn, catalog, versions.c.article_id.in_(chunk), with_body=True)
    keys = {key for _, fp in items for key in fp.keys}
    recent = recent or RecentIndex()
    refresh(recent, conn, seen.version_id)
    counts: dict[int, int] = {}  # version -> its number of keys, from the postings
    postings = SqlIndex(conn).postings(keys, counts)
    for key, listed in recent.postings(keys, counts).items():
        postings[key] = postings.get(key, []) + listed
    for key, listed in postings.items():
        catalog.index.by_key[key].extend(listed)
    # Only the versions worth comparing with some file are read (their bodies too): the
    # postings tell which, and as a database grows ever more texts share a stray phrase.
    worth: set[int] = set()
    for _, fp in items:
        worth.update(
            v
            for v, n in catalog.index.shared(fp.keys).items()
            if v in counts and overlap(n, len(fp.keys), counts[v], thresholds) is not None
        )
    for chunk in _chunks(sorted(worth - catalog.versions.keys())):
        _load(conn, catalog, versions.c.id.in_(chunk), with_body=True)
    _load_articles(conn, catalog, {v.article_id for v in catalog.versions.values()})
    return catalog, seen


def catch_up(
    conn: Connection,
    catalog: Catalog,
    since: Watermark,
    items: Sequence[tuple[Any, Fingerprint]],
    watched_articles: Iterable[int],
    thresholds: Thresholds,
) -> tuple[Watermark, Delta]:
    """Add to ``catalog`` what was committed after ``since``; ``watched_articles`` are the
    stored articles the batch's decisions rely on, whose pointers are read again."""
    now = watermark(conn)
    delta = Delta()
    if now == since:
        return now, delta
    delta.files_moved = now.sighting_id != since.sighting_id
    if now.version_id != since.version_id:
        rows = conn.execute(
            select(*_META, versions.c.signature).where(versions.c.id > since.version_id)
        ).all()
        for row in rows:
            catalog.add_version(_known(row, None, len(row.signature) // 8), has_body=False)
            catalog.index.add(row.id, keys_of(bytes(row.signature)))
            delta.versions.add(row.id)
            delta.hashes.add(row.content_hash)
            delta.articles.add(row.article_id)
    delta.articles |= _load_articles(
        conn, catalog, delta.articles | set(watched_articles), reload=True
    )
    hashes = {fp.content_hash for _, fp in items}
    wanted = {v for v in delta.versions if catalog.versions[v].content_hash in hashes}
    wanted |= _worth_comparing(catalog, items, delta.versions, thresholds)
    for article_id in delta.articles:
        wanted |= set(catalog.by_article.get(article_id, ()))
    _load_bodies(conn, catalog, wanted & catalog.without_body)
    return now, delta


_META = (
    versions.c.id,
    versions.c.article_id,
    versions.c.number,
    versions.c.outlet,
    versions.c.headline,
    versions.c.content_hash,
)


def _known(row: Any, body: str | None, key_count: int) -> KnownVersion:
    return KnownVersion(
        version_id=row.id,
        article_id=row.article_id,
        number=row.number,
        outlet=row.outlet,
        headline=row.headline,
        body=body or "",
        content_hash=row.content_hash,
        key_count=key_count,
        is_current=False,
    )


def _load(conn: Connection, catalog: Catalog, where: Any, *, with_body: bool) -> None:
    columns = [*_META, (func.length(versions.c.signature) / 8).label("key_count")]
    if with_body:
        columns.append(versions.c.body)
    for row in conn.execute(select(*columns).where(where)):
        catalog.add_version(
            _known(row, row.body if with_body else None, row.key_count), has_body=with_body
        )


def _load_bodies(conn: Connection, catalog: Catalog, ids: Collection[int]) -> None:
    for chunk in _chunks(sorted(v for v in ids if v > 0)):
        _load(conn, catalog, versions.c.id.in_(chunk), with_body=True)


def _load_articles(
    conn: Connection, catalog: Catalog, ids: Collection[int], *, reload: bool = False
) -> set[int]:
    """Read articles' pointers into the catalog; returns those that moved since read last."""
    wanted = sorted(a for a in ids if a > 0 and (reload or a not in catalog.articles))
    moved = set()
    for chunk in _chunks(wanted):
        for row in conn.execute(
            select(articles.c.id, articles.c.current_version, articles.c.version_count).where(
                articles.c.id.in_(chunk)
            )
        ):
            if catalog.set_article(row.id, row.current_version, row.version_count):
                moved.add(row.id)
    return moved


def _worth_comparing(
    catalog: Catalog,
    items: Sequence[tuple[Any, Fingerprint]],
    among: Collection[int],
    thresholds: Thresholds,
) -> set[int]:
    """Of ``among``, the versions some file of the batch shares enough passages with to be
    worth a rapidfuzz comparison (matching's own pruning decides)."""
    if not among:
        return set()
    worth: set[int] = set()
    for _, fp in items:
        shared = catalog.index.shared(fp.keys)
        found = [(catalog.versions[v], n) for v, n in shared.items() if v in among]
        worth.update(v.version_id for v in plausible(found, len(fp.keys), thresholds))
    return worth


def _chunks(values: list[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
