"""The Alembic migrations in db/ build exactly the schema that schema.py describes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, inspect, text

from newswatch.match.fingerprint import pack
from newswatch.pipeline.run import run
from newswatch.settings import get_settings
from newswatch.store import Store, migrations_dir
from newswatch.store.rows import EDIT_COLUMNS, TABLE_OF
from newswatch.store.schema import edits, metadata
from tests.articles import PARAGRAPHS, Article, bump_mtime
from tests.runs import query


@contextmanager
def _at_revision(database_url: str, revision: str) -> Iterator[tuple[Connection, int]]:
    """A database brought to an old ``revision``, in a transaction, holding one finished
    run (its id): a test adds the rows a database of that time held."""
    from alembic import command
    from alembic.config import Config

    engine = create_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            run_id = conn.execute(
                text(
                    "insert into runs (started_at, watch_dir, status) "
                    "values ('2026-01-01', 'x', 'completed') returning id"
                )
            ).scalar_one()
            yield conn, int(run_id)
    finally:
        engine.dispose()


def test_migrations_create_the_schema_the_code_expects(database_url: str) -> None:
    with Store.open(database_url) as store, store.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
        tables = set(inspect(conn).get_table_names())
    assert differences == []
    assert {"runs", "articles", "versions", "files", "sightings", "passages"} <= tables


def test_connecting_twice_does_not_migrate_again(database_url: str) -> None:
    Store.open(database_url).close()
    with Store.open(database_url) as store, store.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() is not None


def test_upgrading_a_database_from_the_minhash_index_keeps_finding_its_articles(
    watched: Path, database_url: str
) -> None:
    """0004 computes passage keys for the versions a 0003 database already holds."""
    with _at_revision(database_url, "0003") as (conn, run_id):
        conn.execute(
            text(
                "insert into articles (id, key, outlet, headline, current_version, "
                "version_count, first_seen_at, updated_at) values "
                "(1, 'k', 'BBC', :h, 1, 1, '2026-01-01', '2026-01-01')"
            ),
            {"h": Article.sample().headline},
        )
        conn.execute(
            text(
                "insert into versions (id, article_id, number, content_hash, headline, outlet, "
                "body, encoding, signature, run_id, first_seen_at) values "
                "(1, 1, 1, 'old', :h, 'BBC', :b, 'utf-8', :s, :r, '2026-01-01')"
            ),
            {
                "h": Article.sample().headline,
                "b": "\n\n".join(PARAGRAPHS),
                "s": b"\x00" * 512,
                "r": run_id,
            },
        )
        conn.execute(text("insert into lsh_buckets (band_key, version_id) values (42, 1)"))

    Store.open(database_url).close()  # upgrades to head
    engine = create_engine(database_url)
    with engine.connect() as conn:
        keys = conn.execute(text("select count(*) from passages where version_id = 1")).scalar()
        packed = conn.execute(text("select passage_keys from versions where id = 1")).scalar()
        tables = set(inspect(conn).get_table_names())
    engine.dispose()
    assert keys and len(packed) == 8 * keys
    assert "lsh_buckets" not in tables and "lsh_recent" not in tables
    edited = Article.sample().but(
        paragraphs=[p.replace("25 people", "27 people") for p in PARAGRAPHS]
    )
    edited.write(watched, "story.txt")
    summary = run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    assert [(r.outcome.value, r.article_id) for r in summary.results] == [("edited", 1)]


def test_every_row_class_lists_its_tables_columns_in_order() -> None:
    """Rows are inserted positionally: a class out of step with its table would write
    values into the wrong columns."""
    for row_class, table in TABLE_OF.items():
        columns = [
            c.name
            for c in table.columns
            if not (c.primary_key and c.name == "id" and "id" not in row_class._fields)
        ]
        assert list(row_class._fields) == columns, table.name
    assert list(EDIT_COLUMNS) == [c.name for c in edits.columns]


def test_upgrading_to_line_counts_keys_every_stored_version_and_counts_the_merged_ones(
    database_url: str,
) -> None:
    """0008 computes each version's line keys from its text, and counts the lines of the
    articles the passage index was merged through (the newer ones are counted in memory)."""
    from newswatch.match.fingerprint import line_keys

    footer = "The Courier is published by Courier Media Group, which owns twelve titles."
    with _at_revision(database_url, "0005") as (conn, run_id):
        for n in range(1, 5):
            body = f"{PARAGRAPHS[n]}\n\n{footer}"
            conn.execute(
                text(
                    "insert into articles (id, key, outlet, headline, current_version, "
                    "version_count, first_seen_at, updated_at) values "
                    "(:n, :k, 'Courier', 'h', 1, 1, '2026-01-01', '2026-01-01')"
                ),
                {"n": n, "k": f"k{n}"},
            )
            conn.execute(
                text(
                    "insert into versions (id, article_id, number, content_hash, headline, "
                    "outlet, body, encoding, passage_keys, run_id, first_seen_at) values "
                    "(:n, :n, 1, :h, 'h', 'Courier', :b, 'utf-8', :s, :r, '2026-01-01')"
                ),
                {"n": n, "h": f"h{n}", "b": body, "s": b"", "r": run_id},
            )
        # The passage index merged through version 3: version 4 is one of the newest.
        conn.execute(
            text("update store_state set value = 3 where name = 'passages_merged_through'")
        )

    Store.open(database_url).close()  # upgrades to head
    engine = create_engine(database_url)
    with engine.connect() as conn:
        stored = conn.execute(text("select id, body, line_keys from versions order by id")).all()
        counts = conn.execute(text("select line_key, articles from line_counts")).all()
    engine.dispose()
    for _, body, packed in stored:
        assert bytes(packed) == pack(line_keys("Courier", body.split("\n\n")))
    assert counts == [(line_keys("Courier", [footer])[0], 3)]


def test_upgrading_to_urls_gives_stored_texts_their_urls_and_they_name_their_articles(
    watched: Path, database_url: str
) -> None:
    """0010 stores each version's URL in the compared form, from the trailer URL it kept:
    a text with that URL afterwards is the same article."""
    with _at_revision(database_url, "0009") as (conn, run_id):
        conn.execute(
            text(
                "insert into articles (id, key, outlet, headline, current_version, "
                "version_count, first_seen_at, updated_at) values "
                "(1, 'k', 'BBC', 'h', 1, 1, '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "insert into versions (id, article_id, number, content_hash, headline, outlet, "
                "body, source_url, encoding, passage_keys, run_id, first_seen_at) values "
                "(1, 1, 1, 'h1', 'h', 'BBC', :b, :u, 'utf-8', :s, :r, '2026-01-01')"
            ),
            {
                "b": "\n\n".join(PARAGRAPHS),
                "u": "http://www.bbc.co.uk/news/world-37650349/?utm_source=twitter",
                "s": pack(()),
                "r": run_id,
            },
        )

    Store.open(database_url).close()  # upgrades to head
    ((url,),) = query(database_url, "select url from versions where id = 1")
    assert url == "https://bbc.co.uk/news/world-37650349"
    trailer = "Kaynak/Source: https://www.bbc.co.uk/news/world-37650349"
    Article.other().but(trailer=trailer).write(watched, "other-words.txt")
    summary = run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    assert [(r.outcome.value, r.article_id) for r in summary.results] == [("edited", 1)]


def test_upgrading_to_outlet_keys_keys_every_row_and_salts_line_keys_by_the_key(
    watched: Path, database_url: str
) -> None:
    """0011 gives stored articles and versions their outlet's key, and salts the line keys
    of an outlet written with other spaces by its key; an edit under another spelling of
    the outlet then finds its article."""
    from newswatch.match.fingerprint import fingerprint, line_keys
    from newswatch.read.parse import parse
    from newswatch.read.text import outlet_key

    written = "Reuters  News"  # two spaces: its old salt is not its key's
    stored = fingerprint(parse(Article.sample().text().encode()))
    body = "\n\n".join(PARAGRAPHS)
    with _at_revision(database_url, "0010") as (conn, run_id):
        conn.execute(
            text(
                "insert into articles (id, key, outlet, headline, current_version, "
                "version_count, first_seen_at, updated_at) values "
                "(1, 'k', :o, :h, 1, 1, '2026-01-01', '2026-01-01')"
            ),
            {"o": written, "h": Article.sample().headline},
        )
        conn.execute(
            text(
                "insert into versions (id, article_id, number, content_hash, headline, outlet, "
                "body, encoding, passage_keys, run_id, first_seen_at, line_keys) values "
                "(1, 1, 1, 'old', :h, :o, :b, 'utf-8', :s, :r, '2026-01-01', :l)"
            ),
            {
                "h": Article.sample().headline,
                "o": written,
                "b": body,
                "s": stored.packed_keys,
                "r": run_id,
                "l": pack(line_keys(written, PARAGRAPHS)),  # salted by the name as written
            },
        )
    assert line_keys(written, PARAGRAPHS) != line_keys(outlet_key(written), PARAGRAPHS)

    Store.open(database_url).close()  # upgrades to head
    keys = query(
        database_url, "select a.outlet, a.outlet_key, v.outlet_key from articles a, versions v"
    )
    ((packed,),) = query(database_url, "select line_keys from versions")
    assert keys == [(written, "reuters news", "reuters news")]
    assert bytes(packed) == pack(line_keys("reuters news", PARAGRAPHS))
    Article.sample().from_outlet("REUTERS NEWS").but(headline="Putin rejects claim").write(
        watched, "story.txt"
    )
    summary = run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    assert [(r.outcome.value, r.article_id) for r in summary.results] == [("edited", 1)]


def test_upgrading_to_xxh3_hashes_still_recognises_stored_texts_and_unchanged_files(
    watched: Path, database_url: str
) -> None:
    """0012 rehashes every stored version's text; a text stored before it is still found
    when it comes again, and a file touched since is still unchanged."""
    import hashlib

    from alembic import command
    from alembic.config import Config

    from newswatch.match.fingerprint import fingerprint
    from newswatch.read.parse import parse

    story = Article.sample().write(watched, "story.txt")
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1)
    run(settings)
    # The database as the BLAKE2b hashes left it: content hashes rehashed back, and the
    # file's raw hash as it was recorded.
    engine = create_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
        old_raw = hashlib.blake2b(story.read_bytes(), digest_size=16).hexdigest()
        conn.execute(text("update files set raw_hash = :h"), {"h": old_raw})
        old_hash = conn.execute(text("select content_hash from versions")).scalar()
    engine.dispose()
    expected = fingerprint(parse(story.read_bytes())).content_hash
    assert old_hash != expected

    Store.open(database_url).close()  # upgrades to head
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("select content_hash from versions")).scalar() == expected
        assert conn.execute(text("select raw_hash from files")).scalar() is None
    engine.dispose()
    bump_mtime(story)
    Article.sample().write(watched, "again.txt")
    summary = run(settings)
    assert {Path(r.path).name: r.outcome.value for r in summary.results} == {
        "again.txt": "duplicate",
        "story.txt": "unchanged",
    }
