"""Shared fixtures. Articles are written by code, never copied from a corpus.

The database fixture runs every storage test on SQLite, and on PostgreSQL too when
``NEWSWATCH_TEST_POSTGRES_URL`` is set (``.ci/run`` sets it when a server answers).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Prefect must never reach the network or a server of the user's here, and keeps its
# state out of the user's home (and out of the checkout).
PREFECT_HOME = Path(tempfile.mkdtemp(prefix="newswatch-prefect-"))
os.environ["PREFECT_HOME"] = str(PREFECT_HOME)
for _name in ("PREFECT_API_URL", "PREFECT_UI_URL", "PREFECT_API_KEY", "PREFECT_PROFILE"):
    os.environ.pop(_name, None)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# No NEWSWATCH_* setting of the user's applies (a database or reports folder of theirs)...
# (NEWSWATCH_TEST_* are the tests' own: a PostgreSQL database, a screenshots folder.)
for _name in [
    n for n in os.environ if n.startswith("NEWSWATCH_") and not n.startswith("NEWSWATCH_TEST_")
]:
    del os.environ[_name]
# ...and tests write a file and ingest it at once; the settle wait has its own test.
os.environ["NEWSWATCH_SETTLE_SECONDS"] = "0"

from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from tests.articles import Article  # noqa: E402

# Hypothesis writes nothing into the checkout (it would make .hypothesis/ in the working
# folder): no example database (a failure prints how to replay it), its caches in a
# temporary folder.
HYPOTHESIS_HOME = Path(tempfile.mkdtemp(prefix="newswatch-hypothesis-"))
set_hypothesis_home_dir(HYPOTHESIS_HOME)
hypothesis_settings.register_profile("newswatch", database=None, print_blob=True)
hypothesis_settings.load_profile("newswatch")

POSTGRES_URL = os.environ.get("NEWSWATCH_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'newswatch.db'}"
        return
    assert POSTGRES_URL is not None
    _reset_postgres(POSTGRES_URL)
    yield POSTGRES_URL


@pytest.fixture
def watched(tmp_path: Path) -> Path:
    folder = tmp_path / "watched"
    folder.mkdir()
    return folder


@pytest.fixture
def article() -> Article:
    return Article.sample()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed's story (``tests.stories.seed_story``: three versions and another outlet's
    copy) ingested once for the session, into a SQLite file that tests copy."""
    from tests.stories import seed_story

    folder = tmp_path_factory.mktemp("seeded")
    (folder / "watched").mkdir()
    seed_story(folder / "watched", f"sqlite:///{folder / 'newswatch.db'}")
    return folder / "newswatch.db"


@pytest.fixture
def seeded(seeded_template: Path, tmp_path: Path) -> str:
    """A copy of the seeded database, this test's alone: its URL."""
    copy = tmp_path / "seeded.db"
    shutil.copyfile(seeded_template, copy)
    return f"sqlite:///{copy}"


@pytest.fixture(scope="session")
def prefect_server() -> Iterator[None]:
    """One real (temporary) Prefect server for every test that runs a flow."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield


@pytest.fixture(scope="session", autouse=True)
def _no_prefect_server_left_running() -> Iterator[None]:
    """Whatever a test started under the tests' PREFECT_HOME is stopped at the end."""
    yield
    from newswatch.server.managed import stop

    stop(PREFECT_HOME)
    shutil.rmtree(PREFECT_HOME, ignore_errors=True)
    shutil.rmtree(HYPOTHESIS_HOME, ignore_errors=True)
