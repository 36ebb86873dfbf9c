"""A story from the store: each version compared with the one before it by the same diff
the run report uses (``changes.diff``), or read from ``edits``, where each run's report
stores what its diffs found; a copy placed against the original's version it is most like
(``match.similarity.most_alike``), as the report does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping

from newswatch.changes.diff import VersionDiff, diff_stored
from newswatch.match.similarity import most_alike
from newswatch.models import Edit, VersionCounts
from newswatch.read.parse import title_from_body
from newswatch.store import Store
from newswatch.store.sql import in_chunks
from newswatch.store.stories import StoryRows
from newswatch.story.model import Story, StoryCopy, StoryVersion

STORIES_AT_ONCE = 200
"""Stories read and built together for a run's report; their texts are dropped after."""


Known = Mapping[tuple[int, int, int], VersionDiff]
"""Diffs already made, by article id, older and newer version."""


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
            counts[number] = rows.edits[number]
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
                first_seen=version.first_seen_at,
                headline=version.headline or title_from_body(version.body.split("\n\n")),
                words=len(version.body.split()),
                changed=changed.kinds if changed is not None else [],
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
        reverts=rows.reverts,
        copies=[
            StoryCopy(
                article_id=copy.article.id,
                outlet=copy.article.outlet,
                headline=copy.article.headline,
                first_seen=copy.article.first_seen_at,
                similarity=copy.article.near_duplicate_similarity,
                version_copied=most_alike(bodies, copy.body),
            )
            for copy in rows.copies
        ],
    )


def read_stories(
    store: Store, article_ids: Collection[int], known: Known | None = None
) -> Iterator[tuple[Story, list[Edit]]]:
    """Stories of these articles, read and built ``STORIES_AT_ONCE`` at a time (their texts
    dropped after each chunk), each with the edits diffed for it that ``edits`` lacks."""
    for chunk in in_chunks(sorted(article_ids), STORIES_AT_ONCE):
        with store.reading() as tx:
            found = tx.stories(chunk)
        for article_id, rows in found.items():
            counts = story_counts(rows, known)
            unstored = [Edit(article_id, n, c) for n, c in counts.items() if n not in rows.edits]
            yield build_story(rows, counts), unstored
