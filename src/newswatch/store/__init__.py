"""The store: the only code that talks SQL.

schema      the tables, named for what a user queries
engine      from a URL to an engine: checks, drivers, SQLite's set-up, errors explained
migrations  bringing a database to the newest schema (Alembic, ``db/``)
database    :class:`Store`: one database, its transactions, runs, files and history
snapshot    what matching reads: a batch's catalog, and what changed since a watermark
passages    the persisted passage index
rows        typed rows and the one way they are inserted
writer      a batch's rows under the write lock, ids assigned there
reports     what a change report reads
stories     what a story's picture and the outlet figures read
export      streamed reads of every version and copy (the export, the outlet figures)
sql         plain-SQL helpers and the advisory locks' ids
"""

from sqlalchemy import Connection

from newswatch.store.database import CrashedRun, Store, files_state
from newswatch.store.engine import masked_url
from newswatch.store.migrations import migrations_dir
from newswatch.store.snapshot import (
    Delta,
    Watermark,
    catch_up,
    load_bodies,
    load_versions,
    snapshot,
    watermark,
)
from newswatch.store.writer import (
    RETRYABLE,
    ArticleUpdate,
    BatchWrite,
    OutOfTurn,
    article_key,
    batches_written,
    write,
)

__all__ = [
    "RETRYABLE",
    "ArticleUpdate",
    "BatchWrite",
    "Connection",
    "CrashedRun",
    "Delta",
    "OutOfTurn",
    "Store",
    "Watermark",
    "article_key",
    "batches_written",
    "catch_up",
    "files_state",
    "load_bodies",
    "load_versions",
    "masked_url",
    "migrations_dir",
    "snapshot",
    "watermark",
    "write",
]
