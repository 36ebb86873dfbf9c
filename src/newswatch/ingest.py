"""The steps of one ingest run, as plain functions the Prefect flow arranges into tasks.

    plan     scan the folder and split files into unchanged (same path, size and mtime as
             recorded: answered from one query, nothing read) and files to read
    prepare  read, parse and fingerprint a batch of files, across processes (pure CPU)
    store    match and store a batch in one transaction
    finish   close the run with its counts

``run`` chains them without Prefect, for tests and benchmarks; ``flows/ingest.py`` is the
same chain with one task per batch and the report attached as artifacts.
"""

from __future__ import annotations

import gc
import os
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

from pydantic import BaseModel, Field, PrivateAttr
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from newswatch import store
from newswatch.batch import Batch
from newswatch.errors import RejectedFile
from newswatch.fingerprint import Fingerprint, fingerprint, raw_hash
from newswatch.match import Outcome, Thresholds, decide
from newswatch.parse import ParsedArticle, parse
from newswatch.scan import FileStat, read_bytes, scan
from newswatch.settings import Settings


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


class RunSummary(BaseModel):
    """What a run did. The flow returns it; ``results`` has one entry per file seen."""

    run_id: int
    watch_dir: str
    database: str = Field(description="The database URL with any password masked.")
    started_at: datetime
    finished_at: datetime
    counts: dict[str, int]
    settling: list[str] = Field(default_factory=list)
    # Not model fields: Prefect walks every field of a flow's return value looking for
    # futures, which cost 0.9 s per 10,000 files at the end of each run. And files skipped
    # as unchanged stay (path, record) pairs until someone asks for them: building 100,000
    # result objects was a third of a no-change re-run.
    _read: list[FileResult] = PrivateAttr(default_factory=list)
    _skipped: list[tuple[str, store.KnownFile]] = PrivateAttr(default_factory=list)
    _all: list[FileResult] | None = PrivateAttr(default=None)

    @property
    def results(self) -> list[FileResult]:
        """One result per file seen, sorted by path."""
        if self._all is None:
            skipped = [_unchanged(path, seen) for path, seen in self._skipped]
            self._all = sorted([*self._read, *skipped], key=lambda r: r.path)
        return self._all

    @property
    def changed(self) -> list[FileResult]:
        """The files whose outcome was not ``unchanged``, sorted by path."""
        return sorted(
            (r for r in self._read if r.outcome is not Outcome.UNCHANGED), key=lambda r: r.path
        )

    def with_results(
        self, read: list[FileResult], skipped: list[tuple[str, store.KnownFile]]
    ) -> RunSummary:
        self._read, self._skipped, self._all = read, skipped, None
        return self


@dataclass(frozen=True, slots=True)
class Prepared:
    file: FileStat
    raw_hash: str
    article: ParsedArticle
    fingerprint: Fingerprint


@dataclass(frozen=True, slots=True)
class Refused:
    file: FileStat
    raw_hash: str | None
    error: RejectedFile


@dataclass
class Plan:
    run_id: int
    watch_dir: str
    started_at: datetime
    to_read: list[FileStat]
    results: list[FileResult] = field(default_factory=list)
    """Files refused by the scan."""
    skipped: list[tuple[str, store.KnownFile]] = field(default_factory=list)
    """Files with the size and mtime recorded last time: unchanged, not read."""
    settling: list[str] = field(default_factory=list)

    def batches(self, size: int) -> Iterator[list[FileStat]]:
        for start in range(0, len(self.to_read), size):
            yield self.to_read[start : start + size]

    def batches_ahead(self, size: int) -> Iterator[tuple[list[FileStat], list[FileStat]]]:
        """Each batch with the one after it (empty at the end), to prepare it ahead."""
        batches = list(self.batches(size))
        for index, batch in enumerate(batches):
            yield batch, batches[index + 1] if index + 1 < len(batches) else []


ProgressHook = Callable[[int, int | None], None]
"""Called with (files just finished, files to read in all or None when that is unchanged).

The store step calls it once per file (100,000 calls in a 100,000-file run), so it must be
cheap: a progress bar throttles its own redraws. A batch retried after a conflict counts
its files again; a bar caps at the total."""
_progress: ContextVar[ProgressHook | None] = ContextVar("newswatch_progress", default=None)


@contextmanager
def progress_reporting(hook: ProgressHook) -> Iterator[None]:
    """Let the CLI's progress bar hear of each stored file, wherever the flow runs it."""
    token = _progress.set(hook)
    try:
        yield
    finally:
        _progress.reset(token)


def report_progress(files_done: int, files_total: int | None = None) -> None:
    hook = _progress.get()
    if hook is not None:
        hook(files_done, files_total)


