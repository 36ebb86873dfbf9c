"""What a run sends the Prefect server: its name, progress, artifacts, events, and the
Crashed state of runs found dead. (What a run's report shows there, and in which order, is
``notify.publication``'s.)

The database and the report files never depend on the server. It may go away mid-run:
before each call the publisher checks that it answers (within two seconds); once it does
not, nothing more is sent, Prefect's own background senders are silenced (they would
print an error with a full event dump every few seconds), and what was not published is
noted, so the caller can say so in one line and the next run's report can name the run.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol
from uuid import UUID

import httpx
from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import ArtifactCreate
from prefect.client.schemas.objects import TaskRun
from prefect.context import TaskRunContext
from prefect.settings import get_current_settings
from prefect.states import Crashed
from prefect.utilities.asyncutils import run_coro_as_sync

from newswatch.server import logs
from newswatch.server.addresses import artifact_url, flow_run_url
from newswatch.server.managed import answers
from newswatch.store import CrashedRun

HEALTH_SECONDS = 2.0


class Page(Protocol):
    """A Markdown artifact: an article's page (``report.markdown.ArticlePage``, keyed) or
    several (``PageGroup``, unkeyed)."""

    @property
    def key(self) -> str | None: ...

    @property
    def markdown(self) -> str: ...

    @property
    def description(self) -> str: ...


@dataclass
class Publisher:
    """One run's way to the Prefect server, and what did not get there."""

    flow_run_id: str
    api_url: str | None = field(default_factory=lambda: get_current_settings().api.url)
    ui_url: str | None = field(default_factory=lambda: get_current_settings().ui_url)
    lost: bool = False
    missed: list[str] = field(default_factory=list)
    """What could not be published, in words: 'artifacts', 'events'..."""
    _progress_id: UUID | None = None

    def alive(self, what: str) -> bool:
        """Whether the server answers; once it has not, it is lost for this run and
        ``what`` is noted as not published."""
        if not self.lost and self.api_url and not answers(self.api_url, timeout=HEALTH_SECONDS):
            self.lost = True
            logs.quiet(logs.SERVER_GONE)  # for the rest of the run
        if self.lost and what not in self.missed:
            self.missed.append(what)
        return not self.lost

    def page_url(self, artifact_id: str) -> str | None:
        return artifact_url(self.ui_url, artifact_id)

    def run_url(self) -> str | None:
        return flow_run_url(self.ui_url, self.flow_run_id)

    def name_run(self, name: str) -> None:
        """Name the flow run after newswatch's run and folder (its id is known only after
        the plan), so the runs list reads 'newswatch run 12: /data/articles'."""
        if not self.alive("the flow run's name"):
            return
        try:
            with get_client(sync_client=True) as client:
                client.update_flow_run(UUID(self.flow_run_id), name=name)
        except httpx.HTTPError as error:  # a name is for finding the run: never fail it
            logging.getLogger(__name__).warning("could not name the flow run %r: %s", name, error)

    def mark_crashed(self, crashed: Iterable[CrashedRun]) -> None:
        """Set the flow runs of runs found dead to Crashed, naming the run."""
        found = [c for c in crashed if c.flow_run_id]
        if not found or not self.alive("Crashed states of dead runs"):
            return
        with get_client(sync_client=True) as client:
            for run in found:
                where = f" on {run.host} (pid {run.pid})" if run.host else ""
                message = (
                    f"newswatch run {run.run_id}{where} died without finishing; last heard "
                    f"of at {run.last_seen:%Y-%m-%d %H:%M:%S} UTC. Found by run of flow run "
                    f"{self.flow_run_id}."
                )
                try:
                    client.set_flow_run_state(
                        UUID(str(run.flow_run_id)), Crashed(message=message), force=True
                    )
                except httpx.HTTPError as error:
                    logging.getLogger(__name__).warning(
                        "could not mark flow run %s crashed: %s", run.flow_run_id, error
                    )

    def progress(self, done: int, total: int) -> None:
        """A progress artifact on the flow run, updated as batches are written."""
        if total <= 0 or not self.alive("progress"):
            return
        share = 100.0 * done / total
        description = f"{done:,} of {total:,} files read and stored"
        try:
            if self._progress_id is None:
                self._progress_id = create_progress_artifact(  # type: ignore[assignment]
                    share, description=description
                )
            else:
                update_progress_artifact(self._progress_id, share, description=description)
        except httpx.HTTPError:
            self.alive("progress")

    def markdown(self, key: str, markdown: str, description: str) -> str | None:
        if not self.alive("artifacts"):
            return None
        return str(create_markdown_artifact(markdown, key=key, description=description))

    def table(self, key: str, rows: list[dict[str, object]], description: str) -> None:
        if self.alive("artifacts"):
            create_table_artifact(rows, key=key, description=description)

    def pages(self, pages: Sequence[Page], task_run: TaskRun | None = None) -> list[str | None]:
        """Create these Markdown artifacts on the run (and the task run publishing them:
        ``task_run``, else this thread's), eight at a time: each one's artifact id, None
        for those not published."""
        if task_run is None:
            context = TaskRunContext.get()
            task_run = context.task_run if context else None
        artifacts = [
            ArtifactCreate(
                key=page.key,
                type="markdown",
                data=page.markdown,
                description=page.description,
                flow_run_id=task_run.flow_run_id if task_run else None,
                task_run_id=task_run.id if task_run else None,
            )
            for page in pages
        ]
        if not artifacts or not self.alive("artifacts"):
            return [None] * len(artifacts)
        created: dict[int, str] = run_coro_as_sync(_create_concurrently(artifacts)) or {}
        return [created.get(index) for index in range(len(artifacts))]


class PageSender:
    """Pages handed over while the report is still being built, created by a thread of
    their own: the Prefect server makes them on the other core while this one goes on
    with the report, and they are done, or nearly, when the report is."""

    def __init__(self, publisher: Publisher) -> None:
        self.publisher = publisher
        context = TaskRunContext.get()  # the publishing task's, for the sending thread
        self.task_run = context.task_run if context else None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="newswatch-pages")
        self._sent: list[tuple[Sequence[Page], Future[list[str | None]]]] = []

    def send(self, pages: Sequence[Page]) -> None:
        """Hand these pages over; they go out in the order handed."""
        if pages:
            self._sent.append(
                (pages, self._pool.submit(self.publisher.pages, pages, self.task_run))
            )

    def created(self) -> list[tuple[Page, str | None]]:
        """Wait for every page handed over: each with its artifact id, None for those not
        published."""
        made: list[tuple[Page, str | None]] = []
        try:
            for pages, future in self._sent:
                made += zip(pages, future.result(), strict=True)
        finally:
            self._pool.shutdown()
        return made


async def _create_concurrently(artifacts: list[ArtifactCreate]) -> dict[int, str]:
    """One request each, eight at a time: a run's pages go out in a fraction of the time
    they take one after another (docs/performance.md); by place -> artifact id."""
    gate = asyncio.Semaphore(8)
    created: dict[int, str] = {}
    async with get_client() as client:

        async def create(index: int, artifact: ArtifactCreate) -> None:
            async with gate:
                made = await client.create_artifact(artifact)
                created[index] = str(made.id)

        await asyncio.gather(*(create(i, a) for i, a in enumerate(artifacts)))
    return created
