"""The ``newswatch`` command. Typer and Rich come with Prefect, so they cost nothing extra."""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from newswatch.cli.alerts import alerts_app

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from newswatch.server import ManagedServer, Target
    from newswatch.settings import Settings

app = typer.Typer(
    help="Watch a folder of news articles, keep every version, and say what changed.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)
app.add_typer(alerts_app, name="alerts")


@app.callback()
def _root() -> None:
    """Watch a folder of news articles, keep every version, and say what changed."""


DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL (default: NEWSWATCH_DATABASE_URL, else sqlite:///newswatch.db).",
        show_default=False,
    ),
]


def _fail(message: str, status: int = 2) -> NoReturn:
    """One line on stderr, no traceback: what is wrong and what to do."""
    err.print(f"[red]error:[/red] {_escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(status)


def _settings(**overrides: object) -> Settings:
    from pydantic import ValidationError

    from newswatch.settings import get_settings

    try:
        return get_settings(**overrides)
    except ValidationError as exc:
        problem = exc.errors()[0]
        name = "_".join(str(part) for part in problem["loc"]).upper()
        _fail(f"NEWSWATCH_{name}: {problem['msg']} (see README, 'Settings')")


def _open_database(url: str, *, create: bool) -> Engine:
    """Connect before Prefect is imported or started: a bad database is a short error.

    For ingest the engine is the one the flow's tasks then share (``store.shared_engine``).
    Read commands never create a database.
    """
    from newswatch import store
    from newswatch.errors import DatabaseProblem

    try:
        return store.shared_engine(url) if create else store.connect(url, create=False)
    except DatabaseProblem as exc:
        _fail(str(exc))


def _prepare_prefect() -> None:
    """Before Prefect is imported: its console shows warnings only, while every log line
    still reaches the server (the flow run's Logs tab); no usage analytics."""
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # "Still processing items: 7 items remaining..." as a run's last events are sent at
    # exit: they are sent, and a user can do nothing about it.
    for worker in ("EventsWorker", "APILogWorker"):
        logging.getLogger(worker).setLevel(logging.ERROR)


def _choose_server(settings: Settings) -> Target:
    """The Prefect server for this command's runs, said out loud when newswatch starts one."""
    from newswatch import server

    waiting = _Waiting()
    try:
        target = server.choose(settings.prefect_server, settings.prefect_port, on_wait=waiting)
    except server.ServerProblem as exc:
        waiting.done()
        _fail(str(exc))
    waiting.done()
    if target.started is not None:
        err.print(
            f"Started a Prefect server in the background: UI {target.started.ui_url} "
            "(it stays up for the next runs; `newswatch server stop` stops it).",
            soft_wrap=True,
            highlight=False,
        )
    elif target.api_url is None:
        err.print(
            "Starting Prefect's temporary server for this run (NEWSWATCH_PREFECT_SERVER="
            "ephemeral): 10-30 s, up to 2 min on a busy machine.",
            soft_wrap=True,
        )
    return target


class _Waiting:
    """One line while a new server starts: rewritten in place on a terminal."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, starting: ManagedServer, waited: float) -> None:
        line = (
            f"Starting a Prefect server in the background on {starting.ui_url} "
            f"(first run only; up to 2 min on a busy machine): {waited:.0f} s"
        )
        if err.is_terminal:
            err.file.write("\r" + line)
            err.file.flush()
        elif not self.shown:
            err.print(line.rsplit(":", 1)[0] + "...", soft_wrap=True, highlight=False)
        self.shown = True

    def done(self) -> None:
        if self.shown and err.is_terminal:
            err.file.write("\n")


@app.command("ingest")
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

    settings = _settings(watch_dir=path, database_url=database_url)
    if not settings.watch_dir.is_dir():
        _fail(f"{settings.watch_dir} is not a folder: give the folder of articles to ingest.")
    _open_database(settings.database_url, create=True)
    _prepare_prefect()
    target = _choose_server(settings)
    from flows.ingest import configured_flow
    from pydantic import SecretStr

    from newswatch import server
    from newswatch.cli.progress import FileProgress
    from newswatch.pipeline import batch as ingest

    err.print(
        f"Ingesting {settings.watch_dir} into {masked_url(settings.database_url)}",
        soft_wrap=True,
        highlight=False,
    )
    with (
        server.using(target, heartbeat=False),
        FileProgress(err, enabled=err.is_terminal and not as_json) as bar,
        ingest.progress_reporting(bar),
    ):
        state = configured_flow(settings)(
            str(settings.watch_dir), SecretStr(settings.database_url), return_state=True
        )
    run_url = target.run_url(state.state_details.flow_run_id)
    if not state.is_completed():
        reason = " ".join(str(state.message or state.name).split())[:300]
        where = f"; its logs: {run_url}" if run_url else ""
        _fail(f"the run failed: {reason}{where}", status=1)
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


def _load_article(database_url: str | None, reference: str):  # type: ignore[no-untyped-def]
    """The engine, article id, article row and its versions, or a clear exit."""
    from newswatch import store
    from newswatch.store import masked_url

    url = _settings(database_url=database_url).database_url
    engine = _open_database(url, create=False)
    article_id = store.resolve_article(engine, reference)
    if article_id is None:
        if reference.isdigit():
            _fail(
                f"no article {reference} in {masked_url(url)}: give an id from "
                "`newswatch ingest --json` or a report, or the path of an ingested file."
            )
        if Path(reference).exists():
            _fail(
                f"{reference} is not in this database ({masked_url(url)}): ingest its folder "
                "first, or give the --database-url it was ingested into."
            )
        _fail(
            f"{reference!r} is neither an article id nor an existing file: give an article id "
            "(a number) or the path of an ingested file."
        )
    return (
        engine,
        article_id,
        store.article_row(engine, article_id),
        store.article_versions(engine, article_id),
    )


@app.command("history")
def history_command(
    article: Annotated[str, typer.Argument(help="Article id, or the path of a file holding it.")],
    database_url: DatabaseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """An article's versions: when each was first seen and from which files."""
    from newswatch import store
    from newswatch.report.markdown import utc

    engine, article_id, row, versions = _load_article(database_url, article)
    seen = store.article_sightings(engine, article_id)
    if as_json:
        print(
            json.dumps(
                {
                    "article_id": article_id,
                    "outlet": row.outlet,
                    "current_version": row.current_version,
                    "near_duplicate_of": row.near_duplicate_of,
                    "versions": [
                        {
                            "version": v.number,
                            "headline": v.headline,
                            "first_seen_at": v.first_seen_at.isoformat(),
                            "similarity_to_previous": v.similarity_to_previous,
                            "sightings": [
                                {
                                    "path": s.path,
                                    "outcome": s.outcome,
                                    "run_id": s.run_id,
                                    "seen_at": s.seen_at.isoformat(),
                                    "reverted": s.reverted,
                                }
                                for s in seen
                                if s.number == v.number
                            ],
                        }
                        for v in versions
                    ],
                },
                indent=2,
            )
        )
        return
    title = f"Article {article_id}: {row.headline}"
    if row.outlet:
        title += f" ({row.outlet})"
    out.print(f"[bold]{_escape(title)}[/bold]")
    if row.near_duplicate_of:
        out.print(
            f"copies article {row.near_duplicate_of} (similarity {row.near_duplicate_similarity:.2f})"
        )
    table = Table(show_edge=False)
    for column in ("version", "first seen", "headline", "similarity", "seen in"):
        table.add_column(column)
    for v in versions:
        paths = sorted(
            {
                f"{s.path} (run {s.run_id}, {s.outcome}{', revert' if s.reverted else ''})"
                for s in seen
                if s.number == v.number
            }
        )
        marker = " *" if v.number == row.current_version else ""
        similarity = (
            f"{v.similarity_to_previous:.3f}" if v.similarity_to_previous is not None else ""
        )
        table.add_row(
            f"{v.number}{marker}",
            utc(v.first_seen_at),
            _escape(v.headline),
            similarity,
            _escape("\n".join(paths)),
        )
    out.print(table)
    out.print("[dim]* current version[/dim]")


@app.command("diff")
def diff_command(
    article: Annotated[str, typer.Argument(help="Article id, or the path of a file holding it.")],
    from_version: Annotated[
        int | None, typer.Option("--from", help="Older version (default: the one before --to).")
    ] = None,
    to_version: Annotated[
        int | None, typer.Option("--to", help="Newer version (default: the current one).")
    ] = None,
    database_url: DatabaseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the diff as JSON.")] = False,
) -> None:
    """What changed between two versions of an article: headline, sentences, words, numbers."""
    from newswatch.changes.diff import diff_versions

    _, article_id, row, stored = _load_article(database_url, article)
    versions = {v.number: v for v in stored}
    to_number = to_version or row.current_version
    from_number = from_version or max((n for n in versions if n < to_number), default=to_number)
    for number in (from_number, to_number):
        if number not in versions:
            err.print(
                f"[red]error:[/red] article {article_id} has versions {sorted(versions)}, not {number}."
            )
            raise typer.Exit(2)
    if from_number == to_number and not as_json:
        only = "has one version" if len(versions) == 1 else f"version {to_number} against itself"
        out.print(f"Article {article_id} {only}: nothing to compare.")
        return
    old, new = versions[from_number], versions[to_number]
    result = diff_versions(
        old.headline,
        old.body.split("\n\n"),
        new.headline,
        new.body.split("\n\n"),
        old.encoding,
        new.encoding,
    )
    if as_json:
        print(
            json.dumps(
                {
                    "article_id": article_id,
                    "from": from_number,
                    "to": to_number,
                    **result.model_dump(),
                },
                indent=2,
            )
        )
        return
    _print_diff(article_id, from_number, to_number, result)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _coloured() -> bool:
    """Colour only on a terminal, and never with NO_COLOR (Rich reads it too)."""
    return out.is_terminal and not out.no_color and "NO_COLOR" not in os.environ


def _terminal_style():  # type: ignore[no-untyped-def]
    """Rich markup on a colour terminal; ``[-old-]{+new+}`` text otherwise (pipes, NO_COLOR)."""
    from newswatch.report.markdown import PLAIN, Style

    if not _coloured():
        return PLAIN
    return Style(
        text=_escape,
        removed=lambda w: f"[red strike]{_escape(w)}[/red strike]",
        added=lambda w: f"[green bold]{_escape(w)}[/green bold]",
        strong=lambda s: f"[bold]{s}[/bold]",
        link=lambda label, key: label,
        between=" ",
        glue="",
    )


def _print_diff(article_id: int, from_number: int, to_number: int, result) -> None:  # type: ignore[no-untyped-def]
    from newswatch.report.markdown import diff_lines

    style = _terminal_style()
    lines = [f"# Article {article_id}: version {from_number} → {to_number}", ""]
    lines += diff_lines(result, style)
    text = "\n".join(lines).rstrip() + "\n"
    if _coloured():
        out.print(text, highlight=False, end="")
    else:
        sys.stdout.write(text)


def _print_summary(summary, console: Console) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"Run {summary.run_id}: {summary.watch_dir}", show_edge=False)
    table.add_column("outcome")
    table.add_column("files", justify="right")
    for outcome, count in summary.counts.items():
        table.add_row(outcome, str(count))
    console.print(table)
    for result in summary.results:
        if result.outcome == "rejected":
            console.print(f"[yellow]rejected[/yellow] {_escape(result.reason or '')}")
    if summary.settling:
        console.print(
            f"{len(summary.settling)} files still being written; they wait for the next run."
        )


