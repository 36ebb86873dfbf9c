"""One batch of files against the database: read what matching needs at once, write at once.

Storing files one at a time cost about 1.5 ms a file, nearly all of it SQLAlchemy building
and SQLite running six small statements. A :class:`Batch` instead

- prefetches, in a few ``IN`` queries, every stored version the batch could need: those
  with the same content hash, those of the articles last seen at the batch's paths, and the
  candidates sharing passage keys (keys first, then only the candidates whose overlap makes a
  rapidfuzz comparison worth it get their bodies loaded);
- answers matching's :class:`~newswatch.match.Catalog` questions from that, plus the
  versions the batch itself has created (a copy of a story in the same batch is found);
- buffers every row and writes each table with one ``executemany`` at the end.

It runs inside the write transaction (``store.transaction``), so no other writer can add
rows meanwhile; that is what lets it number new articles and versions itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from newswatch.fingerprint import Fingerprint
from newswatch.match import KnownVersion, Outcome, Thresholds, Verdict, plausible
from newswatch.parse import ParsedArticle
from newswatch.schema import articles, files, passages, passages_recent, sightings, versions
from newswatch.store import article_key, now

_CHUNK = 900  # below SQLite's old 999-variable limit


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class _Version:
    """A stored (or batch-created) version; ``body`` is None until it is worth loading."""

    version_id: int
    article_id: int
    number: int
    outlet: str | None
    headline: str
    content_hash: str
    key_count: int
    body: str | None


@dataclass(frozen=True, slots=True)
class Stored:
    article_id: int | None
    version_id: int | None
    version_number: int | None


def _insert(conn: Connection, table: Any, rows: list[dict[str, Any]], suffix: str = "") -> None:
    """``executemany`` straight to the driver, values converted by each column's own
    SQLAlchemy bind processor: SQLAlchemy's per-row parameter handling cost more than
    SQLite's inserting (40 µs an article over five tables)."""
    columns = list(rows[0])
    values_of = itemgetter(*columns)
    convert: list[tuple[int, Any, dict[Any, Any]]] = [
        (index, process, {})
        for index, column in enumerate(columns)
        if (process := table.c[column].type._cached_bind_processor(conn.dialect)) is not None
    ]
    params = []
    for row in rows:
        values = list(values_of(row))
        for index, process, seen in convert:
            value = values[index]
            if value is not None:
                # A batch's rows share their timestamps: convert each distinct value once.
                if value not in seen:
                    seen[value] = process(value)
                values[index] = seen[value]
        params.append(tuple(values))
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {table.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([mark] * len(columns))}){suffix}"
    )
    conn.exec_driver_sql(sql, params)


MERGE_MIN_ROWS = 100_000
"""passages_recent is merged once it holds this many rows and about a tenth of passages's."""
KEYS_PER_VERSION = 35
"""About how many passage keys a version has (a 400-word article: 2 / (16 + 1) of its
shingles); only used to tell when the recent table has reached a tenth of the big one."""
KEY_POSTINGS_CAP = 64
"""Versions indexed under one passage key, at most. A key shared by more texts than this
is boilerplate ("Follow us on social media for the latest updates."), not a story: further
versions are not added under it, so looking a key up never returns more than this many
rows, however common the passage grows."""


