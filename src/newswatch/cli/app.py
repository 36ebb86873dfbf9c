"""The ``newswatch`` command: its sub-commands live beside this module, one job each.

Typer and Rich come with Prefect, so they cost nothing extra; Prefect itself is imported
only by the commands that need it, so ``newswatch --help`` stays fast.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

import typer

from newswatch.cli.alerts import alerts_app
from newswatch.cli.articles import diff_command, history_command
from newswatch.cli.export import export_command
from newswatch.cli.ingest import ingest_command, serve_command
from newswatch.cli.outlets import outlets_command
from newswatch.cli.reports import report_command
from newswatch.cli.server import server_app
from newswatch.cli.story import story_command

app = typer.Typer(
    help="Watch a folder of news articles, keep every version, and say what changed.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("ingest")(ingest_command)
app.command("serve")(serve_command)
app.command("history")(history_command)
app.command("diff")(diff_command)
app.command("report")(report_command)
app.command("story")(story_command)
app.command("outlets")(outlets_command)
app.command("export")(export_command)
app.add_typer(server_app, name="server")
app.add_typer(alerts_app, name="alerts")


@app.callback()
def _root() -> None:
    """Watch a folder of news articles, keep every version, and say what changed."""


def main() -> None:  # pragma: no cover - console entry point
    """The ``newswatch`` command: the app, then an exit without the interpreter's teardown.

    Python's teardown frees, one by one, the objects of the 2,000 modules Prefect loads: a
    noticeable wait after every command, for memory the system takes back anyway. The exit
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
