"""A report's files: ``run-N.json``, ``run-N.md`` and ``run-N.html``, each whole or not at all."""

from __future__ import annotations

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


def report_runs(folder: Path) -> list[int]:
    """The runs with a report in ``folder``, oldest first."""
    return sorted(
        int(number)
        for path in folder.glob("run-*.json")
        if (number := path.stem.removeprefix("run-")).isdigit()
    )
