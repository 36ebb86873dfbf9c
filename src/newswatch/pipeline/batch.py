"""The steps of one ingest run, as plain functions the Prefect flow arranges into tasks.

    plan     scan the folder, split files into unchanged (same path, size and mtime as
             recorded: answered from one query, nothing read) and files to read, start the run
    batch    one batch of files end to end (:func:`ingest_files`):
               prepare   read, parse and fingerprint each file (pure CPU)
               decide    match every file against a snapshot of the store, with no lock held
               catch up  add what other writers committed meanwhile, and decide again only
                         the files it touches
               write     under the write lock: catch up with the last few commits (usually
                         none), then insert the batch
    finish   close the run with its counts

Matching is most of the work and needs no lock, so batches are matched in parallel (by
``workers`` processes, by several ingest processes, or on a Dask cluster) and only take
turns to write. Each file and each version is still recorded exactly once: a writer
re-reads, under the lock, the state of its files and the versions committed since it
looked, and re-decides what they change.

``run`` chains the steps without Prefect, for tests and benchmarks; ``flows/ingest.py`` is
the same chain with one task per batch and the report attached as artifacts.
"""

from __future__ import annotations

import gc
import os
import random
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from newswatch import store
from newswatch.errors import RejectedFile
from newswatch.match.catalog import Catalog, Placement
from newswatch.match.fingerprint import Fingerprint, fingerprint, raw_hash
from newswatch.match.rules import Thresholds, Verdict, decide, plausible
from newswatch.models import FileResult, KnownFile, Outcome, RunSummary, unchanged
from newswatch.read.parse import ParsedArticle, parse
from newswatch.read.scan import FileStat, read_bytes, scan
from newswatch.settings import Settings
from newswatch.store.rows import ArticleRow, FileRow, SightingRow, VersionRow
from newswatch.store.snapshot import Delta, Watermark
from newswatch.store.writer import BatchWrite, article_key


class ProgressHook(Protocol):
    """Called with the number of files just finished (cheap enough to call once per file),
    and once at the start with the number of files to read as ``total``."""

    def __call__(self, done: int, total: int | None = None) -> None: ...


_progress: ContextVar[ProgressHook | None] = ContextVar("newswatch_progress", default=None)


@contextmanager
def progress_reporting(hook: ProgressHook) -> Iterator[None]:
    """Let the CLI's progress bar hear of each file, wherever the flow decides it."""
    token = _progress.set(hook)
    try:
        yield
    finally:
        _progress.reset(token)


def current_progress() -> ProgressHook | None:
    return _progress.get()


# --- plan ---------------------------------------------------------------------------------------


@dataclass
class Plan:
    run_id: int
    watch_dir: str
    started_at: datetime
    to_read: list[FileStat]
    results: list[FileResult] = field(default_factory=list)
    """Files refused by the scan."""
    skipped: list[tuple[str, KnownFile]] = field(default_factory=list)
    """Files with the size and mtime recorded last time: unchanged, not read."""
    settling: list[str] = field(default_factory=list)

    def batches(self, size: int) -> Iterator[list[FileStat]]:
        for start in range(0, len(self.to_read), size):
            yield self.to_read[start : start + size]


def plan(engine: Engine, settings: Settings, flow_run_id: str | None = None) -> Plan:
    started = store.now()  # before the scan: a report's duration includes it
    root = Path(settings.watch_dir)
    found = scan(root, settle_ns=int(settings.settle_seconds * 1e9), now_ns=time.time_ns())
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
        batch = BatchWrite(run_id, store.now())
        for path, error in found.refused:
            result = _rejected(path, error.for_path(path))
            _record(batch, FileStat(path, 0, 0), None, result, None)
            the_plan.results.append(result)
        with store.transaction(engine) as conn:
            store.write(conn, batch)
    return the_plan


# --- prepare ------------------------------------------------------------------------------------


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


# --- decide -------------------------------------------------------------------------------------


class Action(Enum):
    SKIP = "skip"
    """Stored by another run since this one planned: nothing to do."""
    TOUCH = "touch"
    """The same bytes with a new stat (a ``touch``, a copy): remember the stat."""
    REJECT = "reject"
    MATCH = "match"


