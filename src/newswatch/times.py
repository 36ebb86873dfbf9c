"""Time in newswatch: every moment it records, compares or shows is in UTC.

The database hands every time back in UTC with its zone (``store.schema.UTCDateTime``), so
no caller converts; these are the only helpers that do. A :class:`Clock` is what waits:
the system's, or a test's that moves on without sleeping.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A moment in UTC: one with a zone is converted; one without is taken to be in UTC
    already (what SQLite stores, what ``--since 2016-10-13`` means)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment if moment.tzinfo is UTC else moment.astimezone(UTC)


def utc_text(moment: datetime, seconds: bool = False) -> str:
    """'2016-10-13 09:30 UTC' (with ``seconds``, '2016-10-13 09:30:05 UTC')."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")


class Clock(Protocol):
    """Wall time, and a way to let it pass (a run's settle window waits on one)."""

    def now_ns(self) -> int: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The machine's clock: ``time.time_ns`` and ``time.sleep``."""

    def now_ns(self) -> int:
        return time.time_ns()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()