def merge_passages_if_due(conn: Connection, versions_stored: int) -> bool:
    """Move passages_recent into passages in key order once it is big enough (see schema)."""
    recent = int(conn.exec_driver_sql(f"SELECT count(*) FROM {passages_recent.name}").scalar_one())
    if recent < max(MERGE_MIN_ROWS, versions_stored * KEYS_PER_VERSION // 10):
        return False
    conn.exec_driver_sql(
        f"INSERT INTO {passages.name} (passage_key, version_id) "
        f"SELECT passage_key, version_id FROM {passages_recent.name} ORDER BY passage_key, version_id"
    )
    conn.exec_driver_sql(f"DELETE FROM {passages_recent.name}")
    return True


class Batch:
    def __init__(
        self,
        conn: Connection,
        run_id: int,
        items: Sequence[tuple[ParsedArticle, Fingerprint]],
        path_articles: Iterable[int],
        thresholds: Thresholds,
    ) -> None:
        self.conn = conn
        self.run_id = run_id
        self.thresholds = thresholds
        self.at = now()
        self.versions: dict[int, _Version] = {}
        self.by_hash: dict[str, list[int]] = defaultdict(list)
        self.by_article: dict[int, list[int]] = defaultdict(list)
        self.by_key: dict[int, list[int]] = defaultdict(list)
        self.loaded_articles: set[int] = set()
        self.full_history: set[int] = set()
        self.current: dict[int, int] = {}
        self.count: dict[int, int] = {}
        self.new_articles: dict[int, dict[str, Any]] = {}
        self.new_versions: list[dict[str, Any]] = []
        self.new_postings: list[tuple[int, int]] = []
        self.article_updates: dict[int, dict[str, Any]] = {}
        self.sightings: list[dict[str, Any]] = []
        self.file_rows: dict[str, dict[str, Any]] = {}
        self.touched: list[dict[str, Any]] = []
        self.next_article = self._next_id(articles.c.id)
        self.next_version = self._next_id(versions.c.id)
        self._prefetch(items, set(path_articles))

    # --- reading ----------------------------------------------------------------------------

    def _next_id(self, column: Any) -> int:
        return int(self.conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1

    def _load_versions(self, where: Any, with_body: bool) -> None:
        columns = [
            versions.c.id,
            versions.c.article_id,
            versions.c.number,
            versions.c.outlet,
            versions.c.headline,
            versions.c.content_hash,
            func.length(versions.c.signature).label("signature_bytes"),
        ]
        if with_body:
            columns.append(versions.c.body)
        for row in self.conn.execute(select(*columns).where(where)):
            known = self.versions.get(row.id)
            if known is None:
                known = _Version(
                    row.id,
                    row.article_id,
                    row.number,
                    row.outlet,
                    row.headline,
                    row.content_hash,
                    row.signature_bytes // 8,
                    row.body if with_body else None,
                )
                self.versions[row.id] = known
                self.by_hash[known.content_hash].append(known.version_id)
            elif with_body and known.body is None:
                known.body = row.body

    def _load_articles(self, ids: set[int]) -> None:
        wanted = sorted(ids - self.loaded_articles)
        for chunk in _chunks(wanted):
            for row in self.conn.execute(
                select(articles.c.id, articles.c.current_version, articles.c.version_count).where(
                    articles.c.id.in_(chunk)
                )
            ):
                self.current[row.id] = row.current_version
                self.count[row.id] = row.version_count
        self.loaded_articles.update(wanted)

    def _prefetch(
        self, items: Sequence[tuple[ParsedArticle, Fingerprint]], path_articles: set[int]
    ) -> None:
        hashes = sorted({fp.content_hash for _, fp in items})
        for chunk in _chunks(hashes):
            self._load_versions(versions.c.content_hash.in_(chunk), with_body=True)
        for chunk in _chunks(sorted(path_articles)):
            self._load_versions(versions.c.article_id.in_(chunk), with_body=True)
        self.full_history.update(path_articles)
        for version in self.versions.values():
            self.by_article[version.article_id].append(version.version_id)
        # Passage keys: which stored versions share one with anything in the batch...
        keys = sorted({key for _, fp in items for key in fp.keys})
        key_hits: dict[int, list[int]] = defaultdict(list)
        mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        for chunk in _chunks(keys, _CHUNK // 2):
            # Plain SQL: SQLAlchemy's expanding IN costs more than the look-up itself.
            marks = ", ".join([mark] * len(chunk))
            for key, version_id in self.conn.exec_driver_sql(
                f"SELECT passage_key, version_id FROM {passages.name} "
                f"WHERE passage_key IN ({marks}) UNION ALL "
                f"SELECT passage_key, version_id FROM {passages_recent.name} WHERE passage_key IN ({marks})",
                (*chunk, *chunk),
            ):
                key_hits[key].append(version_id)
        if key_hits:
            ids = sorted({v for hits in key_hits.values() for v in hits} - set(self.versions))
            for chunk in _chunks(ids):
                self._load_versions(versions.c.id.in_(chunk), with_body=False)
            for key, hits in key_hits.items():
                self.by_key[key].extend(hits)
            for version_id in {v for hits in key_hits.values() for v in hits}:
                version = self.versions[version_id]
                if version_id not in self.by_article[version.article_id]:
                    self.by_article[version.article_id].append(version_id)
            # ...and, of those, which are close enough to any item to be compared at all.
            worth: set[int] = set()
            for _, fp in items:
                found = [(self._known(v), shared) for v, shared in self._shared(fp.keys)]
                worth.update(k.version_id for k in plausible(found, len(fp.keys), self.thresholds))
            missing = sorted(v for v in worth if self.versions[v].body is None)
            for chunk in _chunks(missing):
                self._load_versions(versions.c.id.in_(chunk), with_body=True)
        self._load_articles({v.article_id for v in self.versions.values()})

    def _shared(self, keys: tuple[int, ...]) -> list[tuple[int, int]]:
        """Version ids sharing passage keys with a text, and how many keys each shares."""
        shared: dict[int, int] = defaultdict(int)
        for key in keys:
            for version_id in self.by_key.get(key, ()):
                shared[version_id] += 1
        return sorted(shared.items())

    def _known(self, version_id: int) -> KnownVersion:
        v = self.versions[version_id]
        return KnownVersion(
            version_id=v.version_id,
            article_id=v.article_id,
            number=v.number,
            outlet=v.outlet,
            headline=v.headline,
            body=v.body or "",
            content_hash=v.content_hash,
            key_count=v.key_count,
            is_current=self.current.get(v.article_id) == v.number,
        )

    # --- matching's Catalog -----------------------------------------------------------------

    def versions_of(self, article_id: int) -> list[KnownVersion]:
        if article_id not in self.full_history:
            self._load_versions(versions.c.article_id == article_id, with_body=True)
            self.by_article[article_id] = [
                v.version_id for v in self.versions.values() if v.article_id == article_id
            ]
            self._load_articles({article_id})
            self.full_history.add(article_id)
        for version_id in self.by_article[article_id]:
            if self.versions[version_id].body is None:
                self._load_versions(versions.c.id == version_id, with_body=True)
        found = [self._known(v) for v in self.by_article[article_id]]
        return sorted(found, key=lambda k: k.number)

    def with_content(self, content_hash: str) -> list[KnownVersion]:
        return [self._known(v) for v in self.by_hash.get(content_hash, ())]

    def candidates(self, keys: tuple[int, ...]) -> list[tuple[KnownVersion, int]]:
        """Versions sharing passage keys. Those too far from every item to be worth a
        rapidfuzz call have no body loaded; matching's own estimate discards them first."""
        return [
            (self._known(v), shared)
            for v, shared in self._shared(keys)
            if self.versions[v].body is not None
        ]

    # --- writing ----------------------------------------------------------------------------

    def store(self, verdict: Verdict, article: ParsedArticle, fp: Fingerprint) -> Stored:
        """Buffer what a verdict means: a new article, a new version, or a moved pointer."""
        if verdict.outcome in (Outcome.NEW, Outcome.NEAR_DUPLICATE) and verdict.article_id is None:
            near = (
                verdict.matched.article_id
                if verdict.outcome is Outcome.NEAR_DUPLICATE and verdict.matched
                else None
            )
            article_id = self.next_article
            self.next_article += 1
            self.new_articles[article_id] = {
                "id": article_id,
                "key": article_key(article.outlet, fp.content_hash),
                "outlet": article.outlet,
                "headline": article.headline,
                "current_version": 1,
                "version_count": 1,
                "near_duplicate_of": near,
                "near_duplicate_similarity": verdict.similarity if near else None,
                "first_seen_at": self.at,
                "updated_at": self.at,
            }
            self.loaded_articles.add(article_id)
            self.full_history.add(article_id)
            version_id = self._add_version(article_id, 1, article, fp, None)
            return Stored(article_id, version_id, 1)

        if verdict.outcome is Outcome.EDITED and verdict.article_id is not None:
            article_id = verdict.article_id
            self._load_articles({article_id})
            if verdict.version_id is not None:  # a revert to an earlier text
                number = verdict.matched.number if verdict.matched else self.current[article_id]
                self.current[article_id] = number
                self._update_article(article_id, current_version=number, headline=article.headline)
                return Stored(article_id, verdict.version_id, number)
            number = self.count[article_id] + 1
            version_id = self._add_version(article_id, number, article, fp, verdict.similarity)
            self._update_article(
                article_id,
                current_version=number,
                version_count=number,
                headline=article.headline,
            )
            return Stored(article_id, version_id, number)

        kept = verdict.matched.number if verdict.matched else None
        return Stored(verdict.article_id, verdict.version_id, kept)

    def _add_version(
        self,
        article_id: int,
        number: int,
        article: ParsedArticle,
        fp: Fingerprint,
        similarity: float | None,
    ) -> int:
        version_id = self.next_version
        self.next_version += 1
        body = article.body
        self.new_versions.append(
            {
                "id": version_id,
                "article_id": article_id,
                "number": number,
                "content_hash": fp.content_hash,
                "headline": article.headline,
                "outlet": article.outlet,
                "published": article.published,
                "dateline": article.dateline,
                "body": body,
                "source_url": article.source_url,
                "encoding": article.encoding,
                "signature": fp.signature,
                "similarity_to_previous": similarity,
                "run_id": self.run_id,
                "first_seen_at": self.at,
            }
        )
        self.versions[version_id] = _Version(
            version_id,
            article_id,
            number,
            article.outlet,
            article.headline,
            fp.content_hash,
            len(fp.keys),
            body,
        )
        self.by_hash[fp.content_hash].append(version_id)
        self.by_article[article_id].append(version_id)
        for key in fp.keys:
            postings = self.by_key[key]  # every stored posting of the batch's keys is here
            if len(postings) < KEY_POSTINGS_CAP:
                postings.append(version_id)
                self.new_postings.append((key, version_id))
        self.current[article_id] = number
        self.count[article_id] = number
        return version_id

    def _update_article(self, article_id: int, **values: Any) -> None:
        pending = self.new_articles.get(article_id)
        if pending is not None:
            pending.update(values, updated_at=self.at)
            return
        self.article_updates.setdefault(article_id, {}).update(values, updated_at=self.at)

    def record_file(
        self,
        *,
        path: str,
        size: int,
        mtime_ns: int,
        raw_hash: str | None,
        outcome: Outcome,
        article_id: int | None = None,
        version_id: int | None = None,
        matched_article_id: int | None = None,
        similarity: float | None = None,
        reverted: bool = False,
        reason_code: str | None = None,
        reason: str | None = None,
    ) -> None:
        """A sighting (history) and the file's current state (for the next run's skip)."""
        self.sightings.append(
            {
                "run_id": self.run_id,
                "path": path,
                "size": size,
                "mtime_ns": mtime_ns,
                "raw_hash": raw_hash,
                "seen_at": self.at,
                "outcome": outcome.value,
                "article_id": article_id,
                "version_id": version_id,
                "matched_article_id": matched_article_id,
                "similarity": similarity,
                "reverted": reverted,
                "reason_code": reason_code,
                "reason": reason,
            }
        )
        self.file_rows[path] = {
            "path": path,
            "size": size,
            "mtime_ns": mtime_ns,
            "raw_hash": raw_hash,
            "outcome": outcome.value,
            "article_id": article_id,
            "version_id": version_id,
            "reason_code": reason_code,
            "reason": reason,
            "first_seen_at": self.at,
            "updated_at": self.at,
            "run_id": self.run_id,
        }

    def touch_file(self, path: str, size: int, mtime_ns: int) -> None:
        """Same bytes, new mtime (a ``touch`` or a copy): remember the stat, record nothing."""
        self.touched.append({"p": path, "s": size, "m": mtime_ns})

    def flush(self) -> None:
        conn = self.conn
        if self.new_articles:
            _insert(conn, articles, list(self.new_articles.values()))
        if self.new_versions:
            _insert(conn, versions, self.new_versions)
        if self.new_postings:
            mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
            conn.exec_driver_sql(
                f"INSERT INTO {passages_recent.name} (passage_key, version_id) VALUES ({mark}, {mark})",
                self.new_postings,
            )
            merge_passages_if_due(conn, versions_stored=self.next_version - 1)
        for article_id, values in self.article_updates.items():
            conn.execute(update(articles).where(articles.c.id == article_id).values(**values))
        if self.sightings:
            _insert(conn, sightings, self.sightings)
        if self.file_rows:
            kept = ("first_seen_at", "path")
            rows = list(self.file_rows.values())
            changed = [c for c in rows[0] if c not in kept]
            _insert(
                conn,
                files,
                rows,
                " ON CONFLICT (path) DO UPDATE SET "
                + ", ".join(f"{c} = excluded.{c}" for c in changed),
            )
        if self.touched:
            conn.execute(
                update(files)
                .where(files.c.path == bindparam("p"))
                .values(size=bindparam("s"), mtime_ns=bindparam("m")),
                self.touched,
            )
        if conn.dialect.name == "postgresql" and (self.new_articles or self.new_versions):
            # Ids were assigned here; keep the serial sequences ahead of them.
            for table in ("articles", "versions"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
