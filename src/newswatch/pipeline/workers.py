"""Where a run's batches are ingested: in worker processes, a batch each, or here.

A worker takes a whole batch from file names to written rows (``batch.ingest_files``):
reading, parsing, fingerprinting and matching need no lock, so two workers use both cores
and only take turns to write. The main process only hands out batches and hears of
progress. :class:`Workers` is the run's default way of submitting batches (the flow wraps
it in Prefect tasks); the one thing a worker process keeps for itself is its
:class:`~newswatch.store.Store`, opened once when it first needs it (a new engine per batch
started SQLite's page cache empty every time).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from pathlib import Path
from typing import Any, ClassVar

from newswatch.models import FileResult
from newswatch.pipeline.batch import Batch, BatchTimes, ingest_files
from newswatch.pipeline.progress import ProgressHook
from newswatch.settings import Settings
from newswatch.store import Store

_PARALLEL_MIN_FILES = 64
"""Below this many files in a batch, a batch is ingested in this process: starting worker
processes costs more than it saves."""


AfterBatch = Callable[[Store, int, int, list[FileResult], Path], None]
"""A step a worker process runs once its batch is written: (store, run id, the batch's
sequence, its results, the run's folder for what the step makes)."""


class Workers:
    """``settings.workers`` processes, started on the first batch large enough to need them.

    ``after_batch`` (the flow's: the report's diffs, ``report.diffs``) runs in the worker
    process after each batch it wrote, and leaves what it makes in :attr:`diffs_folder`.
    """

    after_batch: ClassVar[AfterBatch | None] = None

    def __init__(
        self,
        store: Store,
        settings: Settings,
        run_id: int,
        progress: ProgressHook | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.run_id = run_id
        self.progress = progress
        self.parallel = settings.workers
        self.in_flight = self.parallel + 1
        """Batches out at once: every worker busy, and the next batch already waiting."""
        self.times = BatchTimes()
        self._pool: ProcessPoolExecutor | None = None
        self._queue: Any = None
        self._listener: threading.Thread | None = None
        self.diffs_folder: Path | None = None
        """Where ``after_batch`` leaves what it makes, once a worker process has run it."""

    def submit(self, batch: Batch) -> Pending:
        """Ingest a batch: in a worker process when there are several, else here and now."""
        if self.parallel > 1 and len(batch.files) >= _PARALLEL_MIN_FILES:
            after = None
            step = type(self).after_batch
            if step is not None:
                if self.diffs_folder is None:
                    self.diffs_folder = Path(tempfile.mkdtemp(prefix="newswatch-diffs-"))
                after = (step, self.diffs_folder)
            args = (self.run_id, batch, self.settings, after)
            try:
                future = self._start().submit(_ingest_in_worker, *args)
            except BrokenProcessPool:
                self._stop()
                future = self._start().submit(_ingest_in_worker, *args)
            return Pending(self, batch, future)
        return Pending(self, batch, None)

    def ingest_here(self, batch: Batch) -> list[FileResult]:
        return ingest_files(
            self.store,
            self.run_id,
            batch.files,
            self.settings,
            self.progress,
            self.times,
            batch.sequence,
        )

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = get_context("forkserver")
            self._queue = context.SimpleQueue() if self.progress else None
            self._pool = ProcessPoolExecutor(
                self.parallel,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self._queue,),
            )
            if self._queue is not None:
                self._listener = threading.Thread(target=self._listen, daemon=True)
                self._listener.start()
        return self._pool

    def _listen(self) -> None:
        """Pass the workers' progress on to this process's hook."""
        while True:
            done = self._queue.get()
            if done is None:
                return
            if self.progress is not None:
                self.progress(done)

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        self._stop()
        if self._queue is not None:
            self._queue.put(None)
            if self._listener is not None:
                self._listener.join(timeout=5)
            self._queue = None


class Pending:
    """A batch handed out; :meth:`result` waits for it. A batch whose worker died (killed,
    out of memory) is ingested again in this process: its transaction never committed, so
    nothing of it was stored."""

    def __init__(
        self,
        workers: Workers,
        batch: Batch,
        future: Future[tuple[list[FileResult], BatchTimes]] | None,
    ) -> None:
        self.workers, self.batch, self.future = workers, batch, future

    def result(self) -> list[FileResult]:
        if self.future is not None:
            try:
                results, times = self.future.result()
            except BrokenProcessPool:
                self.workers._stop()
            else:
                self.workers.times.add(times)
                return results
        return self.workers.ingest_here(self.batch)


# --- inside a worker process ----------------------------------------------------------------

_stores: dict[str, Store] = {}
_progress_queue: Any = None


def worker_store(database_url: str) -> Store:
    """This worker process's store for a database (ours or a Dask worker's), opened once."""
    found = _stores.get(database_url)
    if found is None:
        found = _stores[database_url] = Store.open(database_url)
    return found


def _start_worker(queue: Any) -> None:
    global _progress_queue
    _progress_queue = queue


def _report(done: int) -> None:
    _progress_queue.put(done)


class _Batched:
    """Progress sent in lots of 50 files: a queue message per file cost more than the file."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, done: int, total: int | None = None) -> None:
        self.count += done
        if self.count >= 50:
            _report(self.count)
            self.count = 0

    def flush(self) -> None:
        if self.count:
            _report(self.count)
            self.count = 0


def _ingest_in_worker(
    run_id: int, batch: Batch, settings: Settings, after: tuple[AfterBatch, Path] | None
) -> tuple[list[FileResult], BatchTimes]:
    """A batch ingested, then ``after``'s step run on it here, in parallel with the other
    batches (the report's diffs: the report's process then only renders)."""
    progress = _Batched() if _progress_queue is not None else None
    times = BatchTimes()
    try:
        store = worker_store(settings.database_url)
        results = ingest_files(
            store, run_id, batch.files, settings, progress, times, batch.sequence
        )
        if after is not None and results:
            step, folder = after
            step(store, run_id, batch.sequence, results, folder)
        return results, times
    finally:
        if progress is not None:
            progress.flush()
