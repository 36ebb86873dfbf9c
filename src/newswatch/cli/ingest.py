"""``newswatch ingest`` (one run now) and ``newswatch serve`` (runs on a schedule): both run
the Prefect flow ``flows/ingest.py``.

The Prefect server may go away while a run works. The run does not need it to store what
it decides or to write its report files, so the command waits for those, says in one line
what could not be published, and ends (status 1) without waiting on Prefect's background
senders, which would retry for minutes.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
from newswatch.cli.output import (
    JsonOption,
    chosen_format,
    err,
    fail,
    format_option,
    out,
    print_lines,
    say,
)
from newswatch.models import Outcome, RunSummary
from newswatch.render.formats import Format
from newswatch.render.phrasing import plural

if TYPE_CHECKING:
    from newswatch.pipeline.progress import Delivery
    from newswatch.server.target import Target

FORMATS = (Format.TEXT, Format.JSON)


def ingest_command(
    path: Annotated[
        Path | None,
        typer.Argument(help="Folder to ingest (default: NEWSWATCH_WATCH_DIR, else seeds/)."),
    ] = None,
    database_url: DatabaseOption = None,
    fmt: Annotated[
        str | None, format_option(FORMATS, "the run's summary, or one JSON object per file")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Ingest every new or changed article file in a folder once, through the Prefect flow.

    The run's summary and where to review it go to stdout (to stderr with --format json,
    whose stdout is JSON lines only); progress and notices go to stderr. Files written in
    the last NEWSWATCH_SETTLE_SECONDS are waited for, up to that long, and taken once they
    hold still.
    """
    from newswatch.store import masked_url

    as_json = chosen_format(fmt, FORMATS, as_json) is Format.JSON
    settings = load_settings(watch_dir=path, database_url=database_url)
    if not settings.watch_dir.is_dir():
        fail(f"{settings.watch_dir} is not a folder: give the folder of articles to ingest.")
    open_store(settings.database_url, create=True).close()
    prepare_prefect()
    target = choose_server(settings)
    from flows.ingest import configured_flow
    from pydantic import SecretStr

    from newswatch.cli.progress import FileProgress
    from newswatch.pipeline.progress import delivering, progress_reporting
    from newswatch.server.outage import run_watched
    from newswatch.server.target import using

    say(f"Ingesting {settings.watch_dir} into {masked_url(settings.database_url)}")
    flow = configured_flow(settings)
    with (
        using(target, heartbeat=False),
        FileProgress(err, enabled=err.is_terminal and not as_json) as bar,
        progress_reporting(bar),
        delivering() as delivered,
    ):
        state = run_watched(
            lambda: flow(
                str(settings.watch_dir),
                SecretStr(settings.database_url),
                one_off=True,
                return_state=True,
            ),
            delivered,
            target,
        )
    if state is None:  # the server went away: finish from what the run delivered
        _finish_without_server(delivered, target, as_json)
    run_url = target.run_url(state.state_details.flow_run_id)
    if not state.is_completed():
        reason = " ".join(str(state.message or state.name).split())[:300]
        where = f"; its logs: {run_url}" if run_url else ""
        fail(f"the run failed: {reason}{where}", status=1)
    summary = state.result()
    _print_run(summary, as_json)
    shown = err if as_json else out
    if run_url:
        say(f"Review it: {run_url}", shown)
    report_file = settings.reports_folder / f"run-{summary.run_id}.md"
    if report_file.is_file():
        say(f"Report: {report_file.resolve()}", shown)


def _finish_without_server(delivered: Delivery, target: Target, as_json: bool) -> None:
    """Say what was stored and what was not published, in one line, and end now: Prefect's
    background senders would otherwise retry for minutes at exit."""
    summary = delivered.summary
    if summary is None:
        say(
            f"error: the Prefect server at {target.api_url} stopped answering before the run "
            "began: nothing was read or stored; start the server, or unset PREFECT_API_URL",
            err,
        )
        _exit_now(1)
        return
    _print_run(summary, as_json)
    report = delivered.report_file or "(not written)"
    say(
        f"error: the Prefect server at {target.api_url} went away during run {summary.run_id}: "
        f"everything is stored and the report written ({report}), but its artifacts and "
        "events were not published; the next run's report names this run",
        err,
    )
    _exit_now(1)


