"""Runs through a Prefect server that goes away: a one-off run, and runs served on a schedule.

The database and the report files never depend on the server. When it goes away, Prefect's
runner either waits silently for it or stops with a connection error, and its background
senders retry for minutes. So the server is watched here, every few seconds, and used
(newswatch's own server is marked used each time: ``idle``):

- a one-off run (``newswatch ingest``) runs in a thread; if the server goes away, the
  command stops waiting once the run stored everything and wrote its report
  (:func:`run_watched`), and says what could not be published;
- served runs (``newswatch serve``) go on: one line says the server went away, Prefect's
  retries are quieted, newswatch's own server is started again on its port when its
  process is gone, runs go on once the server answers, and one line says that too
  (:func:`serve_until_stopped`). Nothing is lost meanwhile: a file is taken by the first
  run that sees it.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from newswatch.server import logs
from newswatch.server.managed import ServerProblem, answers

if TYPE_CHECKING:
    from newswatch.pipeline.progress import Delivery
    from newswatch.server.target import Target

CHECK_SECONDS = 5.0
"""How often a served deployment's server is checked."""
RUN_CHECK_SECONDS = 2.0
"""How often a one-off run's server is checked."""
GIVE_UP_SECONDS = 30.0
"""After the server went away, how long a run that never began its work is waited for."""


def run_watched(start: Callable[[], Any], delivered: Delivery, target: Target) -> Any:
    """Run the flow in a thread while this one watches the Prefect server; the flow's final
    state, or None when the server went away and the run delivered what it could."""
    finished: list[Any] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            finished.append(start())
        except BaseException as error:  # handed to the main thread as it is
            failure.append(error)

    thread = threading.Thread(target=contextvars.copy_context().run, args=(work,), daemon=True)
    thread.start()
    target.in_use()
    checked, lost_at = time.monotonic(), None
    while thread.is_alive():
        thread.join(0.25)
        if target.api_url is None or time.monotonic() - checked < RUN_CHECK_SECONDS:
            continue
        checked = time.monotonic()
        target.in_use()
        if lost_at is None and not answers(target.api_url, timeout=RUN_CHECK_SECONDS):
            lost_at = time.monotonic()
        if lost_at is None:
            continue
        if delivered.report_file is not None:
            return None  # stored and reported: nothing left that needs no server
        if not delivered.started and time.monotonic() - lost_at > GIVE_UP_SECONDS:
            return None  # the run never began its work
    if failure:
        raise failure[0]
    return finished[0]


class Outage:
    """Whether the server is away, said once when it goes and once when it is back."""

    def __init__(self, target: Target, say: Callable[[str], None]) -> None:
        self.target, self.say = target, say
        self.since: float | None = None
        self.outages = 0
        """How many times the server went away: a runner that failed meanwhile is served again."""
        self._loud: Callable[[], None] | None = None
        self.lock = threading.Lock()

    def check(self) -> bool:
        """Whether the server answers now (starting newswatch's own again if it is gone)."""
        from newswatch.server.target import restart

        assert self.target.api_url is not None
        self.target.in_use()
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
            self.say(
                f"{_now()} the Prefect server at {self.target.api_url} stopped answering: "
                "runs wait for it (nothing is lost; files wait for the next run)"
            )
            self._loud = logs.quiet(logs.SERVER_GONE)

    def _came_back(self) -> None:
        with self.lock:
            if self.since is None:
                return
            self.say(
                f"{_now()} the Prefect server answers again after "
                f"{time.monotonic() - self.since:.0f} s: serving"
            )
            if self._loud is not None:
                self._loud()
            self.since = self._loud = None


def serve_until_stopped(
    flow: Any,
    target: Target,
    say: Callable[[str], None],
    *,
    name: str,
    cron: str | None,
    interval: float | None,
    watch_dir: str,
) -> None:
    """Serve ``flow`` as a deployment until Ctrl-C, watching the server, and serve again
    after an outage; ``say`` prints a line for a person."""
    from newswatch.server.target import using

    if target.api_url is None:
        raise ValueError("a schedule needs a lasting Prefect server")
    outage = Outage(target, say)
    stop = threading.Event()
    watchdog = threading.Thread(
        target=_watch, args=(outage, stop), name="newswatch-server-watch", daemon=True
    )
    watchdog.start()
    try:
        while True:
            outages = outage.outages
            try:
                with using(target):
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


def _watch(outage: Outage, stop: threading.Event) -> None:
    while not stop.wait(CHECK_SECONDS):
        outage.check()


def _now() -> str:
    return datetime.now().strftime("%H:%M:%S")