def plan(engine: Engine, settings: Settings, flow_run_id: str | None = None) -> Plan:
    started = store.now()  # before the scan: a report's duration includes it
    root = Path(settings.watch_dir)
    found = scan(
        root,
        settle_ns=int(settings.settle_seconds * 1e9),
        now_ns=time.time_ns(),
    )
    watch_dir = os.path.realpath(root)
    known = store.known_files(engine, watch_dir + os.sep)
    run_id = store.start_run(engine, watch_dir, flow_run_id)
    the_plan = Plan(run_id, watch_dir, started, [], settling=found.settling)
    for file in found.files:
        seen = known.get(file.path)
        if seen and seen.size == file.size and seen.mtime_ns == file.mtime_ns:
            the_plan.skipped.append((file.path, seen))
        else:
            the_plan.to_read.append(file)
    if found.refused:
        with store.transaction(engine) as conn:
            batch = Batch(conn, run_id, [], (), thresholds_from(settings))
            for path, error in found.refused:
                error.for_path(path)
                batch.record_file(
                    path=path,
                    size=0,
                    mtime_ns=0,
                    raw_hash=None,
                    outcome=Outcome.REJECTED,
                    reason_code=error.code,
                    reason=error.reason,
                )
                the_plan.results.append(
                    FileResult(
                        path=path,
                        outcome=Outcome.REJECTED,
                        reason=error.reason,
                        reason_code=error.code,
                    )
                )
            batch.flush()
    return the_plan


def _unchanged(path: str, seen: store.KnownFile) -> FileResult:
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


def prepare_one(file: FileStat, max_bytes: int) -> Prepared | Refused:
    """Read, parse and fingerprint one file; a bad file becomes a :class:`Refused`."""
    digest = None
    try:
        data = read_bytes(file, max_bytes)
        digest = raw_hash(data)
        article = parse(data)
        return Prepared(file, digest, article, fingerprint(article))
    except RejectedFile as error:
        return Refused(file, digest, error.for_path(file.path))


def _prepare_chunk(files: Sequence[FileStat], max_bytes: int) -> list[Prepared | Refused]:
    with paused_gc():
        return [prepare_one(f, max_bytes) for f in files]


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a batch is built.

    A batch allocates hundreds of thousands of short-lived objects, which reference
    counting frees; each allocation burst also triggers full collections that walk every
    long-lived object of the run (100,000 results by the end). Pausing the collector
    around a batch made a 30,000-article ingest 16% faster. It runs again after.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_POOL: ProcessPoolExecutor | None = None
_PARALLEL_MIN_FILES = 64  # below this, starting worker processes costs more than it saves
_AHEAD: dict[tuple[str, str, int], list[Future[list[Prepared | Refused]]]] = {}


def _key(files: Sequence[FileStat]) -> tuple[str, str, int]:
    return (files[0].path, files[-1].path, len(files)) if files else ("", "", 0)


