"""A run's change report: what the files, the Prefect artifacts, events and alerts say.

Built once per run (``report.build``) and rendered by ``markdown``, ``html`` and the flow's
artifacts; ``run-N.json`` is this model, with a published JSON Schema (``schemas/``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from newswatch.changes.diff import VersionDiff
from newswatch.models import FileResult, Outcome, RunSummary

SCHEMA_VERSION = 2
"""2: the run's own fields are its :class:`RunSummary`, under ``run``."""


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
    reason: str | None = Field(
        default=None,
        description="Why the text joined the article where its words alone did not: a "
        "rewrite's evidence ('rewrite: headline 0.50, names 15 of 18, quotes 6, numbers 3').",
    )
    url: str | None = Field(
        default=None, description="The article's URL, as its new text gives it."
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
    url: str | None = Field(default=None, description="The copy's URL, as its text gives it.")
    diff: VersionDiff | None = Field(
        default=None, description="The copy against the original: what the copy changed."
    )


class NewArticle(BaseModel):
    article_id: int
    outlet: str | None
    headline: str
    path: str
    url: str | None = Field(default=None, description="The article's URL, as its text gives it.")


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
    """What one ingest run found: its summary, and what changed. ``files`` lists every file
    whose outcome was not ``unchanged``; unchanged files are only counted (a 100,000-file
    folder re-run is 100,000 rows of nothing)."""

    schema_version: int = SCHEMA_VERSION
    run: RunSummary
    flow_run_id: str | None = None
    files: list[FileResult]
    edits: list[ArticleChange]
    near_duplicates: list[NearDuplicateLink]
    new_articles: list[NewArticle] = Field(default_factory=list)
    spread: list[Spread] = Field(
        default_factory=list, description="For each original copied in this run."
    )
    unpublished_runs: list[int] = Field(
        default_factory=list,
        description="Earlier runs the Prefect server went away from: their artifacts and "
        "events were never published (their report files hold everything).",
    )
    claims_withheld: int = Field(
        default=0,
        description="Number and quotation changes the diffs found but the two texts did not "
        "bear out: left out of every edit, copy, event and alert, and only counted here.",
    )

    @property
    def rejected(self) -> list[FileResult]:
        return [f for f in self.files if f.outcome is Outcome.REJECTED]

    @property
    def name(self) -> str:
        return f"run-{self.run.run_id}"

    @property
    def seconds(self) -> float:
        return (self.run.finished_at - self.run.started_at).total_seconds()


@dataclass(frozen=True)
class Totals:
    """How many of each a run's report holds. A streamed run keeps only the head of each
    list in memory (what the UI shows); its summary counts from these."""

    files: int
    edits: int
    near_duplicates: int
    new_articles: int
    rejected: int

    @classmethod
    def of(cls, report: ChangeReport) -> Totals:
        return cls(
            files=len(report.files),
            edits=len(report.edits),
            near_duplicates=len(report.near_duplicates),
            new_articles=len(report.new_articles),
            rejected=len(report.rejected),
        )


def json_schema() -> dict[str, object]:
    """The published schema of ``reports/run-N.json`` (also in ``schemas/``)."""
    schema = ChangeReport.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://newswatch.invalid/schemas/change-report.schema.json"
    return schema


def load(path: Path) -> ChangeReport:
    return ChangeReport.model_validate(json.loads(path.read_text(encoding="utf-8")))