@dataclass(slots=True)
class Decision:
    position: int
    item: Prepared | Refused
    seen: KnownFile | None
    action: Action
    verdict: Verdict | None = None
    placement: Placement | None = None

    def relies_on(self) -> set[int]:
        """Ids (stored or placeholder) of the articles and versions its verdict names."""
        verdict = self.verdict
        if verdict is None:
            return set()
        ids = {verdict.article_id, verdict.version_id}
        if verdict.matched is not None:
            ids |= {verdict.matched.article_id, verdict.matched.version_id}
        return {i for i in ids if i is not None}


def decide_file(
    position: int,
    item: Prepared | Refused,
    seen: KnownFile | None,
    catalog: Catalog,
    thresholds: Thresholds,
) -> Decision:
    """What to do with one file, given its recorded state and the catalog."""
    file = item.file
    same_bytes = seen is not None and seen.raw_hash == item.raw_hash
    if same_bytes and seen and (seen.size, seen.mtime_ns) == (file.size, file.mtime_ns):
        return Decision(position, item, seen, Action.SKIP)
    if isinstance(item, Refused):
        return Decision(position, item, seen, Action.REJECT)
    if same_bytes and seen and seen.outcome != Outcome.REJECTED:
        return Decision(position, item, seen, Action.TOUCH)
    verdict = decide(
        item.article,
        item.fingerprint,
        catalog,
        path_article_id=seen.article_id if seen else None,
        thresholds=thresholds,
    )
    placement = catalog.place(verdict, item.article, item.fingerprint, position)
    return Decision(position, item, seen, Action.MATCH, verdict, placement)


def decide_batch(
    prepared: Sequence[Prepared | Refused],
    known: dict[str, KnownFile],
    catalog: Catalog,
    thresholds: Thresholds,
    progress: ProgressHook | None = None,
) -> list[Decision]:
    decisions = []
    for position, item in enumerate(prepared):
        decisions.append(
            decide_file(position, item, known.get(item.file.path), catalog, thresholds)
        )
        if progress is not None:
            progress(1)
    return decisions


def recheck(
    decisions: list[Decision],
    catalog: Catalog,
    known: dict[str, KnownFile],
    delta: Delta,
    thresholds: Thresholds,
) -> tuple[list[Decision], int]:
    """Decide again the files that what other writers committed (``delta``, already in the
    catalog) may change; keep every other decision. Returns the decisions and how many
    were made again.

    A file is decided again when its recorded state moved, when the delta holds its text,
    a version of its path's article or of the article it matched, or a version it shares
    enough passages with, and when it relied on a new article or version of this batch that
    was itself decided again.
    """
    catalog.drop_placed()
    redone: set[int] = set()
    moved: set[int] = set()  # placeholders of files decided again
    out: list[Decision] = []
    for old in decisions:
        item, path = old.item, old.item.file.path
        seen = known.get(path)
        if seen != old.seen or _touched(old, delta, catalog, thresholds) or old.relies_on() & moved:
            new = decide_file(old.position, item, seen, catalog, thresholds)
            redone.add(old.position)
            if new.placement != old.placement and old.placement is not None:
                moved |= {old.placement.article_id or 0, old.placement.version_id or 0} - {0}
        elif old.action is Action.MATCH:
            assert old.verdict is not None and isinstance(item, Prepared)
            placement = catalog.place(old.verdict, item.article, item.fingerprint, old.position)
            new = Decision(old.position, item, seen, Action.MATCH, old.verdict, placement)
        else:
            new = old
        out.append(new)
    return out, len(redone)


def _touched(decision: Decision, delta: Delta, catalog: Catalog, thresholds: Thresholds) -> bool:
    if decision.action is not Action.MATCH:
        return False
    item = decision.item
    assert isinstance(item, Prepared)
    fp = item.fingerprint
    if fp.content_hash in delta.hashes:
        return True
    articles = {decision.seen.article_id} if decision.seen else set()
    articles |= decision.relies_on()
    if articles & delta.articles:
        return True
    if not delta.versions:
        return False
    shared = catalog.index.shared(fp.keys)
    found = [(catalog.versions[v], n) for v, n in shared.items() if v in delta.versions]
    return bool(found and plausible(found, len(fp.keys), thresholds))


# --- write --------------------------------------------------------------------------------------


