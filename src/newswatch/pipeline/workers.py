"""Where batches are ingested: in this process, or in worker processes, a batch each.

A worker takes a whole batch from file names to written rows (``ingest.ingest_files``):
reading, parsing, fingerprinting and matching need no lock, so two workers use both cores
and only take turns to write. The main process only hands out batches and hears of
progress. ``Workers`` is an object a run creates, passes and closes, not module state; the
one thing a worker process keeps for itself is its database engine, made once when it
starts (a new engine per batch started SQLite's page cache empty every time).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import get_context
from typing import Any, Protocol, TypeVar

from newswatch.models import FileResult
from newswatch.pipeline.batch import BatchTimes, ProgressHook, ingest_files
from newswatch.read.scan import FileStat
from newswatch.settings import Settings

T = TypeVar("T")
R_co = TypeVar("R_co", covariant=True)

_PARALLEL_MIN_FILES = 64
"""Below this many files in a batch, a batch is ingested in this process: starting worker
processes costs more than it saves."""


class Workers:
    def __init__(
        self, settings: Settings, run_id: int, progress: ProgressHook | None = None
    ) -> None:
        self.settings = settings
        self.run_id = run_id
        self.progress = progress
        self.parallel = settings.workers
        self.times = BatchTimes()
        self._pool: ProcessPoolExecutor | None = None
        self._queue: Any = None
        self._listener: threading.Thread | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, numbered: tuple[int, list[FileStat]]) -> Pending:
        """Ingest the run's batch number ``sequence``: in a worker process when there are
        several, else here and now."""
        sequence, files = numbered
        if self.parallel > 1 and len(files) >= _PARALLEL_MIN_FILES:
            args = (self.run_id, files, self.settings, sequence)
            try:
                future = self._start().submit(_ingest_in_worker, *args)
            except BrokenProcessPool:
                self._stop()
                future = self._start().submit(_ingest_in_worker, *args)
            return Pending(self, files, sequence, future)
        return Pending(self, files, sequence, None)

    def ingest_here(self, files: list[FileStat], sequence: int | None = None) -> list[FileResult]:
        from newswatch import store

        engine = store.shared_engine(self.settings.database_url)
        return ingest_files(
            engine, self.run_id, files, self.settings, self.progress, self.times, sequence
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
        files: list[FileStat],
        sequence: int,
        future: Future[tuple[list[FileResult], BatchTimes]] | None,
    ) -> None:
        self.workers, self.files, self.sequence, self.future = workers, files, sequence, future

    def result(self) -> list[FileResult]:
        if self.future is not None:
            try:
                results, times = self.future.result()
            except BrokenProcessPool:
                self.workers._stop()
            else:
                self.workers.times.locked_seconds += times.locked_seconds
                self.workers.times.redecided += times.redecided
                return results
        return self.workers.ingest_here(self.files, self.sequence)


class HasResult(Protocol[R_co]):
    def result(self) -> R_co: ...


def in_flight(
    items: Iterable[T], submit: Callable[[T], HasResult[R_co]], workers: int
) -> Iterator[R_co]:
    """Results in order, with up to ``workers + 1`` items submitted at a time: every worker
    busy, and the next item already waiting when one finishes. The ingest run and the flow
    both go through here."""
    pending: deque[HasResult[R_co]] = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) > workers:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


# --- inside a worker process ----------------------------------------------------------------

_progress_queue: Any = None


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
    run_id: int, files: list[FileStat], settings: Settings, sequence: int
) -> tuple[list[FileResult], BatchTimes]:
    from newswatch import store

    progress = _Batched() if _progress_queue is not None else None
    times = BatchTimes()
    try:
        engine = store.shared_engine(settings.database_url)
        results = ingest_files(engine, run_id, files, settings, progress, times, sequence)
        return results, times
    finally:
        if progress is not None:
            progress.flush()
