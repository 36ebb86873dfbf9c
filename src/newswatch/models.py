"""What happened to each file in a run, and to the run: the models every step hands on.

``Outcome`` is the one list of outcomes (the database's ``runs`` columns and the reports
are derived from it); ``RunStatus`` the one list of a run's states; ``KnownFile`` is a file
as the last run recorded it; ``FileResult`` what one run did with it; ``RunSummary`` what a
run did, which the change report embeds. ``ChangeKind`` is the one list of what an edit
can change; ``VersionCounts`` how much a version changed (what the store keeps of each
edit, and what a story and the outlet figures read); ``Revert`` a text seen again; ``Sighting`` a file read.
"""

from __future__ import annotations

import heapq
import shutil
import weakref
from collections.abc import Iterable, Iterator
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple, Protocol

from pydantic import BaseModel, Field, PrivateAttr


class ResultBatches(Protocol):
    """A run's results a batch at a time (``spool.ResultSpool``)."""

    copied: set[int]

    def batches(self) -> Iterator[list[FileResult]]: ...


class Outcome(StrEnum):
    NEW = "new"
    EDITED = "edited"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    NEAR_DUPLICATE = "near_duplicate"
    REJECTED = "rejected"
    SKIPPED = "skipped"
    """A file of a type newswatch does not read (a PDF, an image): named in every run."""


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    """It stopped on an error, and said so."""
    CRASHED = "crashed"
    """It died without a word (killed, power lost); a later run found it."""


class ChangeKind(StrEnum):
    """What an edit changed, most telling first: a story's picture marks a version by the
    first that applies, an alert asks for one, the outlet figures count each."""

    NUMBERS = "numbers"
    QUOTES = "quotes"
    HEADLINE = "headline"
    TEXT = "text"
    """Sentences or words only: none of the others."""

    @classmethod
    def of(cls, numbers: int, quotes: int, headline: bool) -> list[ChangeKind]:
        """The kinds a change of these counts is, most telling first."""
        found = [cls.NUMBERS] if numbers else []
        found += [cls.QUOTES] if quotes else []
        found += [cls.HEADLINE] if headline else []
        return found or [cls.TEXT]


NOTABLE = (ChangeKind.NUMBERS, ChangeKind.QUOTES, ChangeKind.HEADLINE)
"""The kinds an alert can ask for, and that put an edit's event before plain rewording."""


OUTCOME_OF = {outcome.value: outcome for outcome in Outcome}
"""An outcome from its stored text, by a dict look-up: a re-run reads 100,000 of them."""


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


PART_MARK = "#"
"""Between a file's path and a part's offset in the part's path (``crawl.warc.gz#3172``:
a WARC's record, a JSON line; ``read.parts``)."""


def listing_key(path: str) -> str:
    """The order files are listed in: by path, and the parts of one file by their offset
    (``#345`` before ``#2280``), as the file holds them. The same order as the paths'
    wherever two paths are not parts of one file."""
    head, mark, tail = path.rpartition(PART_MARK)
    return f"{head}{mark}{int(tail):020d}" if mark and head and tail.isdigit() else path


def in_listing_order(
    paths_in_order: Iterable[tuple[str, KnownFile]],
) -> Iterator[tuple[str, KnownFile]]:
    """Records in path order -> in :func:`listing_key` order: each file's parts, which
    path order keeps together, sorted by offset."""
    group: list[tuple[str, KnownFile]] = []
    head = None
    for item in paths_in_order:
        this, mark, tail = item[0].rpartition(PART_MARK)
        key = this if mark and this and tail.isdigit() else None
        if group and key != head:
            yield from sorted(group, key=lambda pair: listing_key(pair[0]))
            group = []
        if key is None:
            yield item
        else:
            group.append(item)
        head = key
    yield from sorted(group, key=lambda pair: listing_key(pair[0]))


def _path(result: FileResult) -> str:
    return listing_key(result.path)


class DeferredFile(BaseModel):
    """A file seen but left for the next run, and why."""

    path: str
    reason: str


