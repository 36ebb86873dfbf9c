"""A report's files: ``run-N.json``, ``run-N.md`` and ``run-N.html``, each whole or not at all."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

from newswatch.report.html import render_html
from newswatch.report.markdown import report_markdown
from newswatch.report.model import ChangeReport
from newswatch.report.story import Story


def write_files(
    report: ChangeReport, folder: Path, stories: Mapping[int, Story] | None = None
) -> dict[str, Path]:
    """``run-N.md``, ``run-N.json`` and ``run-N.html``; written whole or not at all.

    ``stories`` (``story.report_stories``) draw each edited or copied story's picture in
    the HTML.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    # One at a time: a 100,000-file run's three renderings together were 300 MB at once.
    for suffix, render in (
        ("json", report.model_dump_json),
        ("md", lambda: report_markdown(report)),
        ("html", lambda: render_html(report, stories)),
    ):
        path = folder / f"{report.name}.{suffix}"
        partial = path.with_suffix(f".{suffix}.partial")
        partial.write_text(render(), encoding="utf-8")
        partial.replace(path)
        written[suffix] = path
    return written


_COUNTS = re.compile(r'"counts":(\{[^{}]*\})')
CHANGES = ("new", "edited", "duplicate", "near_duplicate", "rejected")


def changed_something(path: Path) -> bool:
    """Whether a run's JSON report counts any file that was not unchanged; read from the
    report's head, where the run's counts are, not from the whole (large) file."""
    with path.open(encoding="utf-8") as handle:
        head = handle.read(65536)
    found = _COUNTS.search(head)
    counts = json.loads(found.group(1)) if found else {}
    return any(counts.get(outcome, 0) for outcome in CHANGES)


def latest_run(folder: Path) -> int | None:
    """The latest run that changed something (a run that found nothing new does not hide
    the last one that did); the latest of all when none did."""
    runs = report_runs(folder)
    for run_id in reversed(runs):
        if changed_something(folder / f"run-{run_id}.json"):
            return run_id
    return runs[-1] if runs else None


def report_runs(folder: Path) -> list[int]:
    """The runs with a report in ``folder``, oldest first."""
    return sorted(
        int(number)
        for path in folder.glob("run-*.json")
        if (number := path.stem.removeprefix("run-")).isdigit()
    )