def to_write(
    decisions: list[Decision],
    catalog: Catalog,
    run_id: int,
    at: datetime,
    sequence: int | None = None,
) -> BatchWrite:
    """The rows a batch's decisions make, with placeholder ids for what it creates."""
    batch = BatchWrite(run_id, at, sequence)
    headlines: dict[int, str] = {}
    for decision in decisions:
        item, action = decision.item, decision.action
        if action is Action.SKIP:
            continue
        if action is Action.TOUCH:
            batch.touched.append((item.file.size, item.file.mtime_ns, item.file.path))
            continue
        if action is Action.REJECT:
            assert isinstance(item, Refused)
            _record(batch, item.file, item.raw_hash, _rejected(item.file.path, item.error), None)
            continue
        assert isinstance(item, Prepared) and decision.verdict and decision.placement
        verdict, placement, article = decision.verdict, decision.placement, item.article
        if placement.new_article:
            near = (
                verdict.matched.article_id
                if verdict.outcome is Outcome.NEAR_DUPLICATE and verdict.matched
                else None
            )
            assert placement.article_id is not None
            batch.articles.append(
                ArticleRow(
                    id=placement.article_id,
                    key=article_key(article.outlet, item.fingerprint.content_hash),
                    outlet=article.outlet,
                    headline=article.title,
                    current_version=1,
                    version_count=1,
                    near_duplicate_of=near,
                    near_duplicate_similarity=verdict.similarity if near else None,
                    first_seen_at=at,
                    updated_at=at,
                )
            )
        if placement.new_version:
            assert placement.version_id is not None and placement.article_id is not None
            batch.versions.append(
                VersionRow(
                    id=placement.version_id,
                    article_id=placement.article_id,
                    number=placement.number or 1,
                    content_hash=item.fingerprint.content_hash,
                    headline=article.headline,
                    outlet=article.outlet,
                    published=article.published,
                    dateline=article.dateline,
                    body=article.body,
                    source_url=article.source_url,
                    encoding=article.encoding,
                    signature=item.fingerprint.signature,
                    similarity_to_previous=None if placement.new_article else verdict.similarity,
                    run_id=run_id,
                    first_seen_at=at,
                )
            )
        if verdict.outcome is Outcome.EDITED and placement.article_id is not None:
            headlines[placement.article_id] = article.title
        _record(batch, item.file, item.raw_hash, None, decision)
    for article_id, headline in headlines.items():
        state = catalog.articles[article_id]
        if article_id >= 0:
            batch.article_updates[article_id] = (state.current, state.count, headline)
        else:  # an article this batch creates, edited in the same batch
            index = next(i for i, row in enumerate(batch.articles) if row.id == article_id)
            batch.articles[index] = batch.articles[index]._replace(
                current_version=state.current, version_count=state.count, headline=headline
            )
    return batch


def _rejected(path: str, error: RejectedFile) -> FileResult:
    return FileResult(
        path=path, outcome=Outcome.REJECTED, reason=error.reason, reason_code=error.code
    )


def _record(
    batch: BatchWrite,
    file: FileStat,
    digest: str | None,
    rejected: FileResult | None,
    decision: Decision | None,
) -> None:
    """A sighting (history) and the file's current state (for the next run's skip)."""
    if rejected is not None:
        outcome, article_id, version_id, matched, similarity, reverted = (
            Outcome.REJECTED,
            None,
            None,
            None,
            None,
            False,
        )
        reason_code, reason = rejected.reason_code, rejected.reason
    else:
        assert decision is not None and decision.verdict and decision.placement
        verdict, placement = decision.verdict, decision.placement
        outcome, article_id, version_id = (
            verdict.outcome,
            placement.article_id,
            placement.version_id,
        )
        matched = _matched_article(verdict, placement)
        similarity = _rounded(verdict.similarity)
        reverted, reason_code, reason = verdict.reverted, None, None
    batch.sightings.append(
        SightingRow(
            run_id=batch.run_id,
            path=file.path,
            size=file.size,
            mtime_ns=file.mtime_ns,
            raw_hash=digest,
            seen_at=batch.at,
            outcome=outcome.value,
            article_id=article_id,
            version_id=version_id,
            matched_article_id=matched,
            similarity=similarity,
            reverted=reverted,
            reason_code=reason_code,
            reason=reason,
        )
    )
    batch.files[file.path] = FileRow(
        path=file.path,
        size=file.size,
        mtime_ns=file.mtime_ns,
        raw_hash=digest,
        outcome=outcome.value,
        article_id=article_id,
        version_id=version_id,
        reason_code=reason_code,
        reason=reason,
        first_seen_at=batch.at,
        updated_at=batch.at,
        run_id=batch.run_id,
    )


def _matched_article(verdict: Verdict, placement: Placement) -> int | None:
    matched = verdict.matched.article_id if verdict.matched else None
    if matched == placement.article_id and verdict.outcome is Outcome.UNCHANGED:
        return None
    return matched


