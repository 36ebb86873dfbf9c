"""A database newswatch cannot use is one line saying what to do, exit status 2, before
Prefect is even imported; read commands never create a database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.errors import (
    BadDatabaseURL,
    DatabaseAccessDenied,
    DatabaseUnreachable,
    MissingDatabaseDriver,
    NoSuchDatabase,
)
from newswatch.pipeline.run import run
from newswatch.settings import get_settings
from newswatch.store import Store
from newswatch.store.engine import explain
from tests.articles import Article
from tests.conftest import POSTGRES_URL

PASSWORD = "s3cret-pw"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


BAD_URLS = {
    "unknown scheme": ("foo://x", "does not run on 'foo' databases"),
    "malformed": ("not a url", "is not a database URL"),
    "unsupported backend": (f"mysql://news:{PASSWORD}@db/news", "does not run on 'mysql'"),
    "missing driver": (f"postgresql+pg8000://news:{PASSWORD}@db/news", "driver for postgresql"),
    "unreachable host": (
        f"postgresql+psycopg://news:{PASSWORD}@127.0.0.1:{_closed_port()}/news",
        "cannot reach the database server",
    ),
    "unknown host": (
        f"postgresql+psycopg://news:{PASSWORD}@no-such-host.invalid/news",
        "cannot reach the database server",
    ),
}


def _one_line_error(result, expected: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and expected in lines[0]
    assert "Traceback" not in result.output and PASSWORD not in result.output


@pytest.mark.parametrize("case", BAD_URLS, ids=list(BAD_URLS))
@pytest.mark.parametrize("command", ["ingest", "history", "diff"])
def test_a_bad_database_url_is_one_line_naming_the_problem(
    case: str, command: str, watched: Path
) -> None:
    url, expected = BAD_URLS[case]
    Article.sample().write(watched, "a.txt")
    target = str(watched) if command == "ingest" else "1"
    result = CliRunner().invoke(app, [command, target, "--database-url", url])
    _one_line_error(result, expected)


@pytest.mark.skipif(
    POSTGRES_URL is None, reason="needs a postgres database in NEWSWATCH_TEST_POSTGRES_URL"
)
def test_a_refused_user_and_a_missing_database_on_a_real_server(watched: Path) -> None:
    assert POSTGRES_URL is not None
    server = POSTGRES_URL.rsplit("/", 1)[0].split("@", 1)[1]
    no_role = f"postgresql+psycopg://no_such_role_nw:{PASSWORD}@{server}/postgres"
    result = CliRunner().invoke(app, ["ingest", str(watched), "--database-url", no_role])
    _one_line_error(result, "refused the user or password")
    no_database = f"postgresql+psycopg://postgres:{PASSWORD}@{server}/no_such_database_nw"
    result = CliRunner().invoke(app, ["history", "1", "--database-url", no_database])
    _one_line_error(result, "does not exist on that server")


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ('FATAL:  password authentication failed for user "news"', DatabaseAccessDenied),
        ('FATAL:  role "news" does not exist', DatabaseAccessDenied),
        ('FATAL:  database "news" does not exist', NoSuchDatabase),
        ("Connection refused\n\tIs the server running on that host?", DatabaseUnreachable),
        ("timeout expired", DatabaseUnreachable),
        ("file is not a database", NoSuchDatabase),
    ],
)
def test_a_driver_s_connection_error_becomes_the_problem_a_user_can_act_on(
    message: str, kind: type[Exception]
) -> None:
    url = f"postgresql+psycopg://news:{PASSWORD}@db.example:5432/news"
    problem = explain(DBAPIError("connect", None, Exception(message)), url)
    assert type(problem) is kind
    assert PASSWORD not in str(problem) and "news:***@db.example" in str(problem)


def test_unsupported_urls_are_refused_before_any_connection() -> None:
    with pytest.raises(BadDatabaseURL):
        Store.open("foo://x")
    with pytest.raises(MissingDatabaseDriver, match="pg8000"):
        Store.open(f"postgresql+pg8000://u:{PASSWORD}@h/d")


def test_a_bad_database_is_reported_before_prefect_is_imported(tmp_path: Path) -> None:
    """What keeps these errors fast: Prefect (2-3 s to import) is never loaded for them."""
    program = (
        "import sys\n"
        "from newswatch.cli.app import app\n"
        "try:\n"
        "    app(sys.argv[1:])\n"
        "except SystemExit as exit:\n"
        "    print('status', exit.code, 'prefect imported', 'prefect' in sys.modules)\n"
    )
    for arguments in (
        ["ingest", str(tmp_path), "--database-url", BAD_URLS["unreachable host"][0]],
        ["history", "1", "--database-url", f"sqlite:///{tmp_path / 'missing.db'}"],
    ):
        done = subprocess.run(
            [sys.executable, "-c", program, *arguments],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        )
        assert done.stdout.strip() == "status 2 prefect imported False", done.stderr
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_read_commands_never_create_a_database(database_url: str, tmp_path: Path) -> None:
    """A mistyped SQLite path used to leave an empty database behind."""
    for command in (["history", "1"], ["diff", "1"]):
        result = CliRunner().invoke(app, [*command, "--database-url", database_url])
        assert result.exit_code == 2, result.output
        if database_url.startswith("sqlite"):
            assert "no database at" in result.output
            assert not (tmp_path / "newswatch.db").exists()
        else:
            assert "holds no newswatch tables" in result.output
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    engine.dispose()


def test_an_empty_sqlite_file_is_not_given_tables_by_a_read_command(tmp_path: Path) -> None:
    empty = tmp_path / "typo.db"
    empty.touch()
    result = CliRunner().invoke(app, ["history", "1", "--database-url", f"sqlite:///{empty}"])
    _one_line_error(result, "holds no newswatch tables")
    assert empty.stat().st_size == 0


def test_a_file_never_ingested_is_said_to_be_missing_from_this_database(
    watched: Path, database_url: str, tmp_path: Path
) -> None:
    Article.sample().write(watched, "a.txt")
    run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    stray = Article.other().write(tmp_path, "never-ingested.txt")
    result = CliRunner().invoke(app, ["history", str(stray), "--database-url", database_url])
    _one_line_error(result, f"{stray} is not in this database")
    result = CliRunner().invoke(app, ["diff", "no/such/file.txt", "--database-url", database_url])
    _one_line_error(result, "is neither an article id nor an existing file")
    result = CliRunner().invoke(app, ["history", "99", "--database-url", database_url])
    _one_line_error(result, "no article 99")


def test_a_bad_setting_is_one_line_naming_the_variable(
    watched: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSWATCH_BATCH_SIZE", "many")
    result = CliRunner().invoke(app, ["ingest", str(watched)])
    _one_line_error(result, "NEWSWATCH_BATCH_SIZE")


@pytest.mark.parametrize("command", ["history", "diff", "story"])
def test_a_rejected_or_skipped_file_says_why_it_holds_no_article(
    watched: Path, database_url: str, command: str
) -> None:
    Article.sample().write(watched, "a.txt")
    empty = watched / "empty.txt"
    empty.write_bytes(b"")
    pdf = watched / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    run(get_settings(watch_dir=watched, database_url=database_url, workers=1))
    said = CliRunner().invoke(app, [command, str(empty), "--database-url", database_url])
    _one_line_error(said, f"{empty} holds no article: it was rejected: the file is empty")
    said = CliRunner().invoke(app, [command, str(pdf), "--database-url", database_url])
    _one_line_error(said, f"{pdf} holds no article: newswatch skips it (unsupported type .pdf)")
