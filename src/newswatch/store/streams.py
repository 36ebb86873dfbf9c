"""Streamed reads, for the research export and the outlet figures alike: every version,
article by article, and every syndicated copy, a few thousand rows in memory at a time.

One query each, read through the driver in slices (``yield_per``; a server-side cursor on
PostgreSQL), so exporting 100,000 versions never holds them all. Versions come ordered by
article and number, so a reader sees each article's versions one after another and can pair
each with the one before it while keeping nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Connection, func, select

from newswatch.store.schema import articles, edits, versions

STREAM_ROWS = 500
"""Rows fetched from the driver at a time (versions are about 4 KB of text each)."""


class StreamedVersion(NamedTuple):
    article_id: int
    outlet: str | None
    outlet_key: str | None
    number: int
    first_seen_at: datetime
    headline: str
    body: str
    source_url: str | None
    encoding: str
    version_count: int
    """The article's number of versions."""


class StreamedCopy(NamedTuple):
    article_id: int
    outlet: str | None
    outlet_key: str | None
    first_seen_at: datetime
    similarity: float | None
    copies_article_id: int
    copies_outlet: str | None
    copies_outlet_key: str | None
    copies_version_count: int


class StreamReads:
    """Every version and copy, streamed: methods of a transaction (``store.transaction``),
    whose snapshot they read."""

    conn: Connection

    def stream_versions(
        self,
        *,
        touched_since: datetime | None = None,
        edited_only: bool = False,
        unstored_edits: bool = False,
    ) -> Iterator[StreamedVersion]:
        """Every version, ordered by article and number (the ``versions`` unique index).

        ``touched_since`` keeps the articles changed at or after it (their older versions too,
        which the versions after it are compared with); ``edited_only`` the articles with more
        than one version; ``unstored_edits`` the articles with an edit ``edits`` lacks.
        """
        query = (
            select(
                versions.c.article_id,
                articles.c.outlet,
                articles.c.outlet_key,
                versions.c.number,
                versions.c.first_seen_at,
                versions.c.headline,
                versions.c.body,
                versions.c.source_url,
                versions.c.encoding,
                articles.c.version_count,
            )
            .join(articles, articles.c.id == versions.c.article_id)
            .order_by(versions.c.article_id, versions.c.number)
        )
        if touched_since is not None:
            query = query.where(articles.c.updated_at >= touched_since)
        if edited_only:
            query = query.where(articles.c.version_count > 1)
        if unstored_edits:
            stored = (
                select(func.count())
                .select_from(edits)
                .where(edits.c.article_id == articles.c.id)
                .scalar_subquery()
            )
            query = query.where(articles.c.version_count > 1 + stored)
        for row in _streamed(self.conn).execute(query):
            yield StreamedVersion._make(row)

    def stream_copies(self, since: datetime | None = None) -> Iterator[StreamedCopy]:
        """Every syndicated copy first seen at or after ``since``, ordered by the original it
        copies (so a reader loads each original's versions once)."""
        original = articles.alias("original")
        query = (
            select(
                articles.c.id,
                articles.c.outlet,
                articles.c.outlet_key,
                articles.c.first_seen_at,
                articles.c.near_duplicate_similarity,
                original.c.id,
                original.c.outlet,
                original.c.outlet_key,
                original.c.version_count,
            )
            .join(original, original.c.id == articles.c.near_duplicate_of)
            .order_by(original.c.id, articles.c.first_seen_at, articles.c.id)
        )
        if since is not None:
            query = query.where(articles.c.first_seen_at >= since)
        for row in _streamed(self.conn).execute(query):
            yield StreamedCopy(*row)

    def bodies(self, article_id: int, numbers: list[int] | None = None) -> dict[int, str]:
        """An article's version texts by number (all, or these)."""
        query = select(versions.c.number, versions.c.body).where(
            versions.c.article_id == article_id
        )
        if numbers is not None:
            query = query.where(versions.c.number.in_(numbers))
        return {row.number: row.body for row in self.conn.execute(query)}


def _streamed(conn: Connection) -> Connection:
    return conn.execution_options(stream_results=True, yield_per=STREAM_ROWS)
