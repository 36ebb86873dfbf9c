"""The ingest flow: scan, one task per batch of files, close the run, publish its report.

One task per batch, never per file: a Prefect task run costs about 5 ms in the client and
30 ms on the server, more than parsing and storing a file does.
"""

from __future__ import annotations

import asyncio
from typing import Any

from prefect import Flow, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.client.orchestration import get_client
from prefect.client.schemas.actions import ArtifactCreate
from prefect.context import TaskRunContext, get_run_context
from prefect.utilities.annotations import quote
from prefect.utilities.asyncutils import run_coro_as_sync
from pydantic import SecretStr

from newswatch import ingest, report, store
from newswatch.ingest import FileResult, Plan, RunSummary
from newswatch.scan import FileStat
from newswatch.settings import Settings, get_settings

RUN_SUMMARY_KEY = "newswatch-run-summary"
FILES_TABLE_KEY = "newswatch-files"


@task(name="plan", cache_policy=NONE, persist_result=False)
def plan_run(settings: Settings, flow_run_id: str | None) -> Plan:
    return ingest.plan(store.shared_engine(settings.database_url), settings, flow_run_id)


@task(name="ingest-batch", cache_policy=NONE, persist_result=False)
def ingest_batch(settings: Settings, run_id: int, batch: list[FileStat]) -> list[FileResult]:
    engine = store.shared_engine(settings.database_url)
    prepared = ingest.prepare(batch, settings)
    return ingest.store_batch(engine, run_id, prepared, ingest.thresholds_from(settings))


@task(name="report", cache_policy=NONE, persist_result=False)
def publish_report(settings: Settings, summary: RunSummary, flow_run_id: str | None) -> str:
    """Report files, then the artifacts a person reviews in the Prefect UI."""
    change_report = report.build_report(
        summary, store.shared_engine(settings.database_url), flow_run_id
    )
    written = report.write_files(change_report, settings.reports_folder)
    limit = settings.report_artifact_limit
    create_markdown_artifact(
        key=RUN_SUMMARY_KEY,
        markdown=report.run_markdown(change_report, limit=limit),
        description=f"newswatch run {change_report.run_id}: {summary.counts}",
    )
    rows = report.file_rows(change_report)
    shown = max(limit, 1) * 20  # the table artifact's rows; the files hold every file
    if rows:
        create_table_artifact(
            key=FILES_TABLE_KEY,
            table=rows[:shown],
            description=f"Files of run {change_report.run_id} whose outcome was not unchanged"
            + (f" (first {shown:,} of {len(rows):,})" if len(rows) > shown else ""),
        )
    context = TaskRunContext.get()
    task_run = context.task_run if context else None
    articles = [
        ArtifactCreate(
            key=f"article-{change.article_id}",
            type="markdown",
            data=report.article_markdown(change, change_report.run_id),
            description=f"Article {change.article_id}, version {change.to_version}",
            flow_run_id=task_run.flow_run_id if task_run else None,
            task_run_id=task_run.id if task_run else None,
        )
        for change in change_report.edits[:limit]
    ]
    if articles:
        run_coro_as_sync(_create_concurrently(articles))
    return str(written["md"])


async def _create_concurrently(artifacts: list[ArtifactCreate]) -> None:
    """One request each, eight at a time: a hundred edited articles cost 0.3 s, not 2 s."""
    gate = asyncio.Semaphore(8)
    async with get_client() as client:

        async def create(artifact: ArtifactCreate) -> None:
            async with gate:
                await client.create_artifact(artifact)

        await asyncio.gather(*(create(a) for a in artifacts))


def _task_runner(settings: Settings) -> Any:
    if settings.task_runner == "default":
        return None
    from prefect_dask import DaskTaskRunner

    if settings.task_runner == "dask":
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": settings.workers, "threads_per_worker": 1}
        )
    return DaskTaskRunner(address=settings.task_runner.removeprefix("dask://"))


@flow(name="newswatch-ingest", persist_result=False, log_prints=False)
def ingest_flow(
    watch_dir: str | None = None, database_url: SecretStr | str | None = None
) -> RunSummary:
    """Ingest every new or changed article file under ``watch_dir`` once.

    ``database_url`` is a secret: Prefect shows it as stars. Without it, the URL comes from
    ``NEWSWATCH_DATABASE_URL`` in the environment of the process that runs the flow.
    """
    url = database_url.get_secret_value() if isinstance(database_url, SecretStr) else database_url
    settings = get_settings(watch_dir=watch_dir, database_url=url)
    logger = get_run_logger()
    flow_run_id = str(get_run_context().flow_run.id)  # type: ignore[union-attr]
    try:
        the_plan = plan_run(settings, flow_run_id)
        logger.info(
            "run %s: %d files to read, %d unchanged",
            the_plan.run_id,
            len(the_plan.to_read),
            len(the_plan.skipped),
        )
        try:
            results = _ingest_batches(settings, the_plan)
        except BaseException:
            store.finish_run(
                store.shared_engine(settings.database_url), the_plan.run_id, {}, "failed"
            )
            raise
        summary = ingest.finish(
            store.shared_engine(settings.database_url), the_plan, results, settings.database_url
        )
        written = publish_report(settings, quote(summary), flow_run_id)  # type: ignore[call-overload]
    finally:
        store.dispose_engines()
    logger.info("run %s finished: %s; report %s", summary.run_id, summary.counts, written)
    return summary


def _serialize_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    """The run's parameters as Prefect stores them, without FastAPI's encoder.

    They are a folder and a secret URL: strings, None and a SecretStr (stored as its
    stars). Prefect's own encoder is FastAPI's, and importing FastAPI cost 0.4 s of a
    2.5 s no-change run. Anything else goes to Prefect's encoder as before.
    """
    if all(value is None or isinstance(value, str | SecretStr) for value in parameters.values()):
        return {key: None if v is None else str(v) for key, v in parameters.items()}
    return Flow.serialize_parameters(ingest_flow, parameters)


ingest_flow.serialize_parameters = _serialize_parameters  # type: ignore[method-assign]


def _ingest_batches(settings: Settings, the_plan: Plan) -> list[FileResult]:
    results: list[FileResult] = []
    ingest.report_progress(0, len(the_plan.to_read))
    try:
        if settings.task_runner == "default":
            for batch, following in the_plan.batches_ahead(settings.batch_size):
                if following:  # workers parse the next batch while this one is stored
                    ingest.prepare_ahead(following, settings)
                # quote(): Prefect would otherwise walk every file of the batch looking for
                # futures among the task's inputs, which cost more than the batch itself.
                # The store step reports progress per file.
                results.extend(ingest_batch(settings, the_plan.run_id, quote(batch)))  # type: ignore[call-overload]
        else:
            # Batches run in parallel on the task runner's workers, which parse one file
            # at a time; their writes still take turns on the database's write lock.
            serial = settings.model_copy(update={"workers": 1})
            futures = [
                ingest_batch.submit(serial, the_plan.run_id, batch)
                for batch in the_plan.batches(settings.batch_size)
            ]
            for future in futures:
                batch_results = future.result()
                results.extend(batch_results)
                # Stored in the workers' processes, out of the hook's reach: per batch here.
                ingest.report_progress(len(batch_results))
    finally:
        ingest.shutdown_workers()
    return results


def configured_flow(settings: Settings | None = None) -> Any:
    """The flow with the task runner the settings ask for (NEWSWATCH_TASK_RUNNER)."""
    settings = settings or get_settings()
    runner = _task_runner(settings)
    return ingest_flow if runner is None else ingest_flow.with_options(task_runner=runner)
