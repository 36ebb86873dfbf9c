"""A run's change report: built once from the run summary, rendered by ``render.py``.

    build_report    summary + stored versions -> ChangeReport (the JSON, with a JSON Schema)
    write_files     reports/run-N.md, run-N.json and run-N.html, each whole or not at all

The flow builds one report per run and renders it for the files, the artifacts and the log.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, select

from newswatch.changes.diff import VersionDiff, diff_versions
from newswatch.match.similarity import compare
from newswatch.models import FileResult, Outcome, RunSummary
from newswatch.read.parse import title_from_body
from newswatch.report.escaping import md_escape as md_escape  # its home before escaping.py
from newswatch.store.schema import articles, files, sightings, versions

SCHEMA_VERSION = 1


class ArticleChange(BaseModel):
    """One edited article in one run: which versions, and what changed between them."""

    article_id: int
    outlet: str | None
    path: str
    from_version: int
    to_version: int
    reverted: bool = Field(description="The new text equals an earlier version (no new one).")
    similarity: float | None
    diff: VersionDiff
    title: str = Field(
        default="",
        description="The new headline, or the first words of a text that has none.",
    )


class NearDuplicateLink(BaseModel):
    """A syndicated copy seen in this run, the original it copies, and what it changed."""

    path: str
    article_id: int
    outlet: str | None
    headline: str
    copies_article_id: int
    copies_outlet: str | None
    similarity: float | None
    copies_headline: str = ""
    copies_path: str | None = Field(default=None, description="A file holding the original.")
    copies_version: int | None = Field(default=None, description="The original's version.")
    diff: VersionDiff | None = Field(
        default=None, description="The copy against the original: what the copy changed."
    )


class NewArticle(BaseModel):
    article_id: int
    outlet: str | None
    headline: str
    path: str


class SpreadCopy(BaseModel):
    """One outlet's copy of a story, and when newswatch first saw it."""

    article_id: int
    outlet: str | None
    headline: str
    path: str | None
    first_seen_at: datetime
    similarity: float | None


class Spread(BaseModel):
    """Where a story copied in this run has spread: every known copy, oldest first."""

    article_id: int
    outlet: str | None
    headline: str
    path: str | None
    copies: list[SpreadCopy]


class ChangeReport(BaseModel):
    """What one ingest run found. ``files`` lists every file whose outcome was not
    ``unchanged``; unchanged files are only counted (a 100,000-file folder re-run is
    100,000 rows of nothing)."""

    schema_version: int = SCHEMA_VERSION
    run_id: int
    flow_run_id: str | None = None
    watch_dir: str
    database: str = Field(description="Database URL, password masked.")
    started_at: datetime
    finished_at: datetime
    counts: dict[str, int]
    files: list[FileResult]
    edits: list[ArticleChange]
    near_duplicates: list[NearDuplicateLink]
    settling: list[str] = Field(default_factory=list)
    new_articles: list[NewArticle] = Field(default_factory=list)
    spread: list[Spread] = Field(
        default_factory=list, description="For each original copied in this run."
    )

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.outcome is Outcome.REJECTED]

    @property
    def name(self) -> str:
        return f"run-{self.run_id}"


def json_schema() -> dict[str, object]:
    """The published schema of ``reports/run-N.json`` (also in ``schemas/``)."""
    schema = ChangeReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://newswatch.invalid/schemas/change-report.schema.json"
    return schema


# --- building ---------------------------------------------------------------------------------

_Text = tuple[str, str, str | None, str]
"""A stored version: headline, body, outlet, encoding."""


class _Head(BaseModel):
    outlet: str | None
    headline: str
    current_version: int


