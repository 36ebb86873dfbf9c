"""A run's plan: which files of the folder to read, and which are unchanged.

Files with the size and mtime recorded last time are unchanged and never read: a re-run
over 100,000 files is answered from one query. Entries the scan refused are recorded at
once, as rejected. Files written in the last ``settle_seconds`` may be half-written: a
scheduled run leaves them for the next run; a one-off run (``newswatch ingest``, whose
user means now) waits out the rest of their window, at most ``settle_seconds``, and takes
every file that held still. Before the run starts, runs of this database that died
without finishing are marked crashed.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from newswatch.models import (
    OUTCOME_OF,
    DeferredFile,
    FileResult,
    KnownFile,
    SkippedFile,
)
from newswatch.pipeline.batch import Batch
from newswatch.pipeline.rows import record_rejected
from newswatch.read.formats import resume, unsupported_reason
from newswatch.read.parts import PART_MARK
from newswatch.read.scan import FileStat, ScanResult, scan_files, wait_to_settle
from newswatch.settings import Settings
from newswatch.spool import RowSpool
from newswatch.store import BatchWrite, CrashedRun, Store
from newswatch.times import SYSTEM_CLOCK, Clock, utc_now

LEASE_SECONDS = 60.0
"""A run renews its heartbeat every ``LEASE_SECONDS / 4``; one silent for a whole lease, or
whose process is gone from its host, is dead."""


class FilesToRead(RowSpool):
    """The files a run will read, in path order, on disk a thousand to a record: a
    million-file folder's would take 220 MB of memory for the whole run."""

    def _row(self, item: FileStat) -> tuple[Any, ...]:
        return (item.path, item.size, item.mtime_ns, item.location, item.start)

    def _item(self, row: tuple[Any, ...]) -> FileStat:
        return FileStat(*row)

    def __iter__(self) -> Iterator[FileStat]:
        return self.items()


class Unchanged(RowSpool):
    """The files a run skips as unchanged, with their records, in path order, on disk a
    thousand to a record (a re-run over a million files skips a million)."""

    def __init__(self, files: Iterable[KnownFile] = ()) -> None:
        self._late: list[KnownFile] = []
        super().__init__(files)

    def _row(self, item: KnownFile) -> tuple[Any, ...]:
        return (*item[:6], item.outcome.value, *item[7:])

    def _item(self, row: tuple[Any, ...]) -> KnownFile:
        path, size, mtime_ns, raw_hash, article_id, version_id, outcome, *rest = row
        return KnownFile(
            path, size, mtime_ns, raw_hash, article_id, version_id, OUTCOME_OF[outcome], *rest
        )

    def append_late(self, file: KnownFile) -> None:
        """One found after the others (a file that settled): put in its place when read."""
        self._late.append(file)
        self._count += 1

    def __iter__(self) -> Iterator[tuple[str, KnownFile]]:
        for file in heapq.merge(self.items(), sorted(self._late), key=lambda f: f.path):
            yield file.path, file

    def __getstate__(self) -> dict[str, Any]:
        return {"items": [file for _, file in self]}


@dataclass
class Plan:
    run_id: int
    watch_dir: str
    started_at: datetime
    to_read: FilesToRead
    refused: list[FileResult] = field(default_factory=list)
    """Entries the scan refused (links out of the folder, unreadable entries)."""
    skipped: Unchanged = field(default_factory=Unchanged)
    """Files with the size and mtime recorded last time: unchanged, not read."""
    deferred: list[DeferredFile] = field(default_factory=list)
    """Files still being written, left for the next run."""
    crashed: list[CrashedRun] = field(default_factory=list)
    """Runs found dead and marked crashed before this one started."""
    unsupported: list[SkippedFile] = field(default_factory=list)
    """Files of types newswatch does not read: named and counted ``skipped`` every run."""

    def batches(self, size: int) -> Iterator[Batch]:
        files = iter(self.to_read)
        sequence = 0
        while batch := list(islice(files, size)):
            yield Batch(sequence, batch)
            sequence += 1


def plan(
    store: Store,
    settings: Settings,
    flow_run_id: str | None = None,
    *,
    one_off: bool = False,
    clock: Clock = SYSTEM_CLOCK,
) -> Plan:
    """Scan the folder and start the run (see the module docstring); ``clock`` is what a
    file's settle window is measured and waited on."""
    started = utc_now()  # before the scan: a report's duration includes it
    crashed = store.mark_crashed_runs(LEASE_SECONDS)
    root = Path(settings.watch_dir)
    settle_ns = int(settings.settle_seconds * 1e9)
    found = ScanResult()
    files: Iterator[FileStat] = scan_files(
        root, found, include=settings.include_patterns, settle_ns=settle_ns, now_ns=clock.now_ns()
    )
    watch_dir = os.path.realpath(root)
    run_id = store.start_run(watch_dir, flow_run_id)
    the_plan = Plan(run_id, watch_dir, started, FilesToRead(), crashed=crashed)
    # The folder's files and the recorded ones, both in path order, merged as they come.
    known = store.known_files_in_order(watch_dir + os.sep)
    record = next(known, None)
    for file in files:
        while record is not None and record.path < file.path:
            record = next(known, None)
        if record is not None and record.path == file.path and _same(record, file):
            the_plan.skipped.append(record)
            continue
        # A file of parts (a WARC, JSON Lines) has a record per part, right after its path.
        parts, prefix = [], file.path + PART_MARK
        while record is not None and record.path <= file.path:
            record = next(known, None)
        while record is not None and record.path.startswith(prefix):
            parts.append(record)
            record = next(known, None)
        start, kept = resume(file, parts) if parts else (0, [])
        for part in kept:
            the_plan.skipped.append(part)
        if start is not None:
            the_plan.to_read.append(replace(file, start=start))
    window = f"{settings.settle_seconds:g} s"
    if one_off:
        # Files still settling wait out their window and join the run if they held still.
        ready, growing = wait_to_settle(found.settling, settle_ns, clock.now_ns(), clock.sleep)
        if ready:
            with store.reading() as tx:
                recorded = tx.files_state([f.path for f in ready])
            for file in ready:
                if (seen := recorded.get(file.path)) is not None and _same(seen, file):
                    the_plan.skipped.append_late(seen)
            ready = [f for f in ready if f.path not in recorded or not _same(recorded[f.path], f)]
        if ready:
            merged = heapq.merge(the_plan.to_read, ready, key=lambda f: f.path)
            the_plan.to_read = FilesToRead(merged)
        the_plan.deferred = [
            DeferredFile(
                path=f.path, reason=f"still being written: it changed in the {window} waited"
            )
            for f in growing
        ]
    else:
        the_plan.deferred = [
            DeferredFile(
                path=f.path, reason=f"written less than {window} ago: the next run takes it"
            )
            for f in found.settling
        ]
    known.close()
    the_plan.unsupported = [
        SkippedFile(path=f.path, reason=unsupported_reason(f.path)) for f in found.unsupported
    ]
    if found.refused:
        rows = BatchWrite(run_id, utc_now())
        for path, error in found.refused:
            the_plan.refused.append(record_rejected(rows, FileStat(path, 0, 0), None, error))
        with store.writing() as tx:
            tx.write(rows)
    return the_plan


def _same(record: KnownFile, file: FileStat) -> bool:
    """Recorded with this size and mtime: unchanged, not read."""
    return record.size == file.size and record.mtime_ns == file.mtime_ns