def prepare_ahead(files: Sequence[FileStat], settings: Settings) -> None:
    """Start reading and parsing a batch in the worker processes and return at once.

    The flow asks for batch i+1 before storing batch i, so the workers parse while the
    main process writes: on two cores that overlap is most of the speed.
    """
    global _POOL
    if settings.workers <= 1 or len(files) < _PARALLEL_MIN_FILES or _key(files) in _AHEAD:
        return
    if _POOL is None:
        _POOL = ProcessPoolExecutor(settings.workers, mp_context=get_context("forkserver"))
    # Smaller pieces than one per worker: the pool stays busy while results are collected.
    size = max(16, -(-len(files) // (settings.workers * 4)))
    _AHEAD[_key(files)] = [
        _POOL.submit(_prepare_chunk, files[i : i + size], settings.max_file_bytes)
        for i in range(0, len(files), size)
    ]


def prepare(files: Sequence[FileStat], settings: Settings) -> list[Prepared | Refused]:
    """A batch read, parsed and fingerprinted: across processes when it is big enough."""
    prepare_ahead(files, settings)
    futures = _AHEAD.pop(_key(files), None)
    if futures is None:
        return _prepare_chunk(files, settings.max_file_bytes)
    prepared: list[Prepared | Refused] = []
    try:
        with paused_gc():  # unpickling a batch is one allocation burst
            for future in futures:
                prepared.extend(future.result())
    except BrokenProcessPool:
        # A worker died (killed, out of memory): redo this batch here, start fresh pools.
        shutdown_workers()
        return _prepare_chunk(files, settings.max_file_bytes)
    return prepared


def shutdown_workers() -> None:
    global _POOL
    for futures in _AHEAD.values():
        for future in futures:
            future.cancel()
    _AHEAD.clear()
    if _POOL is not None:
        _POOL.shutdown(cancel_futures=True)
        _POOL = None


_ATTEMPTS = 6


def store_batch(
    engine: Engine,
    run_id: int,
    prepared: Sequence[Prepared | Refused],
    thresholds: Thresholds,
) -> list[FileResult]:
    """Match and store a batch in one transaction: all of it lands, or none of it.

    A conflict with another writer (a unique key taken first, a lock that timed out) rolls
    the batch back; it is then matched again against what the other writer stored, so each
    file and each version is recorded exactly once.
    """
    for attempt in range(_ATTEMPTS):
        try:
            with paused_gc():
                return _store_batch_once(engine, run_id, prepared, thresholds)
        except (IntegrityError, OperationalError):
            if attempt == _ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt * (1 + random.random()))
    raise AssertionError("unreachable")


def _store_batch_once(
    engine: Engine,
    run_id: int,
    prepared: Sequence[Prepared | Refused],
    thresholds: Thresholds,
) -> list[FileResult]:
    results: list[FileResult] = []
    progress = _progress.get()
    with store.transaction(engine) as conn:
        known = store.files_state(conn, [item.file.path for item in prepared])
        batch = Batch(
            conn,
            run_id,
            [(item.article, item.fingerprint) for item in prepared if isinstance(item, Prepared)],
            {s.article_id for s in known.values() if s.article_id is not None},
            thresholds,
        )
        for item in prepared:
            if progress is not None:
                progress(1, None)
            file, seen = item.file, known.get(item.file.path)
            same_bytes = seen is not None and seen.raw_hash == item.raw_hash
            if same_bytes and seen and (seen.size, seen.mtime_ns) == (file.size, file.mtime_ns):
                # Stored by another run since this one planned (an overlapping run).
                results.append(_unchanged(file.path, seen))
                continue
            if isinstance(item, Refused):
                result, version_id = _rejected(item), None
            elif same_bytes and seen and seen.outcome != Outcome.REJECTED:
                batch.touch_file(file.path, file.size, file.mtime_ns)  # touched: same bytes
                results.append(_unchanged(file.path, seen))
                continue
            else:
                result, version_id = _match_one(batch, item, seen, thresholds)
            batch.record_file(
                path=file.path,
                size=file.size,
                mtime_ns=file.mtime_ns,
                raw_hash=item.raw_hash,
                outcome=result.outcome,
                article_id=result.article_id,
                version_id=version_id,
                matched_article_id=result.matched_article_id,
                similarity=result.similarity,
                reverted=result.reverted,
                reason_code=result.reason_code,
                reason=result.reason,
            )
            results.append(result)
        batch.flush()
    return results


def _rejected(item: Refused) -> FileResult:
    return FileResult(
        path=item.file.path,
        outcome=Outcome.REJECTED,
        reason=item.error.reason,
        reason_code=item.error.code,
    )


def _match_one(
    batch: Batch, item: Prepared, seen: store.KnownFile | None, thresholds: Thresholds
) -> tuple[FileResult, int | None]:
    """Decide one file and buffer its rows; returns its result and the version it holds."""
    verdict = decide(
        item.article,
        item.fingerprint,
        batch,
        path_article_id=seen.article_id if seen else None,
        thresholds=thresholds,
    )
    stored = batch.store(verdict, item.article, item.fingerprint)
    matched = verdict.matched.article_id if verdict.matched else None
    if matched == stored.article_id:
        matched = None if verdict.outcome is Outcome.UNCHANGED else matched
    similarity = round(verdict.similarity, 4) if verdict.similarity is not None else None
    result = FileResult(
        path=item.file.path,
        outcome=verdict.outcome,
        article_id=stored.article_id,
        version=stored.version_number,
        matched_article_id=matched,
        similarity=similarity,
        reverted=verdict.reverted,
    )
    return result, stored.version_id


def finish(
    engine: Engine, the_plan: Plan, results: list[FileResult], database_url: str
) -> RunSummary:
    read = [*the_plan.results, *results]
    counts = Counter(r.outcome.value for r in read)
    counts[Outcome.UNCHANGED.value] += len(the_plan.skipped)
    full_counts = {o.value: counts.get(o.value, 0) for o in Outcome}
    store.finish_run(engine, the_plan.run_id, full_counts)
    return RunSummary(
        run_id=the_plan.run_id,
        watch_dir=the_plan.watch_dir,
        database=store.masked_url(database_url),
        started_at=the_plan.started_at,
        finished_at=store.now(),
        counts=full_counts,
        settling=the_plan.settling,
    ).with_results(read, the_plan.skipped)


def thresholds_from(settings: Settings) -> Thresholds:
    return Thresholds(edit=settings.edit_threshold, containment=settings.containment_threshold)


def run(settings: Settings) -> RunSummary:
    """One ingest run without Prefect: the flow's chain of steps, for tests and benchmarks."""
    engine = store.connect(settings.database_url)
    try:
        the_plan = plan(engine, settings)
        results: list[FileResult] = []
        report_progress(0, len(the_plan.to_read))
        for batch, following in the_plan.batches_ahead(settings.batch_size):
            if following:
                prepare_ahead(following, settings)
            prepared = prepare(batch, settings)
            results.extend(
                store_batch(engine, the_plan.run_id, prepared, thresholds_from(settings))
            )
        return finish(engine, the_plan, results, settings.database_url)
    finally:
        shutdown_workers()
        engine.dispose()
