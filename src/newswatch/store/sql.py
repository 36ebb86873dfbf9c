"""Plain-SQL helpers the store's modules share: parameter markers, IN lists in chunks, and
the ids of the advisory locks.

Hot paths write plain SQL: SQLAlchemy's per-row parameter handling and expanding IN lists
cost more than the statements themselves (see ``rows`` and ``passages``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")

IN_LIST_SIZE = 900
"""Values per IN list: below SQLite's old limit of 999 variables a statement."""

SCHEMA_LOCK = 727001
"""PostgreSQL advisory lock that keeps two processes from creating the schema at once."""
WRITE_LOCK = 727002
"""PostgreSQL advisory lock that serialises ingest writes across processes."""


def mark(conn: Connection | Engine) -> str:
    """The driver's parameter marker: SQLite's ``?``, psycopg's ``%s``."""
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def markers(conn: Connection | Engine, count: int) -> str:
    """``?, ?, ?``: the markers of an IN list of ``count`` values."""
    return ", ".join([mark(conn)] * count)


def in_chunks(values: Sequence[T], size: int = IN_LIST_SIZE) -> Iterator[Sequence[T]]:
    """Values in slices short enough for one IN list each."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
