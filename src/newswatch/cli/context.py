"""What the commands share: settings, the database, and the Prefect server their runs use.

Each is checked before Prefect is imported or started, so a bad setting or database is a
short error, not a traceback after a wait.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from newswatch.cli.output import err, fail
from newswatch.times import as_utc

if TYPE_CHECKING:
    from newswatch.server import ManagedServer, Target
    from newswatch.settings import Settings
    from newswatch.store import Store

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL (default: NEWSWATCH_DATABASE_URL, else sqlite:///newswatch.db).",
        show_default=False,
    ),
]

SinceOption = Annotated[
    str | None,
    typer.Option(
        "--since",
        help="Only what was first seen on or after DATE: YYYY-MM-DD, or an ISO 8601 time "
        "(UTC unless it gives its offset).",
        metavar="DATE",
        show_default=False,
    ),
]


def parse_since(value: str | None) -> datetime | None:
    """``--since``: a date or an ISO 8601 time, in UTC unless it says otherwise."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        fail(
            f"--since {value!r} is not a date: give YYYY-MM-DD or an ISO 8601 time such as "
            "2016-10-13T09:30 (UTC unless it gives its offset, e.g. +03:00)."
        )
    return as_utc(moment)


def load_settings(**overrides: object) -> Settings:
    from pydantic import ValidationError

    from newswatch.settings import get_settings

    try:
        return get_settings(**overrides)
    except ValidationError as exc:
        problem = exc.errors()[0]
        name = "_".join(str(part) for part in problem["loc"]).upper()
        fail(f"NEWSWATCH_{name}: {problem['msg']} (see README, 'Settings')")


def open_store(url: str, *, create: bool) -> Store:
    """Connect before Prefect is imported or started: a bad database is a short error.

    Read commands never create a database.
    """
    from newswatch.errors import DatabaseProblem
    from newswatch.store import Store

    try:
        return Store.open(url, create=create)
    except DatabaseProblem as exc:
        fail(str(exc))


def prepare_prefect() -> None:
    """Before Prefect is imported: its console shows warnings only, while every log line
    still reaches the server (the flow run's Logs tab); no usage analytics."""
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # "Still processing items: 7 items remaining..." as a run's last events are sent at
    # exit: they are sent, and a user can do nothing about it.
    # A runner whose server went away says so with a traceback; newswatch says it in a line.
    for noisy in ("EventsWorker", "APILogWorker", "prefect.FlowRunCancellingObserver"):
        _quiet(noisy, logging.ERROR)
    # A server that goes away mid-run: Prefect's background senders print an event dump
    # every few seconds until the process ends; newswatch watches the server and says so in
    # one line (cli.ingest, flows.publish).
    for noisy in ("prefect.events.clients", "prefect._internal.concurrency"):
        _quiet(noisy, logging.CRITICAL)


class _AtLeast(logging.Filter):
    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


def _quiet(name: str, level: int) -> None:
    """A logger that passes only records of ``level`` or above. Its level alone is not
    enough: Prefect may configure logging again during a run (not incrementally), which
    sets the levels of loggers under ``prefect`` back to NOTSET; their filters it keeps."""
    logger = logging.getLogger(name)
    logger.setLevel(level)
    if not any(isinstance(f, _AtLeast) for f in logger.filters):
        logger.addFilter(_AtLeast(level))


def choose_server(settings: Settings) -> Target:
    """The Prefect server for this command's runs, said out loud when newswatch starts one."""
    from newswatch import server

    waiting = Waiting()
    try:
        target = server.choose(settings.prefect_server, settings.prefect_port, on_wait=waiting)
    except server.ServerProblem as exc:
        waiting.done()
        fail(str(exc))
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


class Waiting:
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
