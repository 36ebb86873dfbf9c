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

if TYPE_CHECKING:
    from newswatch.server.publish import Publisher

RUN_SUMMARY_KEY = "newswatch-run-summary"
FILES_TABLE_KEY = "newswatch-files"
OUTLETS_TABLE_KEY = "newswatch-outlets"


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

    def send(self, publisher: Publisher, log: Callable[[str], None]) -> None:
        """Pages first, so the summary, the log lines and the events can link to them."""
        head, totals, limit = self.report.head, self.report.totals, self.limit
        run_id = head.run.run_id
        pictures = report_pictures(head, self.report.stories, limit)
        artifacts = markdown.published_pages(markdown.article_pages(head, limit, pictures))
        ids: dict[str, str] = {}
        shared: dict[str, str] = {}
        for artifact, made in zip(artifacts, publisher.pages(artifacts), strict=True):
            if made is None:
                continue
            if isinstance(artifact, markdown.PageGroup):
                shared.update(dict.fromkeys(artifact.keys, made))
            else:
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
