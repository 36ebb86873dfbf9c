"""What a story's picture and the outlet figures read: an article's versions, reverts,
copies and stored edits, per-article facts for every outlet; and the edits a report writes.

Methods of a transaction (``store.transaction``), returning the store's typed rows.
Articles are read in chunks (``sql.in_chunks``), so a run that touched 10,000 stories reads them in a
few dozen queries, and a caller can build and drop them a chunk at a time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, func, select

from newswatch.models import Edit, Revert, VersionCounts
from newswatch.store.reports import ReportReads
from newswatch.store.rows import ArticleRow, VersionRow, stored_edit
from newswatch.store.schema import articles, edits, sightings, versions
from newswatch.store.sql import in_chunks


class CopyRow(NamedTuple):
    """Another outlet's copy of the story, with the text it was first seen with."""

    article: ArticleRow
    body: str


@dataclass
class StoryRows:
    article: ArticleRow
    versions: list[VersionRow]
    reverts: list[Revert]
    copies: list[CopyRow]
    edits: dict[int, VersionCounts]
    """What each version changed from the one before, by number, where it is stored."""


class ArticleFacts(NamedTuple):
    """What the outlet figures need of one article."""

    id: int
    outlet: str | None
    outlet_key: str | None
    version_count: int
    first_seen_at: datetime
    first_edit_at: datetime | None
    """When its version 2 was first seen."""
    copies_outlet: str | None
    """The outlet of the article it copies, when it is a syndicated copy."""
    is_copy: bool


class StoryReads(ReportReads):
    """What a story's picture and the outlet figures read."""

    def stories(self, article_ids: Collection[int]) -> dict[int, StoryRows]:
        """Each article's versions (oldest first), reverts and copies; missing ids are left out."""
        heads = self.articles_by_id(article_ids)
        ids = sorted(heads)
        texts = self.versions_of(ids)
        copies = self.copies_of(ids)
        copy_ids = [c.id for listed in copies.values() for c in listed]
        first_texts = self._first_bodies(copy_ids)
        reverts = self._reverts(ids)
        stored = self.edits_of(ids)
        return {
            article_id: StoryRows(
                article=heads[article_id],
                versions=[texts[article_id][n] for n in sorted(texts.get(article_id, {}))],
                reverts=reverts.get(article_id, []),
                copies=[CopyRow(c, first_texts.get(c.id, "")) for c in copies.get(article_id, [])],
                edits=stored.get(article_id, {}),
            )
            for article_id in ids
        }

    def edits_of(self, article_ids: Collection[int]) -> dict[int, dict[int, VersionCounts]]:
        """The stored edits of these articles: article id -> version -> what it changed."""
        found: dict[int, dict[int, VersionCounts]] = {}
        for chunk in in_chunks(sorted(article_ids)):
            for row in self.conn.execute(select(edits).where(edits.c.article_id.in_(chunk))):
                edit = stored_edit(row)
                found.setdefault(edit.article_id, {})[edit.version] = edit.counts
        return found

    def stored_edits(self, since: datetime | None = None) -> Iterator[Edit]:
        """The stored edits of the articles first seen at or after ``since``, streamed."""
        query = select(edits)
        if since is not None:
            query = query.join(articles, articles.c.id == edits.c.article_id).where(
                articles.c.first_seen_at >= since
            )
        for row in self.conn.execution_options(yield_per=2000).execute(query):
            yield stored_edit(row)

    def _first_bodies(self, article_ids: list[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for chunk in in_chunks(sorted(article_ids)):
            for row in self.conn.execute(
                select(versions.c.article_id, versions.c.body).where(
                    versions.c.article_id.in_(chunk), versions.c.number == 1
                )
            ):
                found[row.article_id] = row.body
        return found

    def _reverts(self, article_ids: list[int]) -> dict[int, list[Revert]]:
        """Each article's reverts, oldest first: the sightings marked ``reverted``, each with
        the version the sighting before it showed."""
        found: dict[int, list[Revert]] = {}
        for chunk in in_chunks(article_ids):
            reverted = {
                row.article_id
                for row in self.conn.execute(
                    select(sightings.c.article_id)
                    .where(sightings.c.article_id.in_(chunk), sightings.c.reverted)
                    .distinct()
                )
            }
            if not reverted:
                continue
            last: dict[int, int] = {}
            for seen in self.conn.execute(
                select(
                    sightings.c.article_id,
                    sightings.c.seen_at,
                    sightings.c.reverted,
                    sightings.c.path,
                    versions.c.number,
                )
                .join(versions, versions.c.id == sightings.c.version_id)
                .where(sightings.c.article_id.in_(sorted(reverted)))
                .order_by(sightings.c.id)
            ):
                if seen.reverted:
                    found.setdefault(seen.article_id, []).append(
                        Revert(
                            seen_at=seen.seen_at,
                            from_version=last.get(seen.article_id),
                            to_version=seen.number,
                            path=seen.path,
                        )
                    )
                last[seen.article_id] = seen.number
        return found

    def article_facts(self, since: datetime | None = None) -> Iterator[ArticleFacts]:
        """Every article first seen at or after ``since``, streamed."""
        second = versions.alias("second")
        original = articles.alias("original")
        query = (
            select(
                articles.c.id,
                articles.c.outlet,
                articles.c.outlet_key,
                articles.c.version_count,
                articles.c.first_seen_at,
                second.c.first_seen_at,
                original.c.outlet,
                articles.c.near_duplicate_of.is_not(None),
            )
            .outerjoin(second, and_(second.c.article_id == articles.c.id, second.c.number == 2))
            .outerjoin(original, original.c.id == articles.c.near_duplicate_of)
            .order_by(articles.c.id)
        )
        if since is not None:
            query = query.where(articles.c.first_seen_at >= since)
        for row in self.conn.execution_options(yield_per=2000).execute(query):
            yield ArticleFacts(*row)

    def revert_counts(self) -> dict[int, int]:
        """Reverts per article, for the articles that have any."""
        return {
            row[0]: int(row[1])
            for row in self.conn.execute(
                select(sightings.c.article_id, func.count())
                .where(sightings.c.reverted, sightings.c.article_id.is_not(None))
                .group_by(sightings.c.article_id)
            )
        }

    def copy_counts(self) -> dict[int, int]:
        """Copies by other outlets per original article, for the originals that have any."""
        return {
            row[0]: int(row[1])
            for row in self.conn.execute(
                select(articles.c.near_duplicate_of, func.count())
                .where(articles.c.near_duplicate_of.is_not(None))
                .group_by(articles.c.near_duplicate_of)
            )
        }
