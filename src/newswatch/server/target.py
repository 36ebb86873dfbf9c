"""The Prefect server a command's runs use: one named by Prefect's settings, else
newswatch's own (``managed``), else Prefect's temporary one.

In order: the one Prefect's settings name (``PREFECT_API_URL``, from the environment, a
profile or a test harness), else newswatch's running server, else a new one started now;
or, with ``NEWSWATCH_PREFECT_SERVER=ephemeral``, Prefect's temporary server. :func:`choose`
and :func:`using` import Prefect, because only Prefect can read its settings.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic import BaseModel

from newswatch.server.addresses import flow_run_url
from newswatch.server.managed import (
    DEFAULT_PORT,
    STARTUP_DEADLINE_SECONDS,
    ManagedServer,
    ensure_running,
    require_answer,
    running,
    used,
)


class Target(BaseModel):
    """The server a command's runs go to."""

    api_url: str | None = None
    """None: Prefect's temporary server, started inside the run."""
    ui_url: str | None = None
    started: ManagedServer | None = None
    """The server newswatch started for this command, if it did."""
    own: ManagedServer | None = None
    """newswatch's own server, when runs use it (started now or before)."""

    def run_url(self, flow_run_id: object) -> str | None:
        return flow_run_url(self.ui_url, flow_run_id)

    def in_use(self) -> None:
        """A command is using newswatch's own server now: its idle clock starts again."""
        if self.own is not None:
            used(Path(self.own.prefect_home))


def choose(
    mode: str,
    port: int = DEFAULT_PORT,
    on_wait: Callable[[ManagedServer, float], None] | None = None,
    idle_seconds: float = 0.0,
) -> Target:
    """The server for this command's runs (see the module's docstring for the order); a
    server newswatch starts now stops itself after ``idle_seconds`` without use (0: never)."""
    from prefect.settings import get_current_settings

    current = get_current_settings()
    if current.api.url:
        key = current.api.key.get_secret_value() if current.api.key else None
        require_answer(current.api.url, api_key=key)
        return Target(api_url=current.api.url, ui_url=current.ui_url)
    if mode == "ephemeral":
        return Target()
    server, started = ensure_running(
        Path(current.home), port=port, on_wait=on_wait, idle_seconds=idle_seconds
    )
    return Target(
        api_url=server.api_url,
        ui_url=server.ui_url,
        started=server if started else None,
        own=server,
    )


def find() -> Target | None:
    """The server runs use, without starting one: the one Prefect's settings name, else
    newswatch's own if it runs; None if neither (commands that only talk to a server, such
    as ``alerts``, must not start one)."""
    from prefect.settings import get_current_settings

    current = get_current_settings()
    if current.api.url:
        return Target(api_url=current.api.url, ui_url=current.ui_url)
    own = running(Path(current.home))
    if own is None:
        return None
    used(Path(own.prefect_home))
    return Target(api_url=own.api_url, ui_url=own.ui_url, own=own)


def restart(own: ManagedServer) -> ManagedServer:
    """newswatch's own server again, on the same port (the runs that use it know that
    port), if its process is gone; the one running otherwise."""
    server, _ = ensure_running(
        Path(own.prefect_home), port=own.port, exact_port=True, idle_seconds=own.idle_seconds
    )
    return server


@contextlib.contextmanager
def using(target: Target, heartbeat: bool = True) -> Iterator[None]:
    """Prefect's settings pointed at the target, for this process and its children.

    ``heartbeat=False`` turns off the flow-run heartbeat for a one-shot run: it only feeds
    Prefect's zombie-run automation, and waiting for its thread to notice the run ended
    (it sleeps in one-second steps) cost up to a second at the end of every run.
    """
    target.in_use()
    from prefect.context import SettingsContext, get_settings_context

    context = get_settings_context()
    settings = context.settings
    updates: dict[str, object] = {}
    if target.api_url is None:
        # Prefect's temporary server: give it the time a loaded machine needs.
        updates["server"] = settings.server.model_copy(
            update={
                "ephemeral": settings.server.ephemeral.model_copy(
                    update={"startup_timeout_seconds": int(STARTUP_DEADLINE_SECONDS)}
                )
            }
        )
    elif target.api_url != settings.api.url:
        updates["api"] = settings.api.model_copy(update={"url": target.api_url})
        updates["ui_url"] = target.ui_url
    if not heartbeat:
        updates["flows"] = settings.flows.model_copy(update={"heartbeat_frequency": None})
    # model_copy, not temporary_settings: validating Prefect's settings again is slow.
    changed = settings.model_copy(update=updates)
    saved = {key: os.environ.get(key) for key in ("PREFECT_API_URL", "PREFECT_UI_URL")}
    if target.api_url:
        os.environ["PREFECT_API_URL"] = target.api_url  # for processes a run starts
        if target.ui_url:
            os.environ["PREFECT_UI_URL"] = target.ui_url
    try:
        with SettingsContext(profile=context.profile, settings=changed):
            yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
