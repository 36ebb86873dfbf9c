"""The store: the only code that talks SQL.

connection  URLs, engines, migrations, read and write transactions (the write lock)
snapshot    what matching reads: a batch's catalog, and what changed since a watermark
rows        typed rows and the one way they are inserted
writer      a batch's rows under the write lock, ids assigned there
queries     runs, files already seen, article history
"""

from newswatch.models import KnownFile
from newswatch.store.connection import (
    connect,
    dispose_engines,
    masked_url,
    migrate,
    migrations_dir,
    now,
    reading,
    recent_index,
    shared_engine,
    transaction,
)
from newswatch.store.queries import (
    article_row,
    article_sightings,
    article_versions,
    count_rows,
    files_state,
    finish_run,
    known_files,
    latest_runs,
    resolve_article,
    start_run,
)
from newswatch.store.snapshot import Delta, Watermark, catch_up, snapshot, watermark
from newswatch.store.writer import BatchWrite, OutOfTurn, batches_written, write

__all__ = [
    "BatchWrite",
    "Delta",
    "KnownFile",
    "OutOfTurn",
    "Watermark",
    "article_row",
    "article_sightings",
    "article_versions",
    "batches_written",
    "catch_up",
    "connect",
    "count_rows",
    "dispose_engines",
    "files_state",
    "finish_run",
    "known_files",
    "latest_runs",
    "masked_url",
    "migrate",
    "migrations_dir",
    "now",
    "reading",
    "recent_index",
    "resolve_article",
    "shared_engine",
    "snapshot",
    "start_run",
    "transaction",
    "watermark",
    "write",
]
