"""What a change report reads: the versions its edits and copies point at, articles' heads,
where copied stories spread, and what a revert went back from.

Methods of a transaction (``store.transaction``), returning the store's typed rows.
"""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, Connection, select

from newswatch.store.rows import ArticleRow, VersionRow
from newswatch.store.schema import articles, files, sightings, versions
from newswatch.store.sql import in_chunks


class ReportReads:
    """What a run's report reads."""

    conn: Connection

    def versions_of(self, article_ids: Collection[int]) -> dict[int, dict[int, VersionRow]]:
        """Every version of these articles: article id -> version number -> version."""
        found: dict[int, dict[int, VersionRow]] = {}
        for chunk in in_chunks(sorted(article_ids)):
            for row in self.conn.execute(select(versions).where(versions.c.article_id.in_(chunk))):
                version = VersionRow(*row)
                found.setdefault(version.article_id, {})[version.number] = version
        return found

    def articles_by_id(self, article_ids: Collection[int]) -> dict[int, ArticleRow]:
        """These articles, in few queries (``_by_ids``)."""
        wanted = set(article_ids)
        return {
            row.id: ArticleRow(*row)
            for where in _by_ids(articles.c.id, wanted)
            for row in self.conn.execute(select(articles).where(where))
            if row.id in wanted
        }

    def headlines_of(self, article_ids: Collection[int]) -> dict[int, tuple[str | None, str]]:
        """These articles' outlets and headlines: all a new article's line in the report
        needs (a run's new articles are most of its files; their whole rows cost more)."""
        wanted = set(article_ids)
        columns = (articles.c.id, articles.c.outlet, articles.c.headline)
        return {
            row.id: (row.outlet, row.headline)
            for where in _by_ids(articles.c.id, wanted)
            for row in self.conn.execute(select(*columns).where(where))
            if row.id in wanted
        }

    def urls_of(self, article_ids: Collection[int]) -> dict[int, str]:
        """The URL each of these articles' first version gives, where it gives one."""
        wanted = set(article_ids)
        given = versions.c.source_url.is_not(None) & (versions.c.number == 1)
        return {
            row.article_id: row.source_url
            for where in _by_ids(versions.c.article_id, wanted)
            for row in self.conn.execute(
                select(versions.c.article_id, versions.c.source_url).where(where & given)
            )
            if row.article_id in wanted
        }

    def numbers_before_run(self, article_ids: Collection[int], run_id: int) -> dict[int, int]:
        """The version each article was last seen at before ``run_id`` (a revert's "before")."""
        before: dict[int, int] = {}
        for chunk in in_chunks(sorted(article_ids)):
            for seen in self.conn.execute(
                select(sightings.c.article_id, versions.c.number)
                .join(versions, versions.c.id == sightings.c.version_id)
                .where(sightings.c.article_id.in_(chunk), sightings.c.run_id < run_id)
                .order_by(sightings.c.id)
            ):
                before[seen.article_id] = seen.number  # the last one before the run wins
        return before

    def copies_of(self, originals: Collection[int]) -> dict[int, list[ArticleRow]]:
        """Each original's copies from other outlets, oldest first."""
        copies: dict[int, list[ArticleRow]] = {}
        for chunk in in_chunks(sorted(originals)):
            for row in self.conn.execute(
                select(articles)
                .where(articles.c.near_duplicate_of.in_(chunk))
                .order_by(articles.c.first_seen_at, articles.c.id)
            ):
                copy = ArticleRow(*row)
                assert copy.near_duplicate_of is not None
                copies.setdefault(copy.near_duplicate_of, []).append(copy)
        for listed in copies.values():
            listed.sort(key=lambda a: (a.first_seen_at, a.id))
        return copies

    def a_file_of(self, article_ids: Collection[int]) -> dict[int, str]:
        """One file holding each article (the first by path)."""
        paths: dict[int, str] = {}
        for chunk in in_chunks(sorted(article_ids)):
            for held in self.conn.execute(
                select(files.c.article_id, files.c.path)
                .where(files.c.article_id.in_(chunk))
                .order_by(files.c.path)
            ):
                paths.setdefault(held.article_id, held.path)
        return paths


def _by_ids(column: ColumnElement[int], wanted: set[int]) -> list[ColumnElement[bool]]:
    """Conditions that select these ids, in few queries. New articles of a run have nearly
    consecutive ids: one range reads them all (85,000 of them in a cold 100,000-file run),
    where IN lists would take hundreds."""
    if not wanted:
        return []
    low, high = min(wanted), max(wanted)
    if high - low < 4 * len(wanted):
        return [column.between(low, high)]
    return [column.in_(chunk) for chunk in in_chunks(sorted(wanted))]
