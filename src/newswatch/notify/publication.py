"""What a run's report shows in the Prefect UI, and in which order: its article pages, the
run summary linking to each, the files and outlets tables, the log lines, the events.

A :class:`Publication` is made from what the run stored and wrote (its streamed report and
its outlets' figures), with no server; :meth:`Publication.send` hands it to a run's
``server.publish.Publisher``, which sends what the server takes and notes what it could
not. The report files never wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newswatch.notify import events
from newswatch.outlets.figures import OutletFigures
from newswatch.outlets.table import outlets_table
from newswatch.render.escaping import md_escape
from newswatch.render.phrasing import summary_sentence
from newswatch.report import markdown
from newswatch.report.artifacts import files_table
from newswatch.report.stories import report_pictures
from newswatch.report.stream import StreamedReport
from newswatch.server.addresses import article_page_key

if TYPE_CHECKING:
    from newswatch.report.model import ChangeReport
    from newswatch.server.publish import Page, PageSender, Publisher
    from newswatch.story.model import Story

RUN_SUMMARY_KEY = "newswatch-run-summary"
FILES_TABLE_KEY = "newswatch-files"
OUTLETS_TABLE_KEY = "newswatch-outlets"


class EarlyPages:
    """Pages handed to a ``PageSender`` as each chunk of the report puts their articles in
    its head (``stream.stream_report``'s ``after_chunk``), so the server makes them while
    the report is still being built. An edit's page is whole once its chunk is: its
    spread and its story are read after every batch is written. The copies' and the spread
    originals' pages follow once the head holds all the edits and copies it shows (which
    originals get a page of their own depends on both), in their groups."""

    def __init__(self, sender: PageSender, limit: int) -> None:
        self.sender, self.limit = sender, limit
        self.sent: set[str] = set()
        self.grouped = False
        """Whether the copies' and originals' pages are handed over."""

    def add(self, head: ChangeReport, stories: dict[int, Story]) -> None:
        database = head.run.database
        fresh = [
            c
            for c in head.edits[: self.limit]
            if article_page_key(c.article_id, database) not in self.sent
        ]
        if fresh:
            part = head.model_copy(update={"edits": fresh, "near_duplicates": []})
            pages = markdown.article_pages(part, None, report_pictures(part, stories))
            self.sender.send(pages)
            self.sent.update(page.key for page in pages)
        if not self.grouped and min(len(head.edits), len(head.near_duplicates)) >= self.limit:
            self.grouped = True
            copies = head.model_copy(update={"edits": []})
            pictures = report_pictures(copies, stories, self.limit)
            pages = [
                page
                for page in markdown.article_pages(head, self.limit, pictures)
                if page.kind != "edited"
            ]
            self.sender.send(markdown.published_pages(pages))
            self.sent.update(page.key for page in pages)


@dataclass
class Publication:
    """A run's report as the Prefect UI shows it."""

    report: StreamedReport
    outlets: list[OutletFigures]
    """The figures of the outlets the run stored articles of."""
    limit: int
    """Article pages, and lines per list (``NEWSWATCH_REPORT_ARTIFACT_LIMIT``)."""
    event_limit: int
    """Article events (``NEWSWATCH_EVENT_LIMIT``)."""
    early: EarlyPages | None = None
    """The pages already handed over while the report was built."""

    def send(self, publisher: Publisher, log: Callable[[str], None]) -> None:
        """Pages first, so the summary, the log lines and the events can link to them."""
        head, totals, limit = self.report.head, self.report.totals, self.limit
        run_id = head.run.run_id
        sent = self.early.sent if self.early is not None else set()
        unsent = head.model_copy(
            update={
                "edits": [
                    c
                    for c in head.edits
                    if article_page_key(c.article_id, head.run.database) not in sent
                ]
            }
        )
        pictures = report_pictures(unsent, self.report.stories, limit)
        pages = [p for p in markdown.article_pages(head, limit, pictures) if p.key not in sent]
        artifacts = markdown.published_pages(pages)
        created: list[tuple[Page, str | None]] = list(
            zip(artifacts, publisher.pages(artifacts), strict=True)
        )
        if self.early is not None:
            created += self.early.sender.created()
        ids: dict[str, str] = {}
        shared: dict[str, str] = {}
        for artifact, made in created:
            if made is None:
                continue
            if isinstance(artifact, markdown.PageGroup):
                shared.update(dict.fromkeys(artifact.keys, made))
            elif artifact.key is not None:
                ids[artifact.key] = made
        publisher.markdown(
            RUN_SUMMARY_KEY,
            markdown.run_markdown(head, limit=limit, pages=ids, totals=totals, shared=shared),
            md_escape(f"Run {run_id}: {summary_sentence(head.run.counts)}"),
        )
        if head.files:
            publisher.table(FILES_TABLE_KEY, *files_table(head, limit, totals))
        if self.outlets:
            publisher.table(OUTLETS_TABLE_KEY, *outlets_table(self.outlets, run_id))
        published = {**ids, **shared}
        urls = {key: url for key, id_ in published.items() if (url := publisher.page_url(id_))}
        for line in markdown.log_lines(head, limit, urls, totals):
            log(line)
        if publisher.alive("events"):
            alerting = self.report.alerting
            events.publish(events.for_report(alerting, self.event_limit, published, totals))
