"""``newswatch server``: the local Prefect server newswatch starts for its runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newswatch.cli.context import Waiting, load_settings, prepare_prefect
from newswatch.cli.output import err, fail, out

if TYPE_CHECKING:
    from newswatch.server.managed import ManagedServer

server_app = typer.Typer(
    help="The local Prefect server newswatch starts for its runs (and reuses).",
    no_args_is_help=True,
)


def _prefect_home() -> Path:
    prepare_prefect()
    from prefect.settings import get_current_settings

    return Path(get_current_settings().home)


def _configured_api_url() -> str | None:
    from prefect.settings import get_current_settings

    return get_current_settings().api.url


def _stopping(running: ManagedServer) -> str:
    """When the server stops itself, unless a command uses it before."""
    from newswatch.times import utc_text

    stops_at = running.stops_at()
    if stops_at is None:
        return "it runs until `newswatch server stop` (NEWSWATCH_PREFECT_IDLE_SECONDS=0)"
    return (
        f"it stops itself at {utc_text(stops_at)} unless a command uses it before "
        f"({running.idle_seconds:g} s without use, NEWSWATCH_PREFECT_IDLE_SECONDS)"
    )


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
    from newswatch.server import managed as server

    home = _prefect_home()
    running = server.running(home)
    if running is not None:
        server.used(home)  # asked for: its idle time starts again
        out.print(
            f"Already running: UI {running.ui_url} (pid {running.pid}); {_stopping(running)}.",
            highlight=False,
        )
    else:
        waiting = Waiting()
        settings = load_settings()
        try:
            running, _ = server.ensure_running(
                home,
                port=port or settings.prefect_port,
                exact_port=port is not None,
                on_wait=waiting,
                idle_seconds=settings.prefect_idle_seconds,
            )
        except server.ServerProblem as exc:
            waiting.done()
            fail(str(exc))
        waiting.done()
        out.print(
            f"Started: UI {running.ui_url} (pid {running.pid}, PREFECT_HOME {home}); "
            f"{_stopping(running)}; `newswatch server stop` stops it now.",
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
    from newswatch.server import managed as server

    stopped = server.stop(_prefect_home())
    if stopped is None:
        out.print("No newswatch Prefect server is running.")
    else:
        out.print(f"Stopped the Prefect server on port {stopped.port} (pid {stopped.pid}).")


@server_app.command("status")
def server_status_command() -> None:
    """Whether newswatch's Prefect server runs, where, and which server runs use."""
    from newswatch.server import managed as server

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
            f"PREFECT_HOME {recorded.prefect_home}, log {recorded.log_file}; "
            f"{_stopping(recorded)}",
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
    from newswatch.server import managed as server

    running = server.running(_prefect_home())
    if running is None:
        fail("no newswatch Prefect server is running: `newswatch server start` starts one.", 1)
    print(f"export PREFECT_API_URL={running.api_url}")
