"""Figures per outlet: how much of what it publishes it edits, how soon, what the edits
touch, and how its stories spread (``newswatch outlets``, the ``newswatch-outlets`` table
artifact of each run).

An outlet is its key (``read.text.outlet_key``: its name without case or extra spaces),
shown under the name its first article wrote. Articles
are counted by when they were first seen (``since``); their edits, reverts and copies
whenever those happened. An *edit* is a version after the first; what it changed comes
from the diff the run report uses (``changes.diff``), version against the one before, as
each run's report stores it in ``edits`` (an edit not stored there is diffed here).
The figures are defined for users in ``docs/reports.md`` ("A story's life").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from pydantic import BaseModel, Field

from newswatch.changes.diff import diff_stored
from newswatch.models import ChangeKind, Edit, VersionCounts
from newswatch.read.text import outlet_key
from newswatch.store import Store
from newswatch.store.stories import ArticleFacts
from newswatch.store.streams import StreamedVersion
from newswatch.story.build import Known, counts_of


class OutletFigures(BaseModel):
    """One outlet's figures (``newswatch outlets --json``: a list of these)."""

    outlet: str | None = Field(description="As first written; None for files without one.")
    articles: int
    edited: int = Field(description="Articles with more than one version.")
    edited_share: float | None
    versions_per_edited_median: float | None
    versions_per_edited_max: int | None
    first_edit_median_hours: float | None = Field(
        description="Median time from an edited article's version 1 to its version 2."
    )
    edits: int = Field(description="Versions after the first.")
    edits_numbers_share: float | None
    edits_quotes_share: float | None
    edits_headline_share: float | None
    reverts: int
    copied_by_others: int = Field(description="Copies by other outlets of its articles.")
    copies_of_others: int = Field(description="Its articles that copy another outlet's.")


@dataclass
class _Tally:
    name: str | None
    articles: int = 0
    version_counts: list[int] = field(default_factory=list)
    first_edit_hours: list[float] = field(default_factory=list)
    edits: int = 0
    changed: Counter[ChangeKind] = field(default_factory=Counter)
    """Edits that changed each kind of thing (an edit may count under several)."""
    reverts: int = 0
    copied_by_others: int = 0
    copies_of_others: int = 0

    def figures(self) -> OutletFigures:
        edited = len(self.version_counts)
        return OutletFigures(
            outlet=self.name,
            articles=self.articles,
            edited=edited,
            edited_share=_share(edited, self.articles),
            versions_per_edited_median=median(self.version_counts) if edited else None,
            versions_per_edited_max=max(self.version_counts) if edited else None,
            first_edit_median_hours=(
                round(median(self.first_edit_hours), 3) if self.first_edit_hours else None
            ),
            edits=self.edits,
            edits_numbers_share=_share(self.changed[ChangeKind.NUMBERS], self.edits),
            edits_quotes_share=_share(self.changed[ChangeKind.QUOTES], self.edits),
            edits_headline_share=_share(self.changed[ChangeKind.HEADLINE], self.edits),
            reverts=self.reverts,
            copied_by_others=self.copied_by_others,
            copies_of_others=self.copies_of_others,
        )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


class Tallies:
    """Figures built up one article and one edit at a time (memory: the edited articles'
    version counts and first-edit times, not the articles)."""

    def __init__(
        self,
        reverts: Mapping[int, int],
        copies: Mapping[int, int],
        only: Collection[str] | None = None,
    ) -> None:
        self.reverts, self.copies, self.only = reverts, copies, only
        self.tallies: dict[str, _Tally] = {}
        self.edited: dict[int, str] = {}
        """Edited articles counted, and their outlet's key."""

    def add_article(self, article: ArticleFacts) -> None:
        key = article.outlet_key or ""
        if self.only is not None and key not in self.only:
            return
        tally = self.tallies.setdefault(key, _Tally(article.outlet))
        tally.articles += 1
        if article.version_count > 1:
            self.edited[article.id] = key
            tally.version_counts.append(article.version_count)
            if article.first_edit_at is not None:
                waited = article.first_edit_at - article.first_seen_at
                tally.first_edit_hours.append(waited.total_seconds() / 3600)
        tally.reverts += self.reverts.get(article.id, 0)
        tally.copied_by_others += self.copies.get(article.id, 0)
        tally.copies_of_others += int(article.is_copy)

    def add_edit(self, article_id: int, counts: VersionCounts) -> None:
        tally = self.tallies[self.edited[article_id]]
        tally.edits += 1
        tally.changed.update(counts.kinds)

    def figures(self) -> list[OutletFigures]:
        """Most articles first."""
        ordered = sorted(self.tallies.items(), key=lambda kt: (-kt[1].articles, kt[0]))
        return [tally.figures() for _, tally in ordered]


def unstored_edits(
    versions: Iterable[StreamedVersion],
    wanted: Collection[int],
    stored: Collection[tuple[int, int]],
    known: Known | None = None,
) -> Iterator[Edit]:
    """Each edit of the ``wanted`` articles that is not ``stored`` (by article and version),
    from versions streamed in article and number order: the version against the one before
    it (only that one is kept), by a ``known`` diff or diffed now."""
    known = known or {}
    previous: StreamedVersion | None = None
    for version in versions:
        if version.article_id not in wanted:
            continue
        if (
            previous is not None
            and previous.article_id == version.article_id
            and previous.number == version.number - 1
            and (version.article_id, version.number) not in stored
        ):
            diff = known.get((version.article_id, previous.number, version.number))
            counts = counts_of(diff or diff_stored(previous, version))
            yield Edit(version.article_id, version.number, counts)
        previous = version


def read_figures(
    store: Store,
    since: datetime | None = None,
    outlets: Collection[str | None] | None = None,
    known: Known | None = None,
) -> tuple[list[OutletFigures], list[Edit]]:
    """The figures from the database: articles first seen at or after ``since``, of these
    ``outlets`` (all when None); and the edits diffed for them that ``edits`` lacked.

    Articles, stored edits and the versions of edits not stored are streamed.
    """
    only = None if outlets is None else {outlet_key(o) or "" for o in outlets}
    unstored: list[Edit] = []
    with store.reading() as tx:
        tallies = Tallies(tx.revert_counts(), tx.copy_counts(), only)
        for article in tx.article_facts(since):
            tallies.add_article(article)
        stored: set[tuple[int, int]] = set()
        for edit in tx.stored_edits(since):
            if edit.article_id in tallies.edited:
                tallies.add_edit(edit.article_id, edit.counts)
                stored.add((edit.article_id, edit.version))
        versions = tx.stream_versions(touched_since=since, unstored_edits=True)
        for edit in unstored_edits(versions, tallies.edited, stored, known):
            tallies.add_edit(edit.article_id, edit.counts)
            unstored.append(edit)
    return tallies.figures(), unstored
