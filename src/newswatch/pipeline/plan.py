"""A run's plan: which files of the folder to read, and which are unchanged.

Files with the size and mtime recorded last time are unchanged and never read: a re-run
over 100,000 files is answered from one query. Entries the scan refused are recorded
at once, as rejected.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newswatch.models import FileResult, KnownFile, utc_now
from newswatch.pipeline.batch import Batch
from newswatch.pipeline.rows import record_rejected
from newswatch.read.scan import FileStat, scan
from newswatch.settings import Settings
from newswatch.store import BatchWrite, Store, write


@dataclass
class Plan:
    run_id: int
    watch_dir: str
    started_at: datetime
    to_read: list[FileStat]
    refused: list[FileResult] = field(default_factory=list)
    """Entries the scan refused (links out of the folder, unreadable entries)."""
    skipped: list[tuple[str, KnownFile]] = field(default_factory=list)
    """Files with the size and mtime recorded last time: unchanged, not read."""
    settling: list[str] = field(default_factory=list)

    def batches(self, size: int) -> Iterator[Batch]:
        for sequence, start in enumerate(range(0, len(self.to_read), size)):
            yield Batch(sequence, self.to_read[start : start + size])


def plan(store: Store, settings: Settings, flow_run_id: str | None = None) -> Plan:
    started = utc_now()  # before the scan: a report's duration includes it
    root = Path(settings.watch_dir)
    found = scan(root, settle_ns=int(settings.settle_seconds * 1e9), now_ns=time.time_ns())
    watch_dir = os.path.realpath(root)
    known = store.known_files(watch_dir + os.sep)
    run_id = store.start_run(watch_dir, flow_run_id)
    the_plan = Plan(run_id, watch_dir, started, [], settling=found.settling)
    for file in found.files:
        seen = known.get(file.path)
        if seen and seen.size == file.size and seen.mtime_ns == file.mtime_ns:
            the_plan.skipped.append((file.path, seen))
        else:
            the_plan.to_read.append(file)
    if found.refused:
        rows = BatchWrite(run_id, utc_now())
        for path, error in found.refused:
            the_plan.refused.append(record_rejected(rows, FileStat(path, 0, 0), None, error))
        with store.writing() as conn:
            write(conn, rows)
    return the_plan