def build_report(
    summary: RunSummary, engine: Engine, flow_run_id: str | None = None
) -> ChangeReport:
    """Load the versions the run's edits and copies point at, and diff each edit and copy."""
    changed = summary.changed
    edited = [r for r in changed if r.outcome is Outcome.EDITED and r.article_id]
    copies = [r for r in changed if r.outcome is Outcome.NEAR_DUPLICATE and r.article_id]
    created = [r for r in changed if r.outcome is Outcome.NEW and r.article_id]
    originals = sorted({r.matched_article_id for r in copies if r.matched_article_id})
    wanted = {r.article_id for r in edited} | {r.article_id for r in copies} | set(originals)
    stored: dict[int, dict[int, _Text]] = {}
    heads: dict[int, _Head] = {}
    previous: dict[int, int] = {}
    with engine.connect() as conn:
        ids = sorted(i for i in wanted if i is not None)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for row in conn.execute(
                select(
                    versions.c.article_id,
                    versions.c.number,
                    versions.c.headline,
                    versions.c.body,
                    versions.c.outlet,
                    versions.c.encoding,
                ).where(versions.c.article_id.in_(chunk))
            ):
                stored.setdefault(row.article_id, {})[row.number] = (
                    row.headline,
                    row.body,
                    row.outlet,
                    row.encoding,
                )
        heads = _heads(conn, ids)
        reverts = [r for r in edited if r.reverted]
        if reverts:
            # A revert's "before" is the version current before this run.
            for seen in conn.execute(
                select(sightings.c.article_id, versions.c.number)
                .join(versions, versions.c.id == sightings.c.version_id)
                .where(
                    sightings.c.article_id.in_({r.article_id for r in reverts}),
                    sightings.c.run_id < summary.run_id,
                )
                .order_by(sightings.c.id)
            ):
                previous[seen.article_id] = seen.number  # the last one before this run wins
        new_heads = _heads(conn, [r.article_id for r in created if r.article_id])
        spread = _spread(conn, originals, heads)
    pending = []
    for result in edited:
        assert result.article_id is not None and result.version is not None
        texts = stored.get(result.article_id, {})
        to_number = result.version
        if result.reverted:
            from_number = previous.get(result.article_id, max(texts, default=to_number))
        else:
            from_number = max((n for n in texts if n < to_number), default=to_number)
        if from_number in texts and to_number in texts:
            pending.append((result, from_number, to_number, texts[from_number], texts[to_number]))
    # In this process: over two worker processes the 9,851 diffs of a 100,000-file cold
    # ingest took 4.9 s instead of 5.7 s (pickling diffs back costs nearly what computing
    # them does).
    diffs = [_diff(old, new) for _, _, _, old, new in pending]
    edits = [
        ArticleChange(
            article_id=result.article_id or 0,
            outlet=new[2],
            path=result.path,
            from_version=from_number,
            to_version=to_number,
            reverted=result.reverted,
            similarity=result.similarity,
            diff=diff,
            title=new[0] or title_from_body(new[1].split("\n\n")),
        )
        for (result, from_number, to_number, _, new), diff in zip(pending, diffs, strict=True)
    ]
    paths = {s.article_id: s.path for s in spread}
    links = []
    for result in copies:
        assert result.article_id is not None
        own = heads.get(result.article_id)
        original_id = result.matched_article_id or 0
        original = heads.get(original_id)
        original_texts = stored.get(original_id, {})
        copy_text = stored.get(result.article_id, {}).get(result.version or 1)
        base = _closest(original_texts, copy_text) if copy_text else None
        diff = None
        if base is not None and copy_text is not None:
            diff = _diff(original_texts[base], copy_text)
        links.append(
            NearDuplicateLink(
                path=result.path,
                article_id=result.article_id,
                outlet=own.outlet if own else None,
                headline=own.headline if own else "",
                copies_article_id=original_id,
                copies_outlet=original.outlet if original else None,
                similarity=result.similarity,
                copies_headline=original.headline if original else "",
                copies_path=paths.get(original_id),
                copies_version=base,
                diff=diff,
            )
        )
    return ChangeReport(
        run_id=summary.run_id,
        flow_run_id=flow_run_id,
        watch_dir=summary.watch_dir,
        database=summary.database,
        started_at=summary.started_at,
        finished_at=summary.finished_at,
        counts=summary.counts,
        files=changed,
        edits=edits,
        near_duplicates=links,
        settling=summary.settling,
        new_articles=[
            NewArticle(
                article_id=r.article_id,
                outlet=new_heads[r.article_id].outlet,
                headline=new_heads[r.article_id].headline,
                path=r.path,
            )
            for r in created
            if r.article_id in new_heads
        ],
        spread=spread,
    )


