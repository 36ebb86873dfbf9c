"""Reading what a run did: outcomes by file name, and plain SQL against the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text


def outcomes(summary: Any) -> dict[str, str]:
    return {Path(r.path).name: r.outcome.value for r in summary.results}


def query(database_url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return rows