@app.command("serve")
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
        _fail("give --cron or --interval, not both.")
    settings = _settings(watch_dir=path, database_url=database_url)
    if not settings.watch_dir.is_dir():
        _fail(f"{settings.watch_dir} is not a folder: give the folder of articles to watch.")
    _open_database(settings.database_url, create=True)
    _prepare_prefect()
    # A schedule needs a lasting server, whatever NEWSWATCH_PREFECT_SERVER says.
    target = _choose_server(settings.model_copy(update={"prefect_server": "background"}))
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


@app.command("report")
def report_command(
    run: Annotated[str, typer.Argument(help="Run id, or 'latest'.")] = "latest",
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="text (coloured on a terminal, [-old-]{+new+} otherwise), md, json, html or path.",
        ),
    ] = "text",
    open_it: Annotated[bool, typer.Option("--open", help="Open the HTML report.")] = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of the JSON report.")
    ] = False,
    reports_dir: Annotated[
        Path | None,
        typer.Option(
            help="Where reports are (default: NEWSWATCH_REPORTS_DIR, else the database's "
            "reports folder).",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Print or open the change report of a run of a database (written by every ingest run)."""
    from newswatch.report import build as report

    if schema:
        print(json.dumps(report.json_schema(), indent=2))
        return
    folder = _settings(reports_dir=reports_dir, database_url=database_url).reports_folder
    if fmt not in ("text", "md", "json", "html", "path"):
        err.print("[red]error:[/red] --format is text, md, json, html or path.")
        raise typer.Exit(2)
    if run == "latest":
        found = sorted(
            (int(p.stem.removeprefix("run-")), p)
            for p in folder.glob("run-*.json")
            if p.stem.removeprefix("run-").isdigit()
        )
        if not found:
            err.print(f"[red]error:[/red] no reports in {folder}; run `newswatch ingest` first.")
            raise typer.Exit(2)
        run = str(found[-1][0])
    if not run.isdigit():
        err.print(f"[red]error:[/red] {run!r} is not a run id (a number, or 'latest').")
        raise typer.Exit(2)
    base = folder / f"run-{run}"
    suffix = "html" if open_it or fmt == "path" else "json" if fmt == "text" else fmt
    path = base.with_suffix(f".{suffix}")
    if not path.is_file():
        err.print(f"[red]error:[/red] no report {path} (was run {run} made with this folder?).")
        raise typer.Exit(2)
    if open_it:
        import webbrowser

        if not webbrowser.open(path.resolve().as_uri()):
            err.print(f"No browser available; the report is {path.resolve()}")
        return
    if fmt == "path":
        print(path.resolve())
    elif fmt == "text":
        from newswatch.report import markdown as render

        loaded = report.load(path)
        if _coloured():
            from rich.markdown import Markdown

            out.print(Markdown(render.report_markdown(loaded)))
        else:
            sys.stdout.write(render.report_markdown(loaded, render.PLAIN))
    else:
        print(path.read_text(encoding="utf-8"))


# --- the local Prefect server -------------------------------------------------------------

server_app = typer.Typer(
    help="The local Prefect server newswatch starts for its runs (and reuses).",
    no_args_is_help=True,
)
app.add_typer(server_app, name="server")


def _prefect_home() -> Path:
    _prepare_prefect()
    from prefect.settings import get_current_settings

    return Path(get_current_settings().home)


def _configured_api_url() -> str | None:
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


@server_app.command("start")
def server_start_command(
    port: Annotated[
        int | None,
        typer.Option(
            help="Port on 127.0.0.1 (default: NEWSWATCH_PREFECT_PORT, 4200, if free, else "
            "any free port).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Start newswatch's Prefect server in the background, or say it already runs."""
    from newswatch import server

    home = _prefect_home()
    running = server.running(home)
    if running is not None:
        out.print(f"Already running: UI {running.ui_url} (pid {running.pid}).", highlight=False)
    else:
        waiting = _Waiting()
        try:
            running, _ = server.ensure_running(
                home,
                port=port or _settings().prefect_port,
                exact_port=port is not None,
                on_wait=waiting,
            )
        except server.ServerProblem as exc:
            waiting.done()
            _fail(str(exc))
        waiting.done()
        out.print(
            f"Started: UI {running.ui_url} (pid {running.pid}, PREFECT_HOME {home}); "
            "`newswatch server stop` stops it.",
            soft_wrap=True,
            highlight=False,
        )
    configured = _configured_api_url()
    if configured and configured != running.api_url:
        err.print(
            f"Note: PREFECT_API_URL names {configured}; runs use that server while it is set.",
            soft_wrap=True,
            highlight=False,
        )


@server_app.command("stop")
def server_stop_command() -> None:
    """Stop newswatch's Prefect server (the flow runs it holds stay in PREFECT_HOME)."""
    from newswatch import server

    stopped = server.stop(_prefect_home())
    if stopped is None:
        out.print("No newswatch Prefect server is running.")
    else:
        out.print(f"Stopped the Prefect server on port {stopped.port} (pid {stopped.pid}).")


@server_app.command("status")
def server_status_command() -> None:
    """Whether newswatch's Prefect server runs, where, and which server runs use."""
    from newswatch import server

    home = _prefect_home()
    configured = _configured_api_url()
    recorded = server.recorded(home)
    if recorded is None:
        out.print(
            f"No newswatch Prefect server is running (PREFECT_HOME {home}).",
            soft_wrap=True,
            highlight=False,
        )
    else:
        state = "running" if server.answers(recorded.api_url) else "starting, or not answering"
        out.print(
            f"{state}: UI {recorded.ui_url}, API {recorded.api_url}, pid {recorded.pid}, "
            f"PREFECT_HOME {recorded.prefect_home}, log {recorded.log_file}",
            soft_wrap=True,
            highlight=False,
        )
    if configured:
        out.print(f"Runs use PREFECT_API_URL: {configured}", soft_wrap=True, highlight=False)
    elif recorded is None:
        out.print("The next `newswatch ingest` starts one.")
    if recorded is None and not configured:
        raise typer.Exit(1)


@server_app.command("env")
def server_env_command() -> None:
    """Print `export PREFECT_API_URL=...` for the running server.

    In another shell, `eval "$(newswatch server env)"` lets `prefect deployment run` and
    other Prefect commands find it.
    """
    from newswatch import server

    running = server.running(_prefect_home())
    if running is None:
        _fail("no newswatch Prefect server is running: `newswatch server start` starts one.", 1)
    print(f"export PREFECT_API_URL={running.api_url}")


def main() -> None:  # pragma: no cover - console entry point
    """The ``newswatch`` command: the app, then an exit without the interpreter's teardown.

    Python's teardown frees, one by one, the objects of the 2,000 modules Prefect loads:
    0.3-0.4 s after every command, for memory the system takes back anyway. The exit
    handler registered here, before Prefect is imported, runs after every other (they run
    last-registered first), so Prefect's handlers have sent the run's last events and log
    lines by then; it flushes the standard streams and ends the process.
    """
    atexit.register(_exit_now)
    try:
        app()
    except SystemExit as exc:
        _exit_status[0] = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        raise


_exit_status = [0]


def _exit_now() -> None:  # pragma: no cover - ends the process
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(_exit_status[0])


if __name__ == "__main__":  # pragma: no cover
    main()
