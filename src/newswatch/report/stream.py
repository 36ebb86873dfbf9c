"""A run's report, built and written a chunk of its files at a time: its memory does not
grow with the run.

The run's changed files come from its result spool in path order, ``CHUNK`` at a time.
For each chunk, :func:`stream_report`:

- builds that part of the report (``build.build_part``: its edits and copies, with the
  diffs the worker processes made, ``report.diffs``);
- reads the stories of what it edited or copied, for their pictures;
- stores what each edit changed;
- appends every rendering to the report files (``files.ReportWriter``).

What the Prefect UI shows is capped, so only that stays in memory (:class:`Head`): the
first ``keep`` of each list, the edits an event may go to (those that changed numbers,
quotes or the headline first, as ``events.for_report`` orders them), the outlets seen, and
the totals. The run's copied originals are known from the start (the spool keeps them), so
an edit lists where its story spread whichever chunk the copies are in; the JSON's
``spread`` lists each original once, in order of first appearance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from newswatch.models import FileResult, Outcome, RunSummary
from newswatch.report.artifacts import FILES_TABLE_ROWS_PER_ARTICLE_PAGE
from newswatch.report.build import build_part
from newswatch.report.diffs import DiffFolder
from newswatch.report.files import ReportWriter
from newswatch.report.model import (
    ArticleChange,
    ChangeReport,
    NearDuplicateLink,
    NewArticle,
    Spread,
    Totals,
)
from newswatch.report.stories import known_diffs, report_stories
from newswatch.store import Store
from newswatch.story.model import Story

CHUNK = 2_000
"""Changed files per chunk: about 200 diffs and their stories in memory at a time."""


@dataclass
class Head:
    """What the UI and the events of a run need of its report: the head of each list."""

    keep: int
    """Edits, copies and new articles kept (the run's article pages)."""
    events: int
    """Edits kept for events, of each kind (changed numbers, quotes or headline; or not)."""
    edits: list[ArticleChange] = field(default_factory=list)
    alerting: list[ArticleChange] = field(default_factory=list)
    plain: list[ArticleChange] = field(default_factory=list)
    copies: list[NearDuplicateLink] = field(default_factory=list)
    new: list[NewArticle] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    late_rejected: list[FileResult] = field(default_factory=list)
    rejected: int = 0
    spread: dict[int, Spread] = field(default_factory=dict)
    stories: dict[int, Story] = field(default_factory=dict)
    outlets: set[str | None] = field(default_factory=set)
    claims_withheld: int = 0
    counts: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("files", "edits", "copies", "new"), 0)
    )

    def add(self, part: ChangeReport, stories: dict[int, Story]) -> None:
        copies_kept = max(self.keep, self.events)
        self.edits += part.edits[: max(0, self.keep - len(self.edits))]
        for change in part.edits:
            kept = self.alerting if change.diff.notable else self.plain
            if len(kept) < self.events:
                kept.append(change)
        self.copies += part.near_duplicates[: max(0, copies_kept - len(self.copies))]
        self.new += part.new_articles[: max(0, self.keep - len(self.new))]
        shown = max(self.keep, 1) * FILES_TABLE_ROWS_PER_ARTICLE_PAGE
        room = max(0, shown - len(self.files))
        self.files += part.files[:room]
        # Rejected files past the files table's rows, for the summary's list of them.
        for result in part.files[room:]:
            if result.outcome is Outcome.REJECTED and len(self.late_rejected) < self.keep:
                self.late_rejected.append(result)
        self.rejected += len(part.rejected)
        wanted = {c.article_id for c in self.edits} | {n.copies_article_id for n in self.copies}
        for spread in part.spread:
            if spread.article_id in wanted:
                self.spread.setdefault(spread.article_id, spread)
        for article_id in wanted - self.stories.keys():
            if article_id in stories:
                self.stories[article_id] = stories[article_id]
        self.outlets |= run_outlets(part)
        self.claims_withheld += part.claims_withheld
        for name, items in (
            ("files", part.files),
            ("edits", part.edits),
            ("copies", part.near_duplicates),
            ("new", part.new_articles),
        ):
            self.counts[name] += len(items)

    @property
    def totals(self) -> Totals:
        return Totals(
            files=self.counts["files"],
            edits=self.counts["edits"],
            near_duplicates=self.counts["copies"],
            new_articles=self.counts["new"],
            rejected=self.rejected,
        )

    def report(
        self, summary: RunSummary, flow_run_id: str | None, unpublished: list[int]
    ) -> ChangeReport:
        """The report's head: each list's first items, with the whole run's summary."""
        return ChangeReport(
            run=summary,
            flow_run_id=flow_run_id,
            files=self.files + self.late_rejected,
            edits=self.edits,
            near_duplicates=self.copies,
            new_articles=self.new,
            spread=sorted(self.spread.values(), key=lambda s: s.article_id),
            unpublished_runs=unpublished,
            claims_withheld=self.claims_withheld,
        )


@dataclass
class StreamedReport:
    """A run's report as written: its files, and the head the UI and events show."""

    head: ChangeReport
    """The first items of each list (the article pages, the summary's lists)."""
    alerting: ChangeReport
    """The head with the edits an event may go to (``events.for_report`` picks)."""
    totals: Totals
    stories: dict[int, Story]
    """The stories of the head's edits and of the originals of its copies."""
    outlets: set[str | None]
    """The outlets of every article the run stored."""
    written: dict[str, Path]


def stream_report(
    summary: RunSummary,
    store: Store,
    folder: Path,
    flow_run_id: str | None = None,
    *,
    keep: int = 100,
    events: int = 100,
    chunk: int = CHUNK,
    after_chunk: Callable[[ChangeReport, dict[int, Story]], None] | None = None,
) -> StreamedReport:
    """Build, store and write the run's report a chunk at a time (see the module).

    ``after_chunk`` hears the head so far, and its stories, after each chunk: what is in
    the head stays there, so its pages can go out while the report goes on."""
    unpublished = store.unpublished_runs(before=summary.run_id)
    writer = ReportWriter(folder, f"run-{summary.run_id}")
    head = Head(keep, events)
    copied = summary.copied
    made = DiffFolder(summary.diffs_folder) if summary.diffs_folder else None
    try:
        for changed in _chunks(summary.iter_changed(), chunk):
            part = build_part(summary, changed, store, flow_run_id, unpublished, copied, made)
            stories, diffed = report_stories(part, store, known_diffs(part))
            store.save_edits(diffed)
            writer.add(part, stories)
            head.add(part, stories)
            if after_chunk is not None:
                after_chunk(head.report(summary, flow_run_id, unpublished), head.stories)
        report = head.report(summary, flow_run_id, unpublished)
        written = writer.finish(report, head.totals)
    finally:
        writer.discard()
        if made is not None:
            made.remove()
    return StreamedReport(
        head=report,
        alerting=report.model_copy(update={"edits": head.alerting + head.plain}),
        totals=head.totals,
        stories=head.stories,
        outlets=head.outlets,
        written=written,
    )


def run_outlets(report: ChangeReport) -> set[str | None]:
    """The outlets of the articles a run stored: new, edited and copied ones."""
    return (
        {c.outlet for c in report.edits}
        | {n.outlet for n in report.near_duplicates}
        | {a.outlet for a in report.new_articles}
    )


def _chunks(results: Iterator[FileResult], size: int) -> Iterator[list[FileResult]]:
    while chunk := list(islice(results, size)):
        yield chunk
