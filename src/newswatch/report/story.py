"""A story's life: every version of one article with what changed in it, its reverts, and
its copies by other outlets (``newswatch story``, the pictures in the run report).

:class:`Story` is what ``newswatch story --format json`` prints, and what the time line
(``timeline.py``) draws. Each version is compared with the one before it by the same diff
the run report uses (``changes.diff``), or read from ``edits``, where each run's report
stores what its diffs found; a copy is placed against the original's version it is most
like (``match.similarity.most_alike``), as the report does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from newswatch.changes.diff import VersionDiff, diff_stored
from newswatch.match.similarity import most_alike
from newswatch.read.parse import title_from_body
from newswatch.report.model import ChangeReport
from newswatch.report.sentences import aware
from newswatch.store import Store
from newswatch.store.rows import EditRow
from newswatch.store.sql import in_chunks
from newswatch.store.stories import StoryRows, stories_of

ChangeKind = Literal["numbers", "quotes", "headline", "text"]
KINDS: tuple[ChangeKind, ...] = ("numbers", "quotes", "headline", "text")
"""Most telling first: a version's mark takes the colour of the first kind it changed."""

STORIES_AT_ONCE = 200
"""Stories read and built together for a run's report; their texts are dropped after."""


class VersionCounts(BaseModel):
    """How much a version changed from the one before it."""

    numbers: int = Field(description="Numbers changed (25 → 27 people dead is one).")
    quotes: int = Field(description="Quotations added, removed or reworded.")
    headline: bool = Field(description="The headline changed.")
    sentences_added: int
    sentences_deleted: int
    sentences_updated: int
    sentences_moved: int

    @property
    def size(self) -> int:
        """Sentences that changed, and the headline: what a mark's size shows."""
        return (
            self.sentences_added
            + self.sentences_deleted
            + self.sentences_updated
            + self.sentences_moved
            + int(self.headline)
        )


class StoryVersion(BaseModel):
    version: int
    first_seen: datetime
    headline: str = Field(description="The headline, or the first words of a text with none.")
    words: int
    changed: list[ChangeKind] = Field(
        default_factory=list,
        description="What changed from the version before: numbers, quotes, headline, or "
        "text only (empty for version 1).",
    )
    counts: VersionCounts | None = Field(default=None, description="None for version 1.")
    similarity_to_previous: float | None = None
    url: str | None = Field(default=None, description="The URL its text gave, if any.")


class StoryRevert(BaseModel):
    """A text seen again that equals an earlier version (no new version is stored)."""

    seen_at: datetime
    from_version: int | None
    to_version: int
    path: str


class StoryCopy(BaseModel):
    article_id: int
    outlet: str | None
    headline: str
    first_seen: datetime
    similarity: float | None
    version_copied: int | None = Field(description="The original's version it is most like.")


class Story(BaseModel):
    """One article's life: ``newswatch story --format json``."""

    article_id: int
    outlet: str | None
    headline: str
    copy_of: int | None = Field(description="The article this one copies, when it is a copy.")
    url: str | None = Field(default=None, description="The URL of its latest text that gave one.")
    versions: list[StoryVersion]
    reverts: list[StoryRevert] = Field(default_factory=list)
    copies: list[StoryCopy] = Field(default_factory=list)


Known = Mapping[tuple[int, int, int], VersionDiff]
"""Diffs already made, by article id, older and newer version."""


def known_diffs(report: ChangeReport) -> dict[tuple[int, int, int], VersionDiff]:
    """The diffs a run's report has just made between consecutive versions."""
    return {
        (c.article_id, c.from_version, c.to_version): c.diff
        for c in report.edits
        if c.to_version == c.from_version + 1
    }


def changed_kinds(counts: VersionCounts) -> list[ChangeKind]:
    kinds: list[ChangeKind] = []
    if counts.numbers:
        kinds.append("numbers")
    if counts.quotes:
        kinds.append("quotes")
    if counts.headline:
        kinds.append("headline")
    return kinds or ["text"]


def counts_of(diff: VersionDiff) -> VersionCounts:
    sentences = diff.sentences
    return VersionCounts(
        numbers=len(diff.numbers),
        quotes=len(diff.quotes),
        headline=diff.headline_changed,
        sentences_added=sentences["added"],
        sentences_deleted=sentences["deleted"],
        sentences_updated=sentences["updated"],
        sentences_moved=sentences["moved"],
    )


def counts_stored(edit: EditRow) -> VersionCounts:
    return VersionCounts(
        numbers=edit.numbers_changed,
        quotes=edit.quotes_changed,
        headline=bool(edit.headline_changed),
        sentences_added=edit.sentences_added,
        sentences_deleted=edit.sentences_deleted,
        sentences_updated=edit.sentences_updated,
        sentences_moved=edit.sentences_moved,
    )


