"""The ingest flow: the pipeline's one run chain, one task per batch, then the report.

One task per batch, never per file: a Prefect task run costs more than ingesting a file
does, in the client and on the server. A batch task takes its files from
names to written rows (``pipeline.batch.ingest_files``). With the default task runner the
tasks run in threads that hand their batches to ``workers`` worker processes, a few
batches in flight; with Dask each task runs on a Dask worker. Either way batches are
matched in parallel and take turns only to write. The flow holds no ingest logic: it passes
``pipeline.run.ingest_run`` its way of submitting a batch, and publishes the report through
a ``server.publish.Publisher``, which keeps going when the Prefect server does not.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from prefect import get_run_logger, task
from prefect.cache_policies import NONE
from prefect.context import get_run_context
from prefect.futures import PrefectFuture
from prefect.utilities.annotations import quote
from pydantic import SecretStr

from newswatch.models import FileResult, RunSummary
from newswatch.notify.publication import EarlyPages, Publication
from newswatch.outlets.figures import OutletFigures, read_figures
from newswatch.pipeline.batch import Batch, BatchTimes, ingest_files
from newswatch.pipeline.plan import Plan
from newswatch.pipeline.progress import ProgressHook, current_delivery
from newswatch.pipeline.run import RunnerFactory, ingest_run
from newswatch.pipeline.workers import Pending, Workers, worker_store
from newswatch.read.scan import FileStat
from newswatch.render.phrasing import plural, summary_sentence
from newswatch.report.diffs import write_diffs
from newswatch.report.stream import stream_report
from newswatch.server.flows import LeanFlow
from newswatch.server.publish import PageSender, Publisher
from newswatch.settings import Settings, get_settings
from newswatch.store import Store


@task(name="ingest-batch", cache_policy=NONE, persist_result=False)
def ingest_batch(pending: Pending) -> list[FileResult]:
    """A batch handed to this process's worker processes (in order), until it is written."""
    return pending.result()


@task(name="ingest-batch", cache_policy=NONE, persist_result=False)
def ingest_batch_here(
    settings: Settings, run_id: int, sequence: int | None, files: list[FileStat]
) -> list[FileResult]:
    """A batch in the task runner's own process (a Dask worker)."""
    store = worker_store(settings.database_url)
    return ingest_files(store, run_id, files, settings, sequence=sequence)


class _TaskWorkers(Workers):
    """The default runner: each batch a Prefect task, handed to the worker processes here,
    in order, so a batch waiting for its turn to write never holds a worker that the batch
    before it needs. Each worker process diffs its batch's edits and copies for the report
    once the batch is written."""

    after_batch = write_diffs

    def submit(self, batch: Batch) -> Any:
        # quote(): Prefect would otherwise walk every file of the batch looking for futures
        # among the task's inputs, which cost more than the batch.
        return ingest_batch.submit(quote(super().submit(batch)))  # type: ignore[call-overload]


class _DaskBatches:
    """Each batch a task on a Dask worker, which matches it and writes it itself.

    A run's batches are written in order on any runner, so results never depend on it.
    With no more batches out at once than the cluster has slots (a local cluster's
    ``workers``, an existing cluster's threads), every batch out is running or next in the
    queue, so one waiting for its turn never keeps the one it waits for from running.
    """

    def __init__(
        self, store: Store, settings: Settings, run_id: int, progress: ProgressHook | None
    ) -> None:
        self.settings, self.run_id, self.progress = settings, run_id, progress
        self.in_flight = _dask_slots(settings)
        self.times = BatchTimes()
        self.diffs_folder: Path | None = None  # on Dask, the report makes its diffs itself

    def submit(self, batch: Batch) -> _Counted:
        future = ingest_batch_here.submit(self.settings, self.run_id, batch.sequence, batch.files)
        return _Counted(future, self.progress)

    def close(self) -> None:
        pass


def _dask_slots(settings: Settings) -> int:
    if settings.task_runner == "dask":
        return settings.workers
    from distributed import Client

    with Client(settings.task_runner.removeprefix("dask://"), timeout=30) as client:
        return max(1, sum(client.nthreads().values()))


class _Counted:
    """A Dask batch's result; its files are counted as it arrives (decided elsewhere)."""

    def __init__(self, future: PrefectFuture[list[FileResult]], progress: ProgressHook | None):
        self.future, self.progress = future, progress

    def result(self) -> list[FileResult]:
        results = self.future.result()
        if self.progress is not None:
            self.progress(len(results))
        return results


def _runner(settings: Settings) -> RunnerFactory:
    return _TaskWorkers if settings.task_runner == "default" else _DaskBatches