def _heads(conn: Connection, ids: list[int]) -> dict[int, _Head]:
    """Outlet, headline and current version of articles, in few queries.

    New articles of a run have nearly consecutive ids: one range query reads them all
    (85,000 of them in a cold 100,000-file run), where IN lists would take hundreds.
    """
    if not ids:
        return {}
    wanted = set(ids)
    query = select(
        articles.c.id, articles.c.outlet, articles.c.headline, articles.c.current_version
    )
    low, high = min(wanted), max(wanted)
    if high - low < 4 * len(wanted):
        chunks = [query.where(articles.c.id.between(low, high))]
    else:
        ordered = sorted(wanted)
        chunks = [
            query.where(articles.c.id.in_(ordered[start : start + 500]))
            for start in range(0, len(ordered), 500)
        ]
    rows = [row for chunk in chunks for row in conn.execute(chunk)]
    return {
        row.id: _Head(outlet=row.outlet, headline=row.headline, current_version=row.current_version)
        for row in rows
        if row.id in wanted
    }


def _spread(conn: Connection, originals: list[int], heads: dict[int, _Head]) -> list[Spread]:
    """Each original's copies from other outlets, oldest first, with a file of each."""
    if not originals:
        return []
    copies: dict[int, list[Any]] = {}
    for row in conn.execute(
        select(
            articles.c.id,
            articles.c.outlet,
            articles.c.headline,
            articles.c.first_seen_at,
            articles.c.near_duplicate_of,
            articles.c.near_duplicate_similarity,
        )
        .where(articles.c.near_duplicate_of.in_(originals))
        .order_by(articles.c.first_seen_at, articles.c.id)
    ):
        copies.setdefault(row.near_duplicate_of, []).append(row)
    ids = set(originals) | {row.id for rows in copies.values() for row in rows}
    paths: dict[int, str] = {}
    for held in conn.execute(
        select(files.c.article_id, files.c.path)
        .where(files.c.article_id.in_(ids))
        .order_by(files.c.path)
    ):
        paths.setdefault(held.article_id, held.path)
    return [
        Spread(
            article_id=original,
            outlet=heads[original].outlet if original in heads else None,
            headline=heads[original].headline if original in heads else "",
            path=paths.get(original),
            copies=[
                SpreadCopy(
                    article_id=row.id,
                    outlet=row.outlet,
                    headline=row.headline,
                    path=paths.get(row.id),
                    first_seen_at=_aware(row.first_seen_at),
                    similarity=row.near_duplicate_similarity,
                )
                for row in copies.get(original, [])
            ],
        )
        for original in originals
    ]


def _closest(versions: dict[int, _Text], copy: _Text) -> int | None:
    """The original's version the copy was made from: the most alike (the original may have
    been edited since, in this very run even; the copy's changes are against its source)."""
    if not versions:
        return None
    return max(versions, key=lambda n: (compare(versions[n][1], copy[1]).ratio, n))


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; newswatch stores every time in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _diff(old: _Text, new: _Text) -> VersionDiff:
    return diff_versions(old[0], old[1].split("\n\n"), new[0], new[1].split("\n\n"), old[3], new[3])


# --- files ------------------------------------------------------------------------------------


def load(path: Path) -> ChangeReport:
    return ChangeReport.model_validate(json.loads(path.read_text(encoding="utf-8")))
