"""What matching knows of the stored articles: an in-memory view, and what a verdict adds.

A :class:`MemoryCatalog` implements matching's :class:`~newswatch.match.rules.Catalog`
over versions held in memory. The store fills one with what a batch of files could need (a *snapshot*, read
without the write lock); tests fill one by hand, so matching rules are tested without a
database. Deciding a batch places each verdict in the catalog (:meth:`Catalog.place`): a new
article, a new version, or a moved pointer, with *placeholder* ids (negative numbers) that
the writer turns into real ones under the write lock. A copy of a story later in the same
batch is found among those placed versions.

Versions the snapshot found too far from every file of the batch are held without their
body; matching never compares them (``candidates`` leaves them out).

Which lines are furniture (``furniture``) is known from the store's line counts, as of the
snapshot, and from the articles the batch itself places.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from newswatch.match.fingerprint import Fingerprint, outlet_salt, paragraph_hash
from newswatch.match.furniture import FURNITURE_ARTICLES, LineCounts, furniture_in
from newswatch.match.index import MemoryIndex
from newswatch.match.rules import KnownVersion, Thresholds, Verdict, overlap, plausible
from newswatch.models import Outcome
from newswatch.read.parse import ParsedArticle


@dataclass(slots=True)
class ArticleState:
    current: int
    """Number of the current version."""
    count: int
    """Versions stored (numbers run 1..count)."""


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a verdict put a text: its article and version, and what had to be created."""

    article_id: int | None
    version_id: int | None
    number: int | None
    new_article: bool = False
    new_version: bool = False