@task(name="report", cache_policy=NONE, persist_result=False)
def publish_report(
    store: Store,
    settings: Settings,
    summary: RunSummary,
    publisher: Publisher,
) -> str:
    """The report files first (built, stored and written a chunk at a time; the edits'
    pages go out to the Prefect UI meanwhile), the figures of the outlets the run stored
    articles of, then the rest of what a person reviews in the Prefect UI
    (``notify.publication``). The files never depend on the server; what it could not
    take is noted by ``publisher``."""
    early = EarlyPages(PageSender(publisher), settings.report_artifact_limit)
    streamed = stream_report(
        summary,
        store,
        settings.reports_folder,
        publisher.flow_run_id,
        keep=settings.report_artifact_limit,
        events=settings.event_limit,
        after_chunk=early.add,
    )
    figures: list[OutletFigures] = []
    if streamed.outlets:
        figures, diffed = read_figures(store, outlets=streamed.outlets)
        store.save_edits(diffed)
    Publication(
        streamed, figures, settings.report_artifact_limit, settings.event_limit, early
    ).send(publisher, get_run_logger().info)
    if not publisher.lost:
        store.mark_published(summary.run_id)
    return str(streamed.written["md"])


def _task_runner(settings: Settings) -> Any:
    if settings.task_runner == "default":
        return None
    from prefect_dask import DaskTaskRunner

    if settings.task_runner == "dask":
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1}
        )
    return DaskTaskRunner(address=settings.task_runner.removeprefix("dask://"))


def _ingest(
    watch_dir: str | None = None,
    database_url: SecretStr | str | None = None,
    one_off: bool = False,
) -> RunSummary:
    """Ingest every new or changed article file under ``watch_dir`` once.

    ``database_url`` is a secret: Prefect shows it as stars. Without it, the URL comes from
    ``NEWSWATCH_DATABASE_URL`` in the environment of the process that runs the flow. The
    settings are read here, once, and passed to every task (they are no flow parameter:
    Prefect would store and show the database URL). ``one_off`` (``newswatch ingest``)
    waits for files still being written rather than leave them for a next run.
    """
    url = database_url.get_secret_value() if isinstance(database_url, SecretStr) else database_url
    settings = get_settings(watch_dir=watch_dir, database_url=url)
    logger = get_run_logger()
    publisher = Publisher(str(get_run_context().flow_run.id))  # type: ignore[union-attr]
    delivered = current_delivery()
    if delivered is not None:
        delivered.started = True

    def planned(the_plan: Plan) -> None:
        publisher.name_run(f"newswatch run {the_plan.run_id}: {the_plan.watch_dir}")
        publisher.mark_crashed(the_plan.crashed)
        logger.info(
            "run %s: %s to read, %s unchanged",
            the_plan.run_id,
            plural(len(the_plan.to_read), "file"),
            f"{len(the_plan.skipped):,}",
        )

    with Store.open(settings.database_url) as store:
        summary = ingest_run(
            store,
            settings,
            runner=_runner(settings),
            flow_run_id=publisher.flow_run_id,
            on_plan=planned,
            on_batch=publisher.progress,
            one_off=one_off,
        )
        if delivered is not None:
            delivered.summary = summary
        written = publish_report(store, settings, quote(summary), quote(publisher))  # type: ignore[call-overload]
    if delivered is not None:
        delivered.report_file = written
    logger.info(
        "run %s finished: %s; report %s",
        summary.run_id,
        summary_sentence(summary.counts),
        written,
    )
    if os.environ.get(SERVING):
        print(finished_line(summary, publisher, written), flush=True)
    return summary


SERVING = "NEWSWATCH_SERVING"
"""Set by ``newswatch serve``: each run it serves prints one line as it finishes."""


def finished_line(summary: RunSummary, publisher: Publisher, report_file: str) -> str:
    """One line for a finished run: its counts, edits and copies first, and where to see it."""
    counts = summary.counts
    line = (
        f"run {summary.run_id}: {summary_sentence(counts)}, {counts.get('unchanged', 0):,} "
        "unchanged"
    )
    if publisher.lost:
        return (
            f"{line}; the Prefect server went away, so its {', '.join(publisher.missed)} were "
            f"not published; report {report_file}"
        )
    return f"{line}; {publisher.run_url() or f'report {report_file}'}"


def _flow(task_runner: Any = None) -> LeanFlow[..., RunSummary]:
    return LeanFlow(
        _ingest,
        name="newswatch-ingest",
        persist_result=False,
        log_prints=False,
        task_runner=task_runner,
    )


ingest_flow = _flow()
"""The flow (``prefect.yaml``'s entrypoint), with the default task runner."""


def configured_flow(settings: Settings | None = None) -> Any:
    """The flow with the task runner the settings ask for (NEWSWATCH_TASK_RUNNER)."""
    settings = settings or get_settings()
    runner = _task_runner(settings)
    return ingest_flow if runner is None else _flow(runner)
