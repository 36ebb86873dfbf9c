"""One ingest run: plan, then the batches, then the run's summary.

:func:`ingest_run` is the one chain of steps. ``newswatch ingest`` and ``serve`` reach it
through the Prefect flow (``flows/ingest.py``), which passes its own way of submitting a
batch (a Prefect task per batch, on worker processes or a Dask cluster); tests and
benchmarks call :func:`run`, which uses :class:`~newswatch.pipeline.workers.Workers`.
"""

from __future__ import annotations

import shutil
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar

from newswatch.models import FileResult, Outcome, RunStatus, RunSummary
from newswatch.pipeline.batch import Batch, BatchTimes
from newswatch.pipeline.plan import LEASE_SECONDS, Plan, plan
from newswatch.pipeline.progress import ProgressHook, current_progress
from newswatch.pipeline.workers import Workers
from newswatch.settings import Settings
from newswatch.spool import ResultSpool
from newswatch.store import Store
from newswatch.times import SYSTEM_CLOCK, Clock, utc_now

T = TypeVar("T")
R_co = TypeVar("R_co", covariant=True)


class HasResult(Protocol[R_co]):
    def result(self) -> R_co: ...


class BatchRunner(Protocol):
    """How a run's batches are ingested (:class:`Workers` by default)."""

    in_flight: int
    """Batches submitted at once."""
    times: BatchTimes
    diffs_folder: Path | None
    """Where worker processes left the report's diffs, if they made any."""

    def submit(self, batch: Batch) -> HasResult[list[FileResult]]: ...

    def close(self) -> None: ...


RunnerFactory = Callable[[Store, Settings, int, ProgressHook | None], BatchRunner]


def ingest_run(
    store: Store,
    settings: Settings,
    *,
    runner: RunnerFactory = Workers,
    flow_run_id: str | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    on_batch: Callable[[int, int], None] | None = None,
    progress: ProgressHook | None = None,
    one_off: bool = False,
    clock: Clock = SYSTEM_CLOCK,
) -> RunSummary:
    """Plan the run, ingest its batches through ``runner``, and close the run.

    ``on_batch(files done, files to read)`` hears of each batch written. A run that fails
    is marked failed here, once, before the runner closes: its batches that wait for their
    turn to write then stop waiting. While it runs, the run renews its heartbeat, so no
    other process takes it for dead.
    """
    the_plan = plan(store, settings, flow_run_id, one_off=one_off, clock=clock)
    with _Heartbeat(store, the_plan.run_id, LEASE_SECONDS / 4):
        if on_plan is not None:
            on_plan(the_plan)
        progress = progress or current_progress()
        if progress is not None:
            progress(0, len(the_plan.to_read))
        batches = runner(store, settings, the_plan.run_id, progress)
        results = ResultSpool()
        # Files, not results: a WARC or a JSON Lines file is one file of many results.
        sizes: deque[int] = deque()
        files_done = 0

        def submit(batch: Batch) -> HasResult[list[FileResult]]:
            sizes.append(len(batch.files))
            return batches.submit(batch)

        try:
            for found in in_flight(
                the_plan.batches(settings.batch_size), submit, batches.in_flight
            ):
                results.add(found)
                files_done += sizes.popleft()
                if on_batch is not None:
                    on_batch(files_done, len(the_plan.to_read))
        except BaseException:
            store.finish_run(the_plan.run_id, {}, RunStatus.FAILED)
            if batches.diffs_folder is not None:  # no report will read them
                shutil.rmtree(batches.diffs_folder, ignore_errors=True)
            raise
        finally:
            batches.close()
        summary = finish(store, the_plan, results, batches.times)
        return summary.with_diffs(batches.diffs_folder)


class _Heartbeat:
    """Renews a run's lease from a thread every ``every`` seconds while the run works."""

    def __init__(self, store: Store, run_id: int, every: float) -> None:
        self.store, self.run_id, self.every = store, run_id, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="newswatch-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            try:
                self.store.beat(self.run_id)
            except Exception:  # a busy or lost database: the next beat tries again
                continue


def run(
    settings: Settings,
    progress: ProgressHook | None = None,
    *,
    one_off: bool = False,
    clock: Clock = SYSTEM_CLOCK,
) -> RunSummary:
    """One ingest run without Prefect, for tests and benchmarks."""
    with Store.open(settings.database_url) as store:
        return ingest_run(store, settings, progress=progress, one_off=one_off, clock=clock)


def in_flight(
    items: Iterable[T], submit: Callable[[T], HasResult[R_co]], limit: int
) -> Iterator[R_co]:
    """Results in order, with up to ``limit + 1`` items submitted at a time: every worker
    busy, and the next item already waiting when one finishes."""
    pending: deque[HasResult[R_co]] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) > limit:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def finish(store: Store, the_plan: Plan, results: ResultSpool, times: BatchTimes) -> RunSummary:
    counts = Counter(r.outcome.value for r in the_plan.refused) + results.counts
    counts[Outcome.UNCHANGED.value] += len(the_plan.skipped)
    counts[Outcome.SKIPPED.value] += len(the_plan.unsupported)
    full_counts = {o.value: counts.get(o.value, 0) for o in Outcome}
    store.finish_run(the_plan.run_id, full_counts)
    return RunSummary(
        run_id=the_plan.run_id,
        watch_dir=the_plan.watch_dir,
        database=store.display_url,
        started_at=the_plan.started_at,
        finished_at=utc_now(),
        counts=full_counts,
        deferred=the_plan.deferred,
        skipped_files=the_plan.unsupported,
        found_crashed=[c.run_id for c in the_plan.crashed],
        write_lock_seconds=round(times.locked_seconds, 3),
    ).with_results(results, the_plan.skipped, the_plan.refused)