def _exit_now(status: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(status)


def _print_run(summary: RunSummary, as_json: bool) -> None:
    if as_json:
        print_lines(
            itertools.chain(
                (result.model_dump_json() for result in summary.iter_results()),
                (skipped.result.model_dump_json() for skipped in summary.skipped_files),
                (
                    json.dumps({"path": d.path, "outcome": "deferred", "reason": d.reason})
                    for d in summary.deferred
                ),
            )
        )
    _print_summary(summary, err if as_json else out)


def _print_summary(summary: RunSummary, console: Console) -> None:
    # The title on a line of its own: a table title wraps mid-word in a narrow pipe.
    say(f"Run {summary.run_id}: {summary.watch_dir}", console)
    table = Table(show_edge=False)
    table.add_column("outcome")
    table.add_column("files", justify="right")
    for outcome, count in summary.counts.items():
        table.add_row(outcome, str(count))
    console.print(table)
    for result in summary.iter_changed():
        if result.outcome is Outcome.REJECTED:
            console.print(
                f"[yellow]rejected[/yellow] {escape(result.path)}: {escape(result.reason or '')}"
            )
    for skipped in summary.skipped_files:
        console.print(f"[yellow]skipped[/yellow] {escape(skipped.path)}: {escape(skipped.reason)}")
    for deferred in summary.deferred:
        console.print(
            f"[yellow]deferred[/yellow] {escape(deferred.path)}: {escape(deferred.reason)}"
        )
    if summary.deferred:
        say(
            f"{plural(len(summary.deferred), 'file')} still being written: the next run takes them.",
            console,
        )
    for run_id in summary.found_crashed:
        say(f"Run {run_id} had died without finishing: it is marked crashed.", console)


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

    Each scheduled run ingests the folder, publishes its report as artifacts and prints one
    line. Runs of the deployment never overlap (a concurrency limit of 1, runs queue), and
    the database guard stops any two writers from ingesting one file twice in any case. It
    uses the server PREFECT_API_URL names, else newswatch's own (started if need be); if
    that server goes away, it says so, waits for it and goes on.
    """
    from newswatch.store import masked_url

    if cron and interval:
        fail("give --cron or --interval, not both.")
    if interval is not None and not interval > 0:
        fail(f"--interval {interval:g}: give the seconds between runs, a number above 0.")
    if cron is not None:
        _check_cron(cron)
    settings = load_settings(watch_dir=path, database_url=database_url)
    if not settings.watch_dir.is_dir():
        fail(f"{settings.watch_dir} is not a folder: give the folder of articles to watch.")
    open_store(settings.database_url, create=True).close()
    prepare_prefect()
    # A schedule needs a lasting server, whatever NEWSWATCH_PREFECT_SERVER says.
    lasting = settings.model_copy(update={"prefect_server": "background"})
    target = choose_server(lasting)
    # The flow runs in this process's children: they read the URL from here, never from a
    # parameter that Prefect would store and show.
    from flows.ingest import SERVING, configured_flow

    from newswatch.server.addresses import DEPLOYMENTS, ui_address
    from newswatch.server.outage import serve_until_stopped

    os.environ["NEWSWATCH_DATABASE_URL"] = settings.database_url
    os.environ["NEWSWATCH_REPORTS_DIR"] = str(settings.reports_folder.resolve())
    os.environ[SERVING] = "1"
    flow = configured_flow(settings)
    watch_dir = str(settings.watch_dir.resolve())
    schedule = f"cron {cron!r}" if cron else f"every {interval or 300:g} s"
    prefect = Path(sys.executable).parent / "prefect"
    say(
        f"Serving newswatch-ingest/{name}: {watch_dir} into "
        f"{masked_url(settings.database_url)}, {schedule}. Ctrl-C stops. One line per run.\n"
        f"Runs: {ui_address(target.ui_url, DEPLOYMENTS)}. A run now, from another shell: "
        f"PREFECT_API_URL={target.api_url} {prefect} deployment run 'newswatch-ingest/{name}'",
        err,
    )
    serve_until_stopped(
        flow,
        target,
        lambda line: say(line, err),
        name=name,
        cron=cron,
        interval=None if cron else (interval or 300),
        watch_dir=watch_dir,
    )


def _check_cron(cron: str) -> None:
    from prefect.client.schemas.schedules import CronSchedule
    from pydantic import ValidationError

    try:
        CronSchedule(cron=cron)
    except ValidationError:
        fail(
            f"--cron {cron!r} is not a cron schedule: give five fields, minute hour day month "
            "weekday, e.g. '*/10 * * * *' (every 10 minutes) or '0 6 * * 1' (Mondays at 6)."
        )
