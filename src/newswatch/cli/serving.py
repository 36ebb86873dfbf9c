"""Serving the flow on a schedule until stopped, through Prefect server outages.

When the server goes away, Prefect's runner either waits silently for it or stops with a
connection error. Either way, here: one line says so, Prefect's retries are quieted,
newswatch's own server is started again on its port when its process is gone, runs go on
once the server answers, and one line says that too. Nothing is lost meanwhile: a file
is taken by the first run that sees it.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newswatch.cli.output import err, say

if TYPE_CHECKING:
    from newswatch.server import Target

CHECK_SECONDS = 5.0
_PREFECT_LOGGERS = ("prefect", "prefect.runner", "prefect.FlowRunCancellingObserver", "httpx")


class _Outage:
    """Whether the server is away, said once when it goes and once when it is back."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.since: float | None = None
        self.outages = 0
        """How many times the server went away: a runner that failed meanwhile is served again."""
        self.levels: dict[str, int] = {}
        self.lock = threading.Lock()

    def check(self) -> bool:
        """Whether the server answers now (starting newswatch's own again if it is gone)."""
        from newswatch.server import ServerProblem, answers, restart

        assert self.target.api_url is not None
        up = answers(self.target.api_url)
        if not up:
            self._went_away()
            if self.target.own is not None:
                try:  # newswatch's own server, its process gone: start it again, same port
                    restart(self.target.own)
                except ServerProblem:
                    return False
                up = answers(self.target.api_url)
        if up:
            self._came_back()
        return up

    def _went_away(self) -> None:
        with self.lock:
            if self.since is not None:
                return
            self.since = time.monotonic()
            self.outages += 1
            say(
                f"{_now()} the Prefect server at {self.target.api_url} stopped answering: "
                "runs wait for it (nothing is lost; files wait for the next run)",
                err,
            )
            for name in _PREFECT_LOGGERS:
                self.levels[name] = logging.getLogger(name).level
                logging.getLogger(name).setLevel(logging.CRITICAL + 10)

    def _came_back(self) -> None:
        with self.lock:
            if self.since is None:
                return
            say(
                f"{_now()} the Prefect server answers again after "
                f"{time.monotonic() - self.since:.0f} s: serving",
                err,
            )
            for name, level in self.levels.items():
                logging.getLogger(name).setLevel(level)
            self.since = None


def serve_until_stopped(
    flow: Any,
    target: Target,
    *,
    name: str,
    cron: str | None,
    interval: float | None,
    watch_dir: str,
) -> None:
    """Serve until Ctrl-C, watching the server, and serve again after an outage."""
    from newswatch import server

    if target.api_url is None:
        raise ValueError("a schedule needs a lasting Prefect server")
    outage = _Outage(target)
    stop = threading.Event()
    watchdog = threading.Thread(
        target=_watch, args=(outage, stop), name="newswatch-server-watch", daemon=True
    )
    watchdog.start()
    try:
        while True:
            outages = outage.outages
            try:
                with server.using(target):
                    flow.serve(
                        name=name,
                        cron=cron,
                        interval=interval,
                        parameters={"watch_dir": watch_dir},
                        global_limit=1,
                        limit=1,
                        description=f"Ingest {watch_dir} and report what changed.",
                        print_starting_message=False,
                    )
                return
            except Exception:
                if outage.check() and outage.outages == outages:
                    raise  # the server answered all along: a failure of its own
                while not outage.check():
                    time.sleep(CHECK_SECONDS)
    finally:
        stop.set()


def _watch(outage: _Outage, stop: threading.Event) -> None:
    while not stop.wait(CHECK_SECONDS):
        outage.check()


def _now() -> str:
    return datetime.now().strftime("%H:%M:%S")
