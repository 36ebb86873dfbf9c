"""``newswatch ingest`` (one run now) and ``newswatch serve`` (runs on a schedule): both run
the Prefect flow ``flows/ingest.py``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from newswatch.cli.context import (
    DatabaseOption,
    choose_server,
    load_settings,
    open_store,
    prepare_prefect,
)
from newswatch.cli.output import err, fail, out
from newswatch.models import Outcome, RunSummary


def ingest_command(
    path: Annotated[
        Path | None,
        typer.Argument(help="Folder to ingest (default: NEWSWATCH_WATCH_DIR, else seeds/)."),
    ] = None,
    database_url: DatabaseOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object per file on stdout.")
    ] = False,
) -> None:
    """Ingest every new or changed article file in a folder once, through the Prefect flow.

    The run's summary and where to review it go to stdout (to stderr with --json, whose
    stdout is JSON lines only); progress and notices go to stderr.
    """
    from newswatch.store import masked_url

    settings = load_settings(watch_dir=path, database_url=database_url)
    if not settings.watch_dir.is_dir():
        fail(f"{settings.watch_dir} is not a folder: give the folder of articles to ingest.")
    open_store(settings.database_url, create=True).close()
    prepare_prefect()
    target = choose_server(settings)
    from flows.ingest import configured_flow
    from pydantic import SecretStr

    from newswatch import server
    from newswatch.cli.progress import FileProgress
    from newswatch.pipeline.progress import progress_reporting

    err.print(
        f"Ingesting {settings.watch_dir} into {masked_url(settings.database_url)}",
        soft_wrap=True,
        highlight=False,
    )
    with (
        server.using(target, heartbeat=False),
        FileProgress(err, enabled=err.is_terminal and not as_json) as bar,
        progress_reporting(bar),
    ):
        state = configured_flow(settings)(
            str(settings.watch_dir), SecretStr(settings.database_url), return_state=True
        )
    run_url = target.run_url(state.state_details.flow_run_id)
    if not state.is_completed():
        reason = " ".join(str(state.message or state.name).split())[:300]
        where = f"; its logs: {run_url}" if run_url else ""
        fail(f"the run failed: {reason}{where}", status=1)
    summary = state.result()
    if as_json:
        for result in summary.results:
            print(result.model_dump_json())
    _print_summary(summary, err if as_json else out)
    shown = err if as_json else out
    if run_url:
        shown.print(f"Review it: {run_url}", soft_wrap=True, highlight=False)
    report_file = settings.reports_folder / f"run-{summary.run_id}.md"
    if report_file.is_file():
        shown.print(f"Report: {report_file.resolve()}", soft_wrap=True, highlight=False)


def _print_summary(summary: RunSummary, console: Console) -> None:
    table = Table(title=f"Run {summary.run_id}: {summary.watch_dir}", show_edge=False)
    table.add_column("outcome")
    table.add_column("files", justify="right")
    for outcome, count in summary.counts.items():
        table.add_row(outcome, str(count))
    console.print(table)
    for result in summary.results:
        if result.outcome is Outcome.REJECTED:
            console.print(f"[yellow]rejected[/yellow] {escape(result.reason or '')}")
    if summary.settling:
        console.print(
            f"{len(summary.settling)} files still being written; they wait for the next run."
        )


def serve_command(
    path: Annotated[
        Path | None,
        typer.Argument(help="Folder to watch (default: NEWSWATCH_WATCH_DIR, else seeds/)."),
    ] = None,
    cron: Annotated[
        str | None, typer.Option(help="Cron schedule, e.g. '*/10 * * * *'.", show_default=False)
    ] = None,
    interval: Annotated[
        float | None,
        typer.Option(help="Seconds between runs (default 300 when no --cron).", show_default=False),
    ] = None,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "watch",
    database_url: DatabaseOption = None,
) -> None:
    """Serve the ingest flow as a Prefect deployment on a schedule, until stopped (Ctrl-C).

    Each scheduled run ingests the folder and publishes its report as artifacts. Runs of
    the deployment never overlap (a concurrency limit of 1, runs queue), and the database
    guard stops any two writers from ingesting one file twice in any case. It uses the
    server PREFECT_API_URL names, else newswatch's own (started if need be). From another
    shell, `prefect deployment run 'newswatch-ingest/watch'` starts a run now; that shell
    needs PREFECT_API_URL too: `eval "$(newswatch server env)"`.
    """
    from newswatch.store import masked_url

    if cron and interval:
        fail("give --cron or --interval, not both.")
    settings = load_settings(watch_dir=path, database_url=database_url)
    if not settings.watch_dir.is_dir():
        fail(f"{settings.watch_dir} is not a folder: give the folder of articles to watch.")
    open_store(settings.database_url, create=True).close()
    prepare_prefect()
    # A schedule needs a lasting server, whatever NEWSWATCH_PREFECT_SERVER says.
    target = choose_server(settings.model_copy(update={"prefect_server": "background"}))
    # The flow runs in this process: it reads the URL from here, never from a parameter
    # that Prefect would store and show.
    os.environ["NEWSWATCH_DATABASE_URL"] = settings.database_url
    os.environ["NEWSWATCH_REPORTS_DIR"] = str(settings.reports_folder.resolve())
    from flows.ingest import configured_flow

    from newswatch import server

    flow = configured_flow(settings)
    watch_dir = str(settings.watch_dir.resolve())
    schedule = f"cron {cron!r}" if cron else f"every {interval or 300:g} s"
    err.print(
        f"Serving newswatch-ingest/{name}: {watch_dir} into "
        f"{masked_url(settings.database_url)}, {schedule}. Ctrl-C stops.\n"
        f"Runs: {target.ui_url}/deployments. A run now, from another shell: "
        f"PREFECT_API_URL={target.api_url} prefect deployment run 'newswatch-ingest/{name}'",
        soft_wrap=True,
        highlight=False,
    )
    with server.using(target):
        flow.serve(
            name=name,
            cron=cron,
            interval=None if cron else (interval or 300),
            parameters={"watch_dir": watch_dir},
            global_limit=1,
            limit=1,
            description=f"Ingest {watch_dir} and report what changed.",
            print_starting_message=False,
        )