@dataclass
class MemoryCatalog:
    versions: dict[int, KnownVersion] = field(default_factory=dict)
    articles: dict[int, ArticleState] = field(default_factory=dict)
    index: MemoryIndex = field(default_factory=MemoryIndex)
    by_hash: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_article: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_url: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    without_body: set[int] = field(default_factory=set)
    lines: LineCounts = field(default_factory=LineCounts)
    """How many articles of their outlet print each line, as stored (the store's counts,
    which the snapshot hands over)."""
    furniture_articles: int = FURNITURE_ARTICLES
    _before_placing: dict[int, ArticleState] = field(default_factory=dict)
    """Stored articles' pointers as they were before a verdict moved them."""
    _placed_lines: Counter[int] = field(default_factory=Counter)
    """Line keys of the articles placed, each counted once per article."""
    _placed_furniture: set[int] = field(default_factory=set)
    """Line keys that the articles placed made furniture."""
    _stored_lines: dict[int, int] = field(default_factory=dict)
    """Stored articles printing each line looked up (``count_stored_lines``), when any."""
    _looked_up: set[int] = field(default_factory=set)

    # --- filling -----------------------------------------------------------------------------

    def add_version(self, version: KnownVersion, *, has_body: bool = True) -> None:
        """A stored version (its postings are loaded into ``index`` separately)."""
        known = self.versions.get(version.version_id)
        if known is not None:
            if has_body and version.version_id in self.without_body:
                self.versions[version.version_id] = version
                self.without_body.discard(version.version_id)
            return
        self.versions[version.version_id] = version
        self.by_hash[version.content_hash].append(version.version_id)
        self.by_article[version.article_id].append(version.version_id)
        if version.url:
            self.by_url[version.url].append(version.version_id)
        if not has_body:
            self.without_body.add(version.version_id)

    def set_article(self, article_id: int, current: int, count: int) -> bool:
        """A stored article's pointers as read; returns whether they moved since last read.

        Placing verdicts moves pointers in the catalog; the stored ones are kept aside, and
        those are what is compared and updated here."""
        state = ArticleState(current, count)
        if article_id in self._before_placing:
            moved = self._before_placing[article_id] != state
            self._before_placing[article_id] = state
            return moved
        known = self.articles.get(article_id)
        self.articles[article_id] = state
        return known is not None and known != state

    # --- matching's Catalog ------------------------------------------------------------------

    def _known(self, version_id: int) -> KnownVersion:
        version = self.versions[version_id]
        state = self.articles.get(version.article_id)
        current = state is not None and state.current == version.number
        return version if version.is_current == current else replace(version, is_current=current)

    def versions_of(self, article_id: int) -> list[KnownVersion]:
        found = [self._known(v) for v in self.by_article.get(article_id, ())]
        return sorted(found, key=lambda k: k.number)

    def with_content(self, content_hash: str) -> list[KnownVersion]:
        return [self._known(v) for v in self.by_hash.get(content_hash, ())]

    def with_url(self, url: str) -> list[KnownVersion]:
        return [self._known(v) for v in self.by_url.get(url, ())]

    def candidates(self, keys: tuple[int, ...]) -> list[tuple[KnownVersion, int]]:
        """Versions sharing keys, with their bodies: the ones the store did not read (too
        few keys shared) or read without their body (not close enough) are no candidates."""
        return [
            (self._known(v), shared)
            for v, shared in sorted(self.index.shared(keys).items())
            if v in self.versions and v not in self.without_body
        ]

    def furniture(self, outlet_key: str | None, lines: Collection[str]) -> set[str]:
        """Those of these lines that are furniture of the outlet."""
        known = self.lines.furniture(self.furniture_articles)
        if self._placed_furniture:
            known = known | self._placed_furniture
        return furniture_in(lines, outlet_key, known)

    def printed_by(self, outlet_key: str, lines: Collection[str]) -> dict[str, int]:
        """How many of the outlet's articles print each of these lines, stored (as of the
        snapshot) and placed by this batch."""
        salt = outlet_salt(outlet_key)
        keyed = [(line, paragraph_hash(line) ^ salt) for line in lines]
        stored = self.lines.counts([key for _, key in keyed]).tolist()
        return {
            line: count + self._placed_lines[key]
            for (line, key), count in zip(keyed, stored, strict=True)
        }

    def open_keys(self, keys: tuple[int, ...]) -> int:
        """How many of a text's passage keys are not full (``index.MemoryIndex.open_keys``)."""
        return self.index.open_keys(keys)

    # --- what is worth reading ------------------------------------------------------------

    def worth_reading(
        self,
        fingerprints: Iterable[Fingerprint],
        key_counts: dict[int, int],
        thresholds: Thresholds,
    ) -> set[int]:
        """Of the versions the postings found (``key_counts``: version -> its number of
        keys), those some file shares enough passages with to be worth a comparison: only
        these are read, with their bodies. As a database grows ever more texts share a stray
        phrase with a new one."""
        fingerprints = list(fingerprints)
        self.index.share_with([fp.keys for fp in fingerprints])
        worth: set[int] = set()
        for fp in fingerprints:
            keys = self.index.open_keys(fp.keys)
            worth.update(
                v
                for v, n in self.index.shared(fp.keys).items()
                if v in key_counts and overlap(n, keys, key_counts[v], thresholds) is not None
            )
        return worth

    def worth_reading_after(
        self,
        fingerprints: Collection[Fingerprint],
        new_versions: Collection[int],
        moved_articles: Collection[int],
        thresholds: Thresholds,
    ) -> set[int]:
        """After a catch-up added ``new_versions`` (without bodies): the versions whose
        bodies matching may now compare. Those with a batch file's text, those a file shares
        enough passages with, and every version of the articles that moved."""
        hashes = {fp.content_hash for fp in fingerprints}
        wanted = {v for v in new_versions if self.versions[v].content_hash in hashes}
        if new_versions:
            for fp in fingerprints:
                shared = self.index.shared(fp.keys)
                found = [(self.versions[v], n) for v, n in shared.items() if v in new_versions]
                keys = self.index.open_keys(fp.keys)
                wanted.update(v.version_id for v in plausible(found, keys, thresholds))
        for article_id in moved_articles:
            wanted |= set(self.by_article.get(article_id, ()))
        return wanted & self.without_body

    # --- placing verdicts --------------------------------------------------------------------

    def place(
        self,
        verdict: Verdict,
        article: ParsedArticle,
        fp: Fingerprint,
        position: int,
        seen_at: datetime | None = None,
    ) -> Placement:
        """What a verdict means for the catalog: a new article, a new version, or a moved
        pointer. New rows get placeholder ids, fixed by the file's ``position`` in its batch
        (so placing the batch again gives the same ids); later files of the batch see them,
        first seen at ``seen_at``."""
        outcome = verdict.outcome
        if outcome in (Outcome.NEW, Outcome.NEAR_DUPLICATE) and verdict.article_id is None:
            return self._new_version(
                placeholder_article(position), 1, article, fp, position, seen_at, new_article=True
            )
        if outcome is Outcome.EDITED and verdict.article_id is not None:
            article_id = verdict.article_id
            state = self.articles[article_id]
            if article_id >= 0:
                self._before_placing.setdefault(
                    article_id, ArticleState(state.current, state.count)
                )
            if verdict.version_id is not None:  # a revert to an earlier text
                reverted_to = verdict.matched.number if verdict.matched else state.current
                state.current = reverted_to
                return Placement(article_id, verdict.version_id, reverted_to)
            return self._new_version(article_id, state.count + 1, article, fp, position, seen_at)
        kept = verdict.matched.number if verdict.matched else None
        return Placement(verdict.article_id, verdict.version_id, kept)

    def _new_version(
        self,
        article_id: int,
        number: int,
        article: ParsedArticle,
        fp: Fingerprint,
        position: int,
        seen_at: datetime | None,
        *,
        new_article: bool = False,
    ) -> Placement:
        version_id = placeholder_version(position)
        self.add_version(
            KnownVersion(
                version_id=version_id,
                article_id=article_id,
                number=number,
                outlet_key=article.outlet_key,
                headline=article.headline,
                body=article.body,
                content_hash=fp.content_hash,
                key_count=len(fp.keys),
                is_current=True,
                published=article.published,
                first_seen_at=seen_at,
                url=article.url,
                outlet=article.outlet,
            )
        )
        self.articles[article_id] = ArticleState(number, number)
        self.index.add(version_id, fp.keys)
        if new_article and fp.line_keys:
            self._count_lines(fp.line_keys)
        return Placement(article_id, version_id, number, new_article, True)

    def _count_lines(self, keys: tuple[int, ...]) -> None:
        """A new article's lines: those now printed by enough articles are furniture."""
        self._placed_lines.update(keys)
        self.count_stored_lines(keys)
        self._placed_furniture.update(
            key
            for key in keys
            if self._stored_lines.get(key, 0) + self._placed_lines[key] >= self.furniture_articles
        )

    def count_stored_lines(self, keys: Collection[int]) -> None:
        """Look up how many stored articles print each of these lines, if not yet known. A
        batch's are looked up at once, before it is placed: a look-up per article cost more
        than the rest of placing it."""
        wanted = [k for k in keys if k not in self._looked_up]
        if not wanted:
            return
        self._looked_up.update(wanted)
        counts = self.lines.counts(wanted).tolist()
        self._stored_lines.update((k, n) for k, n in zip(wanted, counts, strict=True) if n)

    def drop_placed(self) -> None:
        """Forget every placed version and article, and put moved pointers back: the
        catalog is the stored view again, to place a batch anew."""
        placed = {v for v in self.versions if v < 0}
        if placed:
            self.index.remove(placed)
        for version_id in placed:
            version = self.versions.pop(version_id)
            self.by_hash[version.content_hash].remove(version_id)
            self.by_article[version.article_id].remove(version_id)
            if version.url:
                self.by_url[version.url].remove(version_id)
        for article_id in [a for a in self.articles if a < 0]:
            del self.articles[article_id]
            self.by_article.pop(article_id, None)
        for article_id, state in self._before_placing.items():
            self.articles[article_id] = state
        self._before_placing.clear()
        self._placed_lines.clear()
        self._placed_furniture.clear()


def placeholder_article(position: int) -> int:
    """The id an article created by the file at ``position`` has until it is written."""
    return -(2 * position + 1)


def placeholder_version(position: int) -> int:
    return -(2 * position + 2)
