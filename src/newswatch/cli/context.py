"""What the commands share: settings, the database, and the Prefect server their runs use.

Each is checked before Prefect is imported or started, so a bad setting or database is a
short error, not a traceback after a wait.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from newswatch.cli.output import err, fail
from newswatch.times import as_utc

if TYPE_CHECKING:
    from newswatch.server.managed import ManagedServer
    from newswatch.server.target import Target
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
    """Before Prefect is imported: its console and its loggers as ``server.logs`` sets them."""
    from newswatch.server import logs

    logs.prepare()


def choose_server(settings: Settings) -> Target:
    """The Prefect server for this command's runs, said out loud when newswatch starts one."""
    from newswatch.server.managed import ServerProblem
    from newswatch.server.target import choose

    waiting = Waiting()
    try:
        target = choose(
            settings.prefect_server,
            settings.prefect_port,
            on_wait=waiting,
            idle_seconds=settings.prefect_idle_seconds,
        )
    except ServerProblem as exc:
        waiting.done()
        fail(str(exc))
    waiting.done()
    if target.started is not None:
        err.print(
            f"Started a Prefect server in the background: UI {target.started.ui_url} "
            f"(it stays up for the next runs{_until_idle(target.started.idle_seconds)}; "
            "`newswatch server stop` stops it).",
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


def _until_idle(seconds: float) -> str:
    if seconds <= 0:
        return ""
    hours = seconds / 3600
    span = f"{hours:g} h" if hours >= 1 else f"{seconds:g} s"
    return f", and stops itself after {span} without use"


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
