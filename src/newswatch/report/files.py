"""A report's files: ``run-N.json``, ``run-N.md`` and ``run-N.html``, each whole or not at all."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from newswatch.models import Outcome
from newswatch.render.phrasing import MARKDOWN
from newswatch.report.html import HtmlBlocks, html_lines
from newswatch.report.markdown import article_markdown, copy_markdown
from newswatch.report.model import ChangeReport, Totals
from newswatch.report.summary import SummaryLines, summary_lines
from newswatch.story.model import Story

_LISTS = ("files", "edits", "near_duplicates", "new_articles", "spread")
"""The report's lists, in its JSON; everything else in it is the run's summary and counts."""


class ReportWriter:
    """A report's three files, from parts appended a chunk of the run at a time.

    Each list of each file is appended to a file of its own beside the report, so what is
    in memory is one chunk; :meth:`finish` writes each report file around its lists, whole
    (beside it, then renamed) or not at all. The renderings are the ones a whole report
    uses (``markdown``, ``html``): a run's files are the same whether written in one chunk
    or many.
    """

    def __init__(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.name = folder, name
        self._parts = Path(tempfile.mkdtemp(dir=folder, prefix=f".{name}-parts-"))
        self._open: dict[str, TextIO] = {}
        self._count: Counter[str] = Counter()
        self._spread_listed: set[int] = set()
        self._lines = SummaryLines(MARKDOWN, {})

    def add(self, part: ChangeReport, stories: Mapping[int, Story]) -> None:
        """Append a chunk's report (its files in path order, after the last chunk's)."""
        run_id = part.run.run_id
        spread = {s.article_id: s for s in part.spread}
        for name in _LISTS[:-1]:
            self._append(f"json.{name}", (i.model_dump_json() for i in getattr(part, name)), ",")
        # An original is in each chunk's spread that edits or copies it: listed once.
        fresh = [s for s in part.spread if s.article_id not in self._spread_listed]
        self._spread_listed.update(s.article_id for s in fresh)
        self._append("json.spread", (s.model_dump_json() for s in fresh), ",")
        lines = self._lines
        self._append("md.edits", map(lines.edit, part.edits))
        self._append("md.copies", map(lines.copy, part.near_duplicates))
        self._append("md.new", map(lines.new, part.new_articles))
        self._append("md.rejected", map(lines.rejected, part.rejected))
        sections = [
            article_markdown(c, run_id, spread.get(c.article_id), MARKDOWN) for c in part.edits
        ]
        sections += [copy_markdown(n, run_id, MARKDOWN) for n in part.near_duplicates]
        self._append("md.sections", sections)
        blocks = HtmlBlocks.of(part, stories)
        for name in ("toc_edits", "toc_copies", "edits", "copies", "new", "rejected"):
            self._append(f"html.{name}", getattr(blocks, name))

    def finish(self, report: ChangeReport, totals: Totals) -> dict[str, Path]:
        """The three files around the lists appended; ``report`` gives the rest (its lists
        may hold only their head: ``totals`` counts them)."""
        for handle in self._open.values():
            handle.close()
        written = {}
        # One file at a time: a 100,000-file run's three renderings together were 300 MB.
        for suffix, write in (("json", self._json), ("md", self._md), ("html", self._html)):
            path = self.folder / f"{self.name}.{suffix}"
            partial = path.with_suffix(f".{suffix}.partial")
            with partial.open("w", encoding="utf-8") as out:
                write(out, report, totals)
            partial.replace(path)
            written[suffix] = path
        return written

    def discard(self) -> None:
        for handle in self._open.values():
            handle.close()
        shutil.rmtree(self._parts, ignore_errors=True)

    def _append(self, part: str, items: Iterable[str], separator: str = "\n") -> None:
        handle = self._open.get(part)
        for item in items:
            if handle is None:
                handle = self._open[part] = (self._parts / part).open("w", encoding="utf-8")
            elif self._count[part]:
                handle.write(separator)
            handle.write(item)
            self._count[part] += 1

    def _copy(self, out: TextIO, part: str) -> None:
        """A part's text into ``out``: it was written whole, joined by its separator."""
        handle = self._parts / part
        if handle.exists():
            with handle.open(encoding="utf-8") as source:
                shutil.copyfileobj(source, out, 1 << 20)

    def _spliced(self, out: TextIO, lines: Iterable[str], prefix: str) -> None:
        """``lines`` joined by newlines, each placeholder line replaced by its part."""
        for number, line in enumerate(lines):
            if number:
                out.write("\n")
            if line.startswith(_PLACEHOLDER):
                self._copy(out, prefix + line.removeprefix(_PLACEHOLDER))
            else:
                out.write(line)

    def _json(self, out: TextIO, report: ChangeReport, totals: Totals) -> None:
        empty = report.model_copy(update={key: [] for key in _LISTS}).model_dump_json()
        position = 0
        for name in _LISTS:
            marker = f'"{name}":[]'
            found = empty.index(marker, position)
            out.write(empty[position : found + len(marker) - 1])
            self._copy(out, f"json.{name}")
            position = found + len(marker) - 1
        out.write(empty[position:])

    def _md(self, out: TextIO, report: ChangeReport, totals: Totals) -> None:
        lists = [
            (totals.edits, [_PLACEHOLDER + "edits"]),
            (totals.near_duplicates, [_PLACEHOLDER + "copies"]),
            (totals.new_articles, [_PLACEHOLDER + "new"]),
            (totals.rejected, [_PLACEHOLDER + "rejected"]),
        ]
        self._spliced(out, summary_lines(report, MARKDOWN, totals, lists), "md.")
        if totals.edits or totals.near_duplicates:
            out.write("\n")
            self._copy(out, "md.sections")

    def _html(self, out: TextIO, report: ChangeReport, totals: Totals) -> None:
        names = ("toc_edits", "toc_copies", "edits", "copies", "new", "rejected")
        blocks = HtmlBlocks(
            *([_PLACEHOLDER + name] if self._count[f"html.{name}"] else [] for name in names)
        )
        self._spliced(out, html_lines(report, totals, blocks), "html.")


_PLACEHOLDER = "\x00newswatch-part:"
"""A line no rendering makes (NUL): where a part's text goes."""


_COUNTS = re.compile(r'"counts":(\{[^{}]*\})')


def changed_something(path: Path) -> bool:
    """Whether a run's JSON report counts any file that was not unchanged; read from the
    report's head, where the run's counts are, not from the whole (large) file."""
    with path.open(encoding="utf-8") as handle:
        head = handle.read(65536)
    found = _COUNTS.search(head)
    counts = json.loads(found.group(1)) if found else {}
    return any(counts.get(o.value, 0) for o in Outcome if o is not Outcome.UNCHANGED)


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
