"""The ``newswatch`` command. Typer and Rich come with Prefect, so they cost nothing extra."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(
    help="Watch a folder of news articles, keep every version, and say what changed.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console()
err = Console(stderr=True)


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
    """Prefect logs every task run at INFO; a CLI user wants the summary, not the log."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
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
    from flows.ingest import ingest_flow

    from newswatch import ingest

    err.print(f"Ingesting {settings.watch_dir} into {masked_url(settings.database_url)}")
    with (
        _progress_bar(enabled=err.is_terminal and not as_json) as hook,
        ingest.progress_reporting(hook),
    ):
        summary = ingest_flow(str(settings.watch_dir), settings.database_url)
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

    def update(self, done: int, total: int) -> None:
        if self.progress is not None and self.task is not None:
            self.progress.update(self.task, advance=done, total=total)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()


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


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
