"""``newswatch report``: a run's change report, printed or opened."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from newswatch.cli.context import DatabaseOption, load_settings
from newswatch.cli.output import chosen_format, coloured, fail, format_option, out, say
from newswatch.render.formats import Format

FORMATS = (Format.TEXT, Format.MD, Format.JSON, Format.HTML, Format.PATH)


def report_command(
    run: Annotated[
        str,
        typer.Argument(help="Run id, or 'latest' (the latest run that changed something)."),
    ] = "latest",
    fmt: Annotated[
        str | None,
        format_option(
            FORMATS,
            "text is coloured on a terminal, [-old-]{+new+} otherwise; path is where the "
            "HTML report is",
        ),
    ] = None,
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
    from newswatch.report import model

    if schema:
        print(json.dumps(model.json_schema(), indent=2))
        return
    folder = load_settings(reports_dir=reports_dir, database_url=database_url).reports_folder
    chosen = chosen_format(fmt, FORMATS)
    from newswatch.report.files import latest_run

    if run == "latest":
        latest = latest_run(folder)
        if latest is None:
            fail(f"no reports in {folder}; run `newswatch ingest` first.")
        run = str(latest)
    if not run.isdigit():
        fail(f"{run!r} is not a run id (a number, or 'latest').")
    # The terminal's text is rendered from the JSON; path names the HTML report.
    suffix = {Format.TEXT: "json", Format.PATH: "html"}.get(chosen, chosen.value)
    if open_it:
        suffix = "html"
    path = folder / f"run-{run}.{suffix}"
    if not path.is_file():
        fail(f"no report {path} (was run {run} made with this folder?).")
    if open_it:
        import webbrowser

        if not webbrowser.open(path.resolve().as_uri()):
            say(f"No browser available; the report is {path.resolve()}")
        return
    if chosen is Format.PATH:
        print(path.resolve())
    elif chosen is Format.TEXT:
        from newswatch.render.phrasing import PLAIN
        from newswatch.report.markdown import report_markdown

        loaded = model.load(path)
        if coloured():
            from rich.markdown import Markdown

            out.print(Markdown(report_markdown(loaded)))
        else:
            sys.stdout.write(report_markdown(loaded, PLAIN))
    else:
        print(path.read_text(encoding="utf-8"))