def _rounded(similarity: float | None) -> float | None:
    return round(similarity, 4) if similarity is not None else None


def to_results(decisions: list[Decision], ids: dict[int, int]) -> list[FileResult]:
    """One result per file, with the real ids of what the batch created."""

    def real(value: int | None) -> int | None:
        return ids.get(value, value) if value is not None and value < 0 else value

    results = []
    for decision in decisions:
        item = decision.item
        if decision.action in (Action.SKIP, Action.TOUCH):
            assert decision.seen is not None
            results.append(unchanged(item.file.path, decision.seen))
        elif decision.action is Action.REJECT:
            assert isinstance(item, Refused)
            results.append(_rejected(item.file.path, item.error))
        else:
            assert decision.verdict and decision.placement
            verdict, placement = decision.verdict, decision.placement
            results.append(
                FileResult(
                    path=item.file.path,
                    outcome=verdict.outcome,
                    article_id=real(placement.article_id),
                    version=placement.number,
                    matched_article_id=real(_matched_article(verdict, placement)),
                    similarity=_rounded(verdict.similarity),
                    reverted=verdict.reverted,
                )
            )
    return results


# --- one batch, end to end ----------------------------------------------------------------------

_ATTEMPTS = 6
_CATCH_UP_TRIES = 3
"""Times a writer that finds new commits when it takes the lock lets go, catches up without
the lock, and tries again, before it catches up under the lock instead."""


@dataclass
class BatchTimes:
    """Where a batch's time went: what ``benchmarks/scale.py`` reports."""

    locked_seconds: float = 0.0
    """Time the write lock was held, from taking it to the commit."""
    redecided: int = 0


def ingest_files(
    engine: Engine,
    run_id: int,
    files: Sequence[FileStat],
    settings: Settings,
    progress: ProgressHook | None = None,
    times: BatchTimes | None = None,
    sequence: int | None = None,
) -> list[FileResult]:
    """One batch of files, from their bytes to their rows (see the module docstring).

    ``sequence`` is the batch's place in its run: batches are matched in parallel but
    written in that order (``store.write``).
    """
    with paused_gc():
        prepared = [prepare_one(f, settings.max_file_bytes) for f in files]
        return store_prepared(
            engine, run_id, prepared, thresholds_from(settings), progress, times, sequence
        )


def store_prepared(
    engine: Engine,
    run_id: int,
    prepared: Sequence[Prepared | Refused],
    thresholds: Thresholds,
    progress: ProgressHook | None = None,
    times: BatchTimes | None = None,
    sequence: int | None = None,
) -> list[FileResult]:
    """Decide a prepared batch without the lock, then write it under the lock."""
    batch = _MatchedBatch.decide(engine, prepared, thresholds, progress)
    times = times if times is not None else BatchTimes()
    for attempt in range(_ATTEMPTS):
        try:
            if sequence is not None and not _wait_for_turn(engine, run_id, sequence):
                sequence = None  # written already, by an attempt whose result was lost
            for tries_left in range(_CATCH_UP_TRIES, -1, -1):
                with store.reading(engine) as conn:
                    batch.catch_up(conn, times)
                write = to_write(batch.decisions, batch.catalog, run_id, store.now(), sequence)
                with store.transaction(engine) as conn:
                    locked_at = time.perf_counter()  # the write lock is held from here
                    if tries_left and store.watermark(conn) != batch.seen:
                        ids = None  # let go of the lock, catch up without it, come back
                    else:
                        if batch.catch_up(conn, times):
                            write = to_write(
                                batch.decisions, batch.catalog, run_id, store.now(), sequence
                            )
                        ids = store.write(conn, write)
                times.locked_seconds += time.perf_counter() - locked_at  # to the commit
                if ids is not None:
                    return to_results(batch.decisions, ids)
        except (IntegrityError, OperationalError, store.OutOfTurn):
            if attempt == _ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2**attempt * (1 + random.random()))
    raise AssertionError("unreachable")


