"""One batch of files end to end: prepared, decided without the lock, written under it.

    prepare   read, parse and fingerprint each file (pure CPU)
    decide    match every file against a snapshot of the store, with no lock held
    catch up  add what other writers committed meanwhile, and decide again only the files
              it touches
    write     under the write lock: catch up with the last few commits (usually none), then
              insert the batch

Matching is most of the work and needs no lock, so batches are matched in parallel (by
worker processes, by several ingest processes, or on a Dask cluster) and only take turns
to write. Each file and each version is still recorded exactly once: a writer re-reads,
under the lock, the state of its files and the versions committed since it looked, and
re-decides what they change.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from newswatch.match.catalog import MemoryCatalog
from newswatch.match.fingerprint import Fingerprint
from newswatch.match.rules import Thresholds
from newswatch.models import FileResult, KnownFile, Outcome, RunStatus
from newswatch.pipeline.decide import Decision, decide_batch, recheck
from newswatch.pipeline.prepare import Prepared, Refused, paused_gc, prepare_files
from newswatch.pipeline.progress import ProgressHook
from newswatch.pipeline.rows import to_results, to_write
from newswatch.read.formats import still_there
from newswatch.read.scan import FileStat
from newswatch.settings import Settings
from newswatch.store import RETRYABLE, Reading, Store, Watermark
from newswatch.times import utc_now


class Batch(NamedTuple):
    """Files read, decided and written together, and the batch's place in its run."""

    sequence: int
    files: list[FileStat]


_ATTEMPTS = 6
_CATCH_UP_TRIES = 3
"""Times a writer that finds new commits when it takes the lock lets go, catches up without
the lock, and tries again, before it catches up under the lock instead."""


@dataclass
class BatchTimes:
    """Where a batch's time went: what ``benchmarks/scale.py`` reports."""

    locked_seconds: float = 0.0
    """Time the write lock was held, from taking it to the commit."""
    redecided_files: int = 0
    """Files decided again after other writers' commits."""

    def add(self, other: BatchTimes) -> None:
        self.locked_seconds += other.locked_seconds
        self.redecided_files += other.redecided_files


def ingest_files(
    store: Store,
    run_id: int,
    files: Sequence[FileStat],
    settings: Settings,
    progress: ProgressHook | None = None,
    times: BatchTimes | None = None,
    sequence: int | None = None,
) -> list[FileResult]:
    """One batch of files, from their bytes to their rows (see the module docstring).

    ``sequence`` is the batch's place in its run: batches are matched in parallel but
    written in that order (``store.Writing.write``).
    """
    with paused_gc():
        per_file = prepare_files(files, settings.max_file_bytes)
        prepared = [p for found in per_file for p in found]
        if progress is not None and len(prepared) != len(files):
            if empty := sum(1 for found in per_file if not found):
                progress(empty)  # a WARC read on from its end, with nothing new in it
            progress = _by_file(progress, per_file)
        return store_prepared(
            store, run_id, prepared, settings.thresholds, progress, times, sequence
        )


def _by_file(progress: ProgressHook, per_file: list[list[Prepared | Refused]]) -> ProgressHook:
    """Progress counts files, as the run's total does: a file of several articles (a WARC)
    ticks once, at its first article decided."""
    ticks = iter([n == 0 for found in per_file for n in range(len(found))])

    def hook(done: int, total: int | None = None) -> None:
        counted = sum(next(ticks, False) for _ in range(done))
        if counted or total is not None:
            progress(counted, total)

    return hook


def store_prepared(
    store: Store,
    run_id: int,
    prepared: Sequence[Prepared | Refused],
    thresholds: Thresholds,
    progress: ProgressHook | None = None,
    times: BatchTimes | None = None,
    sequence: int | None = None,
) -> list[FileResult]:
    """Decide a prepared batch without the lock, then write it under the lock."""
    batch = _MatchedBatch.decide(store, prepared, thresholds, progress)
    times = times if times is not None else BatchTimes()
    for attempt in range(_ATTEMPTS):
        try:
            if sequence is not None and not _wait_for_turn(store, run_id, sequence):
                sequence = None  # written already, by an attempt whose result was lost
            for tries_left in range(_CATCH_UP_TRIES, -1, -1):
                with store.reading() as tx:
                    batch.catch_up(tx, times)
                rows = to_write(batch.decisions, batch.catalog, run_id, utc_now(), sequence)
                with store.writing() as locked:
                    locked_at = time.perf_counter()  # the write lock is held from here
                    if tries_left and locked.watermark() != batch.seen:
                        ids = None  # let go of the lock, catch up without it, come back
                    else:
                        if batch.catch_up(locked, times):
                            rows = to_write(
                                batch.decisions, batch.catalog, run_id, utc_now(), sequence
                            )
                        ids = locked.write(rows)
                times.locked_seconds += time.perf_counter() - locked_at  # to the commit
                if ids is not None:
                    return to_results(batch.decisions, ids)
        except RETRYABLE:
            if attempt == _ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt * (1 + random.random()))
    raise AssertionError("unreachable")


