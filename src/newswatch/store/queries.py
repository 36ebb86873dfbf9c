"""What the store is asked besides matching: runs, files already seen, and history."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, select, update

from newswatch.models import KnownFile, Outcome
from newswatch.store.connection import mark, now
from newswatch.store.schema import articles, files, passages, runs, sightings, versions

# --- runs -------------------------------------------------------------------------------


def start_run(engine: Engine, watch_dir: str, flow_run_id: str | None = None) -> int:
    with engine.begin() as conn:
        return int(
            conn.execute(
                insert(runs)
                .values(
                    started_at=now(), watch_dir=watch_dir, status="running", flow_run_id=flow_run_id
                )
                .returning(runs.c.id)
            ).scalar_one()
        )


def finish_run(
    engine: Engine, run_id: int, counts: dict[str, int], status: str = "completed"
) -> None:
    values = {k: v for k, v in counts.items() if k in set(Outcome)}
    with engine.begin() as conn:
        conn.execute(
            update(runs)
            .where(runs.c.id == run_id)
            .values(
                finished_at=now(),
                status=status,
                files_seen=sum(values.values()),
                **values,
            )
        )


# --- files already seen ---------------------------------------------------------------------


# One query for both readers, in KnownFile's field order.
_KNOWN_SQL = (
    "SELECT f.path, f.size, f.mtime_ns, f.raw_hash, f.article_id, f.version_id, f.outcome,"
    " v.number, f.reason_code, f.reason FROM files f"
    " LEFT OUTER JOIN versions v ON v.id = f.version_id WHERE "
)


def known_files(engine: Engine, prefix: str) -> dict[str, KnownFile]:
    """Every recorded file under a folder, in one indexed query (the unchanged-file skip).

    Plain SQL and plain tuples: this is the whole cost of re-running over a folder where
    nothing changed, 100,000 rows of it for a large folder.
    """
    marker = mark(engine)
    with engine.connect() as conn:
        # The driver's cursor directly: SQLAlchemy's row objects cost a fifth of the query.
        cursor = conn.exec_driver_sql(
            _KNOWN_SQL + f"f.path >= {marker} AND f.path < {marker}",
            (prefix, prefix + "\U0010ffff"),
        ).cursor
        assert cursor is not None
        return {row[0]: KnownFile._make(row) for row in cursor.fetchall()}


def files_state(conn: Connection, paths: list[str]) -> dict[str, KnownFile]:
    """The recorded state of these paths, as the connection's transaction sees it.

    Another process (a second ingest, an overlapping scheduled run) may have stored a file
    since this run planned; reading its state again under the write lock is what stops the
    same file from being ingested twice.
    """
    found: dict[str, KnownFile] = {}
    marker = mark(conn)
    for start in range(0, len(paths), 500):
        chunk = paths[start : start + 500]
        cursor = conn.exec_driver_sql(
            _KNOWN_SQL + f"f.path IN ({', '.join([marker] * len(chunk))})", tuple(chunk)
        ).cursor
        assert cursor is not None
        found.update((row[0], KnownFile._make(row)) for row in cursor.fetchall())
    return found


# --- reading history -------------------------------------------------------------------------


def article_row(engine: Engine, article_id: int):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(articles).where(articles.c.id == article_id)).first()


def article_versions(engine: Engine, article_id: int) -> list:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(versions)
                .where(versions.c.article_id == article_id)
                .order_by(versions.c.number)
            )
        )


def article_sightings(engine: Engine, article_id: int) -> list:
    with engine.connect() as conn:
        return list(
            conn.execute(
                select(sightings, versions.c.number)
                .outerjoin(versions, versions.c.id == sightings.c.version_id)
                .where(sightings.c.article_id == article_id)
                .order_by(sightings.c.id)
            )
        )


def resolve_article(engine: Engine, reference: str) -> int | None:
    """An article id from an id, or from the path of a file that holds it."""
    with engine.connect() as conn:
        if reference.isdigit():
            found = conn.execute(select(articles.c.id).where(articles.c.id == int(reference)))
            return found.scalar_one_or_none()
        path = str(Path(reference).resolve())
        found = conn.execute(select(files.c.article_id).where(files.c.path == path))
        return found.scalar_one_or_none()


def count_rows(engine: Engine, table_name: str) -> int:
    table = {t.name: t for t in (articles, versions, files, sightings, runs, passages)}[table_name]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def latest_runs(engine: Engine, limit: int = 10) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(runs).order_by(runs.c.id.desc()).limit(limit)))
