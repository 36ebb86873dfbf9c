"""What happened to each file in a run, and to the run: the models every step hands on.

``Outcome`` is the one list of outcomes (the database's ``runs`` columns and the reports
are derived from it); ``RunStatus`` the one list of a run's states; ``KnownFile`` is a file
as the last run recorded it; ``FileResult`` what one run did with it; ``RunSummary`` what a
run did, which the change report embeds.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import NamedTuple

from pydantic import BaseModel, Field, PrivateAttr


class Outcome(StrEnum):
    NEW = "new"
    EDITED = "edited"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"
    REJECTED = "rejected"


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    """It stopped on an error, and said so."""
    CRASHED = "crashed"
    """It died without a word (killed, power lost); a later run found it."""


OUTCOME_OF = {outcome.value: outcome for outcome in Outcome}
"""An outcome from its stored text, by a dict look-up: a re-run reads 100,000 of them."""


def utc_now() -> datetime:
    """Every time newswatch records is in UTC."""
    return datetime.now(UTC)


class KnownFile(NamedTuple):
    """A file's recorded state; a tuple, so 100,000 of them are built at C speed."""

    path: str
    size: int
    mtime_ns: int
    raw_hash: str | None
    article_id: int | None
    version_id: int | None
    outcome: Outcome
    version_number: int | None
    reason_code: str | None
    reason: str | None


class FileResult(BaseModel):
    """What happened to one file in one run: one JSON line of ``newswatch ingest --json``."""

    path: str
    outcome: Outcome
    article_id: int | None = None
    version: int | None = None
    matched_article_id: int | None = None
    similarity: float | None = None
    reason: str | None = None
    reason_code: str | None = None
    reverted: bool = False


def unchanged(path: str, seen: KnownFile) -> FileResult:
    # Built without validation (the values come from our own database): a re-run of
    # 100,000 unchanged files makes 100,000 of these, and validation tripled their cost.
    return FileResult.model_construct(
        path=path,
        outcome=Outcome.UNCHANGED,
        article_id=seen.article_id,
        version=seen.version_number,
        matched_article_id=None,
        similarity=None,
        reason=seen.reason,
        reason_code=seen.reason_code,
        reverted=False,
    )


class DeferredFile(BaseModel):
    """A file seen but left for the next run, and why."""

    path: str
    reason: str


class RunSummary(BaseModel):
    """What a run did. The flow returns it; ``results`` has one entry per file seen."""

    run_id: int
    watch_dir: str
    database: str = Field(description="The database URL with any password masked.")
    started_at: datetime
    finished_at: datetime
    counts: dict[str, int]
    deferred: list[DeferredFile] = Field(
        default_factory=list, description="Files still being written: left for the next run."
    )
    found_crashed: list[int] = Field(
        default_factory=list,
        description="Runs this run found dead (killed, or their machine gone) and marked crashed.",
    )
    write_lock_seconds: float = Field(
        default=0.0,
        description="How long this run's batches held the database's write lock, in all "
        "(from taking it to the commit; batches on a Dask cluster are not counted).",
    )
    # Not model fields: Prefect walks every field of a flow's return value looking for
    # futures, which cost 0.9 s per 10,000 files at the end of each run. And files skipped
    # as unchanged stay (path, record) pairs until someone asks for them: building 100,000
    # result objects was a third of a no-change re-run.
    _read: list[FileResult] = PrivateAttr(default_factory=list)
    _skipped: list[tuple[str, KnownFile]] = PrivateAttr(default_factory=list)
    _all: list[FileResult] | None = PrivateAttr(default=None)

    @property
    def results(self) -> list[FileResult]:
        """One result per file seen, sorted by path."""
        if self._all is None:
            skipped = [unchanged(path, seen) for path, seen in self._skipped]
            self._all = sorted([*self._read, *skipped], key=lambda r: r.path)
        return self._all

    @property
    def changed(self) -> list[FileResult]:
        """The files whose outcome was not ``unchanged``, sorted by path."""
        return sorted(
            (r for r in self._read if r.outcome is not Outcome.UNCHANGED), key=lambda r: r.path
        )

    def with_results(
        self, read: list[FileResult], skipped: list[tuple[str, KnownFile]]
    ) -> RunSummary:
        self._read, self._skipped, self._all = read, skipped, None
        return self
