"""Time in newswatch: every moment it records, compares or shows is in UTC.

The database hands every time back in UTC with its zone (``store.schema.UTCDateTime``), so
no caller converts; these are the only helpers that do.
"""

from __future__ import annotations

from datetime import UTC, datetime


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