@dataclass
class _MatchedBatch:
    """A batch's decisions and what they were made against: the catalog, what the store
    had committed (``seen``) and the files' recorded states (``known``) at that point."""

    decisions: list[Decision]
    catalog: MemoryCatalog
    seen: Watermark
    known: dict[str, KnownFile]
    fingerprints: list[Fingerprint]
    thresholds: Thresholds
    moved: dict[str, KnownFile]
    """New paths whose bytes a file now gone held: that file's record (``moved_files``)."""

    @classmethod
    def decide(
        cls,
        store: Store,
        prepared: Sequence[Prepared | Refused],
        thresholds: Thresholds,
        progress: ProgressHook | None,
    ) -> _MatchedBatch:
        """Every file decided against a snapshot of the store, read with no lock held."""
        fingerprints = [p.fingerprint for p in prepared if isinstance(p, Prepared)]
        catalog = MemoryCatalog()
        with store.reading() as tx:
            known = tx.files_state([item.file.path for item in prepared])
            path_articles = {s.article_id for s in known.values() if s.article_id is not None}
            seen, key_counts = tx.snapshot(
                catalog,
                {fp.content_hash for fp in fingerprints},
                path_articles,
                {key for fp in fingerprints for key in fp.keys},
                {p.article.url for p in prepared if isinstance(p, Prepared) and p.article.url},
            )
            worth = catalog.worth_reading(fingerprints, key_counts, thresholds)
            tx.load_versions(catalog, worth)
            moved = moved_files(tx, catalog, prepared, known)
        known = {**moved, **known}
        catalog.count_stored_lines({key for fp in fingerprints for key in fp.line_keys})
        decisions = decide_batch(prepared, known, catalog, thresholds, progress)
        return cls(decisions, catalog, seen, known, fingerprints, thresholds, moved)

    def catch_up(self, tx: Reading, times: BatchTimes) -> bool:
        """Add what other writers committed since ``seen`` (read in ``tx``, a read or the
        write transaction) and decide again what it touches; False if nothing was new."""
        watched = {a for d in self.decisions for a in d.relies_on() if a >= 0}
        watched |= {d.seen.article_id for d in self.decisions if d.seen and d.seen.article_id}
        now, delta = tx.catch_up(self.catalog, self.seen, watched)
        self.seen = now
        if not delta:
            return False
        wanted = self.catalog.worth_reading_after(
            self.fingerprints, delta.versions, delta.articles, self.thresholds
        )
        tx.load_bodies(self.catalog, wanted)
        if delta.files_moved:
            state = tx.files_state([d.item.file.path for d in self.decisions])
            self.known = {**self.moved, **state}
        self.decisions, redone = recheck(
            self.decisions, self.catalog, self.known, delta, self.thresholds
        )
        times.redecided_files += redone
        return True


def moved_files(
    tx: Reading,
    catalog: MemoryCatalog,
    prepared: Sequence[Prepared | Refused],
    known: dict[str, KnownFile],
) -> dict[str, KnownFile]:
    """The files at paths never recorded whose bytes a recorded file held, at a path no
    longer on disk: that file moved or renamed (or its whole folder did), the same version
    seen again (or the same refusal), not a copy or a revert. Looked up only among the
    articles holding a text equal to the file's, by the files of each article, and among
    the refused files (both indexed)."""
    unknown = [p for p in prepared if p.file.path not in known and p.raw_hash is not None]
    read = [p for p in unknown if isinstance(p, Prepared)]
    refused = [p for p in unknown if isinstance(p, Refused)]
    articles = {
        v.article_id for p in read for v in catalog.with_content(p.fingerprint.content_hash)
    }
    records = tx.files_holding(articles, {p.raw_hash for p in read}) if articles else []
    if refused:
        records += tx.rejected_holding({p.raw_hash for p in refused if p.raw_hash})
    gone: dict[tuple[str, bool], KnownFile] = {}
    for record in records:
        key = (record.raw_hash or "", record.outcome is Outcome.REJECTED)
        if record.raw_hash and key not in gone and not still_there(record.path):
            gone[key] = record
    return {
        p.file.path: gone[found]
        for p in unknown
        if (found := (p.raw_hash or "", isinstance(p, Refused))) in gone
    }


class RunStopped(Exception):
    """The run this batch belongs to failed or ended while the batch waited its turn."""


_TURN_POLL_SECONDS = 0.005
_TURN_PATIENCE_SECONDS = 600
"""How long a batch waits for the batches before it without any of them being written."""


def _wait_for_turn(store: Store, run_id: int, sequence: int) -> bool:
    """Wait until the run's batches before this one are written; False if this one is too.

    The run's state is in the database, so this works across worker processes and Dask
    machines alike. A run marked failed or ended stops the wait, and so does a run whose
    batches stopped being written (a batch that waits for one that will never come).
    """
    last, since = -1, time.monotonic()
    while True:
        with store.reading() as tx:
            written, status = tx.batches_written(run_id)
        if written == sequence:
            return True
        if written > sequence:
            return False
        if status is not RunStatus.RUNNING:
            raise RunStopped(f"run {run_id} is {status}; batch {sequence} was not written")
        if written != last:
            last, since = written, time.monotonic()
        elif time.monotonic() - since > _TURN_PATIENCE_SECONDS:
            raise RunStopped(
                f"batch {sequence} of run {run_id} waited {_TURN_PATIENCE_SECONDS} s "
                f"for batch {written}, which was never written"
            )
        time.sleep(_TURN_POLL_SECONDS)
