"""What Prefect says on the console: its warnings, not its noise.

Prefect's console shows warnings only, while every log line still reaches the server (a
flow run's Logs tab). Some of its loggers speak of things a user can do nothing about, or
say in a traceback what newswatch says in a line: those are quieted, here and only here.

A logger is quieted by its level *and* a filter: Prefect may configure logging again during
a run (not incrementally), which sets the levels of the loggers under ``prefect`` back to
NOTSET; their filters it keeps.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable

SILENT = logging.CRITICAL + 10
"""Above every level: nothing passes."""

ALWAYS = {
    # "Still processing items: 7 items remaining..." as a run's last events are sent at
    # exit: they are sent, and a user can do nothing about it. A runner whose server went
    # away says so with a traceback; newswatch says it in a line.
    "EventsWorker": logging.ERROR,
    "APILogWorker": logging.ERROR,
    "prefect.FlowRunCancellingObserver": logging.ERROR,
    # A server that goes away mid-run: Prefect's background senders print an event dump
    # every few seconds until the process ends; newswatch watches the server and says so
    # in one line (``outage``, ``publish``).
    "prefect.events.clients": logging.CRITICAL,
    "prefect._internal.concurrency": logging.CRITICAL,
}

SERVER_GONE = (
    "prefect",
    "prefect._internal.concurrency",
    "prefect.events.clients",
    "prefect.client",
    "prefect.runner",
    "prefect.FlowRunCancellingObserver",
    "EventsWorker",
    "APILogWorker",
    "httpx",
)
"""What retries, and says so, while the server is away: silent until it answers again."""


def prepare() -> None:
    """Before Prefect is imported: warnings only on its console, no usage analytics, and
    the loggers in :data:`ALWAYS` quieted."""
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    for name, level in ALWAYS.items():
        quiet([name], level)


class _AtLeast(logging.Filter):
    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level


def quiet(names: Iterable[str], level: int = SILENT) -> Callable[[], None]:
    """Loggers that pass only records of ``level`` or above (by level and filter); returns
    what puts them back as they were."""
    undo: list[Callable[[], None]] = []
    for name in names:
        logger = logging.getLogger(name)
        gate = next((f for f in logger.filters if isinstance(f, _AtLeast)), None)
        undo.append(_restorer(logger, logger.level, gate))
        logger.setLevel(level)
        if gate is None:
            logger.addFilter(_AtLeast(level))
        else:
            gate.level = level

    def restore() -> None:
        for step in undo:
            step()

    return restore


def _restorer(logger: logging.Logger, level: int, gate: _AtLeast | None) -> Callable[[], None]:
    before = gate.level if gate is not None else None

    def restore() -> None:
        logger.setLevel(level)
        ours = next((f for f in logger.filters if isinstance(f, _AtLeast)), None)
        if gate is None and ours is not None:
            logger.removeFilter(ours)
        elif gate is not None and before is not None:
            gate.level = before

    return restore
