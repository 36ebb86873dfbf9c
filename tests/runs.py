"""Reading what a run did: outcomes by file name, its report whole, and plain SQL against
the database."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from newswatch.models import RunSummary
from newswatch.report.files import ReportWriter
from newswatch.report.model import ChangeReport, Totals
from newswatch.report.stream import StreamedReport, stream_report
from newswatch.store import Store
from newswatch.story.model import Story

WHOLE = 10**9
"""Keep every item of every list: no cap, one chunk."""


def outcomes(summary: Any) -> dict[str, str]:
    return {Path(r.path).name: r.outcome.value for r in summary.results}


def query(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return rows


def whole_report(summary: RunSummary, store: Store, folder: Path) -> StreamedReport:
    """A run's report as the flow builds, stores and writes it, but in one chunk and with
    every list held whole (its ``head`` is the whole report)."""
    return stream_report(summary, store, folder, keep=WHOLE, events=WHOLE, chunk=WHOLE)


def report_files(
    report: ChangeReport, folder: Path, stories: Mapping[int, Story] | None = None
) -> dict[str, Path]:
    """A report made in memory, written as a run's report files are (``ReportWriter``)."""
    writer = ReportWriter(folder, report.name)
    try:
        writer.add(report, stories or {})
        return writer.finish(report, Totals.of(report))
    finally:
        writer.discard()


def report_html(report: ChangeReport, stories: Mapping[int, Story] | None = None) -> str:
    """A report made in memory, as its ``run-N.html`` file reads."""
    with tempfile.TemporaryDirectory() as folder:
        return report_files(report, Path(folder), stories)["html"].read_text(encoding="utf-8")