@dataclass
class _MatchedBatch:
    """A batch's decisions and what they were made against: the catalog, what the store
    had committed (``seen``) and the files' recorded states (``known``) at that point."""

    decisions: list[Decision]
    catalog: Catalog
    seen: Watermark
    known: dict[str, KnownFile]
    items: list[tuple[ParsedArticle, Fingerprint]]
    thresholds: Thresholds

    @classmethod
    def decide(
        cls,
        engine: Engine,
        prepared: Sequence[Prepared | Refused],
        thresholds: Thresholds,
        progress: ProgressHook | None,
    ) -> _MatchedBatch:
        """Every file decided against a snapshot of the store, read with no lock held."""
        items = [(p.article, p.fingerprint) for p in prepared if isinstance(p, Prepared)]
        with store.reading(engine) as conn:
            known = store.files_state(conn, [item.file.path for item in prepared])
            path_articles = {s.article_id for s in known.values() if s.article_id is not None}
            recent = store.recent_index(engine)
            catalog, seen = store.snapshot(conn, items, path_articles, thresholds, recent)
        decisions = decide_batch(prepared, known, catalog, thresholds, progress)
        return cls(decisions, catalog, seen, known, items, thresholds)

    def catch_up(self, conn: Connection, times: BatchTimes) -> bool:
        """Add what other writers committed since ``seen`` (read on ``conn``, a read or the
        write transaction) and decide again what it touches; False if nothing was new."""
        watched = {a for d in self.decisions for a in d.relies_on() if a >= 0}
        watched |= {d.seen.article_id for d in self.decisions if d.seen and d.seen.article_id}
        now, delta = store.catch_up(
            conn, self.catalog, self.seen, self.items, watched, self.thresholds
        )
        self.seen = now
        if not delta:
            return False
        if delta.files_moved:
            self.known = store.files_state(conn, [d.item.file.path for d in self.decisions])
        self.decisions, redone = recheck(
            self.decisions, self.catalog, self.known, delta, self.thresholds
        )
        times.redecided += redone
        return True


class RunStopped(Exception):
    """The run this batch belongs to failed or ended while the batch waited its turn."""


_TURN_POLL_SECONDS = 0.005
_TURN_PATIENCE_SECONDS = 600
"""How long a batch waits for the batches before it without any of them being written."""


def _wait_for_turn(engine: Engine, run_id: int, sequence: int) -> bool:
    """Wait until the run's batches before this one are written; False if this one is too.

    The run's state is in the database, so this works across worker processes and Dask
    machines alike. A run marked failed or ended stops the wait, and so does a run whose
    batches stopped being written (a batch that waits for one that will never come).
    """
    last, since = -1, time.monotonic()
    while True:
        with store.reading(engine) as conn:
            written, status = store.batches_written(conn, run_id)
        if written == sequence:
            return True
        if written > sequence:
            return False
        if status != "running":
            raise RunStopped(f"run {run_id} is {status}; batch {sequence} was not written")
        if written != last:
            last, since = written, time.monotonic()
        elif time.monotonic() - since > _TURN_PATIENCE_SECONDS:
            raise RunStopped(
                f"batch {sequence} of run {run_id} waited {_TURN_PATIENCE_SECONDS} s "
                f"for batch {written}, which was never written"
            )
        time.sleep(_TURN_POLL_SECONDS)


# --- finish -------------------------------------------------------------------------------------


def finish(
    engine: Engine,
    the_plan: Plan,
    results: list[FileResult],
    database_url: str,
    times: BatchTimes | None = None,
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
        write_lock_seconds=round(times.locked_seconds, 3) if times else 0.0,
    ).with_results(read, the_plan.skipped)


def thresholds_from(settings: Settings) -> Thresholds:
    return Thresholds(edit=settings.edit_threshold, containment=settings.containment_threshold)


def run(settings: Settings, progress: ProgressHook | None = None) -> RunSummary:
    """One ingest run without Prefect: the flow's chain of steps, for tests and benchmarks."""
    from newswatch.pipeline.workers import Workers, in_flight

    engine = store.connect(settings.database_url)
    try:
        the_plan = plan(engine, settings)
        results: list[FileResult] = []
        progress = progress or current_progress()
        if progress is not None:
            progress(0, len(the_plan.to_read))
        with Workers(settings, the_plan.run_id, progress) as workers:
            try:
                for batch_results in in_flight(
                    enumerate(the_plan.batches(settings.batch_size)),
                    workers.submit,
                    workers.parallel + 1,
                ):
                    results.extend(batch_results)
            except BaseException:
                # Before the workers are closed: batches waiting their turn stop waiting.
                store.finish_run(engine, the_plan.run_id, {}, "failed")
                raise
        return finish(engine, the_plan, results, settings.database_url, workers.times)
    finally:
        engine.dispose()
        store.dispose_engines()
