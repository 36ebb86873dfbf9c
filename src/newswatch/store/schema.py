"""The database schema: the product's public face, named for what a user queries.

    runs        one row per ingest run, with its counts per outcome
    articles    one story from one outlet; ``near_duplicate_of`` links a syndicated copy
    versions    one distinct text of an article, kept in full (``number`` counts from 1)
    files       each watched path as last seen: size, mtime, raw hash, which version
    sightings   every time a file's content was read: the outcome, and from which run
    passages    winnowed passage keys of the versions up to a point (candidate search; the
                newer versions' keys are read from versions.passage_keys, see match/index.py)
    line_counts lines (paragraphs, by key) and how many of their outlet's articles print
                them, up to the same point (furniture, see match/furniture.py)
    store_state a few named numbers the store keeps (up to which version passages is merged)
    edits       one row per version after the first: what changed from the version before
                (written by each run's report, which has just diffed it)

Alembic migrations in ``db/`` create and upgrade it; a test checks they match this module.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)

from newswatch.models import Outcome
from newswatch.times import as_utc


class UTCDateTime(TypeDecorator[datetime]):
    """A time stored in UTC and read back in UTC, with its zone, whatever the database:
    SQLite keeps no zone (it stores the UTC time as text), PostgreSQL's ``timestamptz``
    answers in the session's zone. So no caller converts what it reads."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


OUTCOMES = tuple(outcome.value for outcome in Outcome)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime()),
    Column("watch_dir", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("flow_run_id", String(64)),
    Column("files_seen", Integer, nullable=False, server_default="0"),
    *(Column(outcome, Integer, nullable=False, server_default="0") for outcome in OUTCOMES),
    # Batches of the run written so far: a run's batches are matched in parallel but
    # written in order, so the first of two files with one text is the one called new.
    Column("batches_written", Integer, nullable=False, server_default="0"),
    # Where the run lives and when it last proved it: a running run whose process is gone
    # from its host, or whose heartbeat is older than its lease, is marked crashed.
    Column("host", Text),
    Column("pid", Integer),
    Column("heartbeat_at", UTCDateTime()),
    Column("crash_found_at", UTCDateTime()),
    # When the run's artifacts and events reached the Prefect server (None: they did not).
    Column("published_at", UTCDateTime()),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    # outlet + content hash of the first version: concurrent writers agree on identity.
    Column("key", String(64), nullable=False, unique=True),
    Column("outlet", Text),
    # The current headline, or the text's first words when it has none (what to call it).
    Column("headline", Text, nullable=False),
    Column("current_version", Integer, nullable=False),
    Column("version_count", Integer, nullable=False),
    Column("near_duplicate_of", Integer, ForeignKey("articles.id"), index=True),
    Column("near_duplicate_similarity", Float),
    Column("first_seen_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # The outlet as compared (read.text.outlet_key: 'REUTERS' and 'Reuters' are one);
    # ``outlet`` keeps the name as the file wrote it, for display.
    Column("outlet_key", Text, index=True),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("content_hash", String(32), nullable=False, index=True),
    Column("headline", Text, nullable=False),
    Column("outlet", Text),
    Column("published", Date),
    Column("dateline", Text),
    Column("body", Text, nullable=False),
    Column("source_url", Text),
    Column("encoding", String(32), nullable=False),
    Column("passage_keys", LargeBinary, nullable=False),
    Column("similarity_to_previous", Float),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("first_seen_at", UTCDateTime(), nullable=False),
    # The keys of the version's paragraphs under its outlet (little-endian int64s): an
    # article's first version adds them to line_counts (see match/furniture.py).
    Column("line_keys", LargeBinary),
    # The article's URL as URLs are compared (read/urls.py: article_url), by which a text
    # that carries one is matched first (match/identity.py); source_url is as the file gave it.
    Column("url", Text, index=True),
    Column("published_at", UTCDateTime()),
    Column("outlet_key", Text),
    UniqueConstraint("article_id", "number"),
    UniqueConstraint("article_id", "content_hash"),
)

files = Table(
    "files",
    metadata,
    Column("path", Text, primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("raw_hash", String(32)),
    Column("outcome", String(16), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id"), index=True),
    Column("version_id", Integer, ForeignKey("versions.id")),
    Column("reason_code", String(32)),
    Column("reason", Text),
    Column("first_seen_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
)

sightings = Table(
    "sightings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False, index=True),
    Column("path", Text, nullable=False, index=True),
    Column("size", BigInteger, nullable=False),
    Column("mtime_ns", BigInteger, nullable=False),
    Column("raw_hash", String(32)),
    Column("seen_at", UTCDateTime(), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("article_id", Integer, ForeignKey("articles.id"), index=True),
    Column("version_id", Integer, ForeignKey("versions.id")),
    Column("matched_article_id", Integer, ForeignKey("articles.id")),
    Column("similarity", Float),
    Column("reverted", Boolean, nullable=False, server_default=false()),
    Column("reason_code", String(32)),
    Column("reason", Text),
)

passages = Table(
    "passages",
    metadata,
    Column("passage_key", BigInteger, primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id"), primary_key=True),
    # The version's number of keys, so a look-up alone tells a candidate worth comparing
    # (the share of keys two texts share) without reading the version.
    Column("key_count", Integer, nullable=False),
    sqlite_with_rowid=False,  # one B-tree, not two: see migration 0002
)

line_counts = Table(
    "line_counts",
    metadata,
    # A paragraph's key under its outlet (fingerprint.line_keys), and how many of the
    # outlet's articles print it. Only lines seen twice within one merge are recorded.
    Column("line_key", BigInteger, primary_key=True),
    Column("articles", Integer, nullable=False),
    sqlite_with_rowid=False,
)

store_state = Table(
    "store_state",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

edits = Table(
    "edits",
    metadata,
    # What the report's diff found between a version and the one before it, kept so that
    # outlet figures and story pictures need not diff every edit again (10,000 edits are
    # 6 s of diffing). Versions ingested without the report have no row until one is made.
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("numbers_changed", Integer, nullable=False),
    Column("quotes_changed", Integer, nullable=False),
    Column("headline_changed", Boolean, nullable=False),
    Column("sentences_added", Integer, nullable=False),
    Column("sentences_deleted", Integer, nullable=False),
    Column("sentences_updated", Integer, nullable=False),
    Column("sentences_moved", Integer, nullable=False),
)
