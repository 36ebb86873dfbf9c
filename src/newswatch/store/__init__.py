"""The store: the only code that talks SQL, and the only way into the database.

schema       the tables, named for what a user queries
engine       from a URL to an engine: checks, drivers, SQLite's set-up, errors explained
migrations   bringing a database to the newest schema (Alembic, ``db/``)
database     :class:`Store`: one database, its transactions, runs, files and history
transaction  a transaction, with every read and write made in one as its methods
snapshot     what matching reads: a batch's catalog, and what changed since a watermark
passages     the persisted passage index
rows         typed rows and the one way they are inserted
writer       a batch's rows under the write lock, ids assigned there
reports      what a change report reads
stories      what a story's picture and the outlet figures read
streams      every version and copy streamed (the export, the outlet figures)
sql          plain-SQL helpers and the advisory locks' ids
"""

from newswatch.store.database import CrashedRun, Store
from newswatch.store.engine import masked_url
from newswatch.store.migrations import migrations_dir
from newswatch.store.snapshot import Delta, Watermark
from newswatch.store.transaction import Reading, Writing
from newswatch.store.writer import (
    RETRYABLE,
    ArticleUpdate,
    BatchWrite,
    OutOfTurn,
    article_key,
    real_id,
)

__all__ = [
    "RETRYABLE",
    "ArticleUpdate",
    "BatchWrite",
    "CrashedRun",
    "Delta",
    "OutOfTurn",
    "Reading",
    "Store",
    "Watermark",
    "Writing",
    "article_key",
    "masked_url",
    "migrations_dir",
    "real_id",
]
