"""The ``newswatch`` command. Typer and Rich come with Prefect, so they cost nothing extra."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from newswatch.alerts_cli import alerts_app

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


def _quiet_prefect() -> None:
    """Prefect logs every task run at INFO; a CLI user wants the summary, not the log.

    Only the console handler is quieted: the run's INFO lines (one per edited or copied
    article) still reach the server, where the flow run's Logs tab shows them.
    """
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    if not os.environ.get("PREFECT_API_URL"):
        err.print(
            "[dim]No Prefect server configured (PREFECT_API_URL): starting a temporary one, "
            "which adds about 10 s. See README, 'Running a Prefect server'.[/dim]"
        )


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
    """Ingest every new or changed article file in a folder once, through the Prefect flow."""
    from newswatch.settings import get_settings
    from newswatch.store import masked_url

    settings = get_settings(watch_dir=path, database_url=database_url)
    if not settings.watch_dir.is_dir():
        err.print(f"[red]error:[/red] {settings.watch_dir} is not a folder.")
        raise typer.Exit(2)
    _quiet_prefect()
    from flows.ingest import configured_flow
    from pydantic import SecretStr

    from newswatch import ingest

    err.print(f"Ingesting {settings.watch_dir} into {masked_url(settings.database_url)}")
    with (
        _progress_bar(enabled=err.is_terminal and not as_json) as hook,
        ingest.progress_reporting(hook),
    ):
        summary = configured_flow(settings)(
            str(settings.watch_dir), SecretStr(settings.database_url)
        )
    if as_json:
        for result in summary.results:
            print(result.model_dump_json())
    _print_summary(summary)


class _progress_bar:
    """A Rich progress bar on a terminal; nothing when piped."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress = None
        self.task = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if self.enabled:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

            self.progress = Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("reading files", total=None)
        return self.update

    def update(self, done: int) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=done)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


def _load_article(database_url: str | None, reference: str):  # type: ignore[no-untyped-def]
    """The engine, article id, article row and its versions, or a clear exit."""
    from newswatch import store
    from newswatch.settings import get_settings

    engine = store.connect(get_settings(database_url=database_url).database_url)
    article_id = store.resolve_article(engine, reference)
    if article_id is None:
        err.print(
            f"[red]error:[/red] no article {reference!r} (give an article id or a file path)."
        )
        raise typer.Exit(2)
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
    from newswatch.render import utc

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
    from newswatch.diff import diff_versions

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
    from newswatch.render import PLAIN, Style

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
    from newswatch.render import diff_lines

    style = _terminal_style()
    lines = [f"# Article {article_id}: version {from_number} → {to_number}", ""]
    lines += diff_lines(result, style)
    text = "\n".join(lines).rstrip() + "\n"
    if _coloured():
        out.print(text, highlight=False, end="")
    else:
        sys.stdout.write(text)


def _print_summary(summary) -> None:  # type: ignore[no-untyped-def]
    table = Table(title=f"Run {summary.run_id}: {summary.watch_dir}", show_edge=False)
    table.add_column("outcome")
    table.add_column("files", justify="right")
    for outcome, count in summary.counts.items():
        table.add_row(outcome, str(count))
    err.print(table)
    for result in summary.results:
        if result.outcome == "rejected":
            err.print(f"[yellow]rejected[/yellow] {result.reason}")
    if summary.settling:
        err.print(f"{len(summary.settling)} files still being written; they wait for the next run.")
    err.print(f"Report: newswatch report {summary.run_id}")


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
    guard stops any two writers from ingesting one file twice in any case.
    `prefect deployment run 'newswatch-ingest/watch'` starts a run now.
    """
    from newswatch.settings import get_settings
    from newswatch.store import masked_url

    if cron and interval:
        err.print("[red]error:[/red] give --cron or --interval, not both.")
        raise typer.Exit(2)
    settings = get_settings(watch_dir=path, database_url=database_url)
    if not settings.watch_dir.is_dir():
        err.print(f"[red]error:[/red] {settings.watch_dir} is not a folder.")
        raise typer.Exit(2)
    if not os.environ.get("PREFECT_API_URL"):
        err.print(
            "[red]error:[/red] serving needs a Prefect server: start one with "
            "`prefect server start` and set PREFECT_API_URL (see README, 'Watching on a "
            "schedule')."
        )
        raise typer.Exit(2)
    # The flow runs in this process: it reads the URL from here, never from a parameter
    # that Prefect would store and show.
    os.environ["NEWSWATCH_DATABASE_URL"] = settings.database_url
    os.environ["NEWSWATCH_REPORTS_DIR"] = str(settings.reports_dir.resolve())
    from flows.ingest import configured_flow

    flow = configured_flow(settings)
    watch_dir = str(settings.watch_dir.resolve())
    schedule = f"cron {cron!r}" if cron else f"every {interval or 300:g} s"
    err.print(
        f"Serving newswatch-ingest/{name}: {watch_dir} into "
        f"{masked_url(settings.database_url)}, {schedule}. Ctrl-C stops."
    )
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
        Path | None, typer.Option(help="Where reports are (default NEWSWATCH_REPORTS_DIR).")
    ] = None,
) -> None:
    """Print or open the change report of a run (written by every ingest run)."""
    from newswatch import report
    from newswatch.settings import get_settings

    if schema:
        print(json.dumps(report.json_schema(), indent=2))
        return
    folder = get_settings(reports_dir=reports_dir).reports_dir
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
        from newswatch import render

        loaded = report.load(path)
        if _coloured():
            from rich.markdown import Markdown

            out.print(Markdown(render.report_markdown(loaded)))
        else:
            sys.stdout.write(render.report_markdown(loaded, render.PLAIN))
    else:
        print(path.read_text(encoding="utf-8"))


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