class SkippedFile(BaseModel):
    """A file of the folder that newswatch does not read, and why (``unsupported type
    .pdf``): never stored, so named again by every run."""

    path: str
    reason: str

    @property
    def result(self) -> FileResult:
        """Its line of ``newswatch ingest --json``."""
        return FileResult(path=self.path, outcome=Outcome.SKIPPED, reason=self.reason)


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
    skipped_files: list[SkippedFile] = Field(
        default_factory=list,
        description="Files of types newswatch does not read (counted as skipped), in path order.",
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
    # futures, a cost that grows with the files at the end of each run. The files read
    # stay on disk (``spool.ResultSpool``), and so do the files skipped as unchanged, as
    # their records (``pipeline.plan.Unchanged``), until someone asks for them: a
    # no-change re-run builds no result object per file.
    _read: ResultBatches | list[FileResult] = PrivateAttr(default_factory=list)
    _refused: list[FileResult] = PrivateAttr(default_factory=list)
    _skipped: Iterable[tuple[str, KnownFile]] = PrivateAttr(default_factory=list)
    _diffs: Path | None = PrivateAttr(default=None)

    @property
    def diffs_folder(self) -> Path | None:
        """Where the worker processes left the report's diffs (``pipeline.diffs``)."""
        return self._diffs

    @property
    def results(self) -> list[FileResult]:
        """One result per file seen, sorted by path (all in memory: for small runs and
        tests; the report and ``--json`` use :meth:`iter_results`)."""
        return list(self.iter_results())

    def iter_results(self) -> Iterator[FileResult]:
        """One result per file seen, in path order (a file's parts by offset:
        :func:`listing_key`), a batch in memory at a time."""
        # The plan's skipped files are in path order (``pipeline.plan.Unchanged``).
        skipped = (unchanged(path, seen) for path, seen in in_listing_order(self._skipped))
        return heapq.merge(self._iter_read(), skipped, key=_path)

    @property
    def changed(self) -> list[FileResult]:
        """The files whose outcome was not ``unchanged``, sorted by path."""
        return list(self.iter_changed())

    def iter_changed(self) -> Iterator[FileResult]:
        """The files whose outcome was not ``unchanged``, in path order."""
        return (r for r in self._iter_read() if r.outcome is not Outcome.UNCHANGED)

    @property
    def copied(self) -> set[int]:
        """The articles this run found copied (its near duplicates' originals)."""
        if isinstance(self._read, list):
            return {
                r.matched_article_id
                for r in self._read
                if r.outcome is Outcome.NEAR_DUPLICATE and r.matched_article_id
            }
        return self._read.copied

    def _iter_read(self) -> Iterator[FileResult]:
        # Batches are consecutive slices of the plan's files, which are in path order.
        batches = [self._read] if isinstance(self._read, list) else self._read.batches()
        read = (r for batch in batches for r in sorted(batch, key=_path))
        return heapq.merge(sorted(self._refused, key=_path), read, key=_path)

    def with_results(
        self,
        read: ResultBatches | list[FileResult],
        skipped: Iterable[tuple[str, KnownFile]],
        refused: list[FileResult] | None = None,
    ) -> RunSummary:
        self._read, self._skipped, self._refused = read, skipped, list(refused or [])
        return self

    def with_diffs(self, folder: Path | None) -> RunSummary:
        """The folder of the diffs made in worker processes; removed with the summary."""
        self._diffs = folder
        if folder is not None:
            weakref.finalize(self, shutil.rmtree, folder, True)
        return self


class VersionCounts(BaseModel):
    """How much a version changed from the one before it: what a run's report keeps of each
    edit (the ``edits`` table), and what a story and the outlet figures read of it."""

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

    @property
    def kinds(self) -> list[ChangeKind]:
        return ChangeKind.of(self.numbers, self.quotes, self.headline)


class Edit(NamedTuple):
    """An edit: an article's version, and what it changed from the version before."""

    article_id: int
    version: int
    counts: VersionCounts


class Revert(BaseModel):
    """A text seen again that equals an earlier version: no new version, a sighting."""

    seen_at: datetime
    from_version: int | None = Field(description="The version seen last before it.")
    to_version: int
    path: str


class Sighting(BaseModel):
    """One reading of a file that showed a version of an article (``sightings``)."""

    path: str
    outcome: Outcome
    run_id: int
    seen_at: datetime
    reverted: bool
    reason: str | None