def edit_row(article_id: int, version: int, counts: VersionCounts) -> EditRow:
    """What to store of an edit (``edits``), so it is not diffed again."""
    return EditRow(
        article_id,
        version,
        counts.numbers,
        counts.quotes,
        counts.headline,
        counts.sentences_added,
        counts.sentences_deleted,
        counts.sentences_updated,
        counts.sentences_moved,
    )


def story_diffs(rows: StoryRows) -> dict[int, VersionDiff]:
    """Each version's diff from the one before it, by its number (for the story page)."""
    by_number = {v.number: v for v in rows.versions}
    return {
        number: diff_stored(by_number[number - 1], by_number[number])
        for number in sorted(by_number)
        if number - 1 in by_number
    }


def story_counts(rows: StoryRows, known: Known | None = None) -> dict[int, VersionCounts]:
    """What each version changed from the one before it, by its number: as stored in
    ``edits``, else from a ``known`` diff, else diffed now."""
    known = known or {}
    by_number = {v.number: v for v in rows.versions}
    counts = {}
    for number in sorted(by_number):
        if number - 1 not in by_number:
            continue
        if number in rows.edits:
            counts[number] = counts_stored(rows.edits[number])
            continue
        diff = known.get((rows.article.id, number - 1, number))
        counts[number] = counts_of(diff or diff_stored(by_number[number - 1], by_number[number]))
    return counts


def revert_diffs(rows: StoryRows) -> dict[int, VersionDiff]:
    """Each revert's diff, from the version it left to the one it went back to, by its
    place among the article's reverts."""
    by_number = {v.number: v for v in rows.versions}
    return {
        index: diff_stored(by_number[r.from_version], by_number[r.to_version])
        for index, r in enumerate(rows.reverts)
        if r.from_version in by_number
        and r.to_version in by_number
        and r.from_version != r.to_version
    }


def build_story(rows: StoryRows, counts: Mapping[int, VersionCounts]) -> Story:
    """The story of one article from its stored rows and what each version changed."""
    article = rows.article
    bodies = {v.number: v.body for v in rows.versions}
    versions = []
    for version in rows.versions:
        changed = counts.get(version.number)
        versions.append(
            StoryVersion(
                version=version.number,
                first_seen=aware(version.first_seen_at),
                headline=version.headline or title_from_body(version.body.split("\n\n")),
                words=len(version.body.split()),
                changed=changed_kinds(changed) if changed is not None else [],
                counts=changed,
                similarity_to_previous=version.similarity_to_previous,
                url=version.source_url,
            )
        )
    return Story(
        article_id=article.id,
        outlet=article.outlet,
        headline=article.headline,
        copy_of=article.near_duplicate_of,
        url=next((v.url for v in reversed(versions) if v.url), None),
        versions=versions,
        reverts=[
            StoryRevert(
                seen_at=aware(r.seen_at),
                from_version=r.from_version,
                to_version=r.to_version,
                path=r.path,
            )
            for r in rows.reverts
        ],
        copies=[
            StoryCopy(
                article_id=copy.article.id,
                outlet=copy.article.outlet,
                headline=copy.article.headline,
                first_seen=aware(copy.article.first_seen_at),
                similarity=copy.article.near_duplicate_similarity,
                version_copied=most_alike(bodies, copy.body),
            )
            for copy in rows.copies
        ],
    )


def read_stories(
    store: Store, article_ids: Collection[int], known: Known | None = None
) -> Iterator[tuple[Story, list[EditRow]]]:
    """Stories of these articles, read and built ``STORIES_AT_ONCE`` at a time (their texts
    dropped after each chunk), each with the edits diffed for it that ``edits`` lacks."""
    for chunk in in_chunks(sorted(article_ids), STORIES_AT_ONCE):
        with store.reading() as conn:
            found = stories_of(conn, chunk)
        for article_id, rows in found.items():
            counts = story_counts(rows, known)
            unstored = [
                edit_row(article_id, n, c) for n, c in counts.items() if n not in rows.edits
            ]
            yield build_story(rows, counts), unstored


def report_stories(
    report: ChangeReport, store: Store, known: Known | None = None
) -> tuple[dict[int, Story], list[EditRow]]:
    """The story of every article the run edited, and of every original it found copied;
    and the edits diffed on the way that ``edits`` lacks (the flow stores them)."""
    wanted = {c.article_id for c in report.edits}
    wanted |= {n.copies_article_id for n in report.near_duplicates}
    stories, unstored = {}, []
    for story, edits in read_stories(store, wanted, known):
        stories[story.article_id] = story
        unstored += edits
    return stories, unstored
