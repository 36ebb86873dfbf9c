"""Real processes, real kills: a crash loses nothing and two writers record each file once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from tests.articles import Article, distinct_articles

ROOT = Path(__file__).resolve().parents[1]

_RUNNER = """
import json, sys
from newswatch.pipeline.run import run
from newswatch.settings import get_settings
summary = run(get_settings(watch_dir=sys.argv[1], database_url=sys.argv[2],
                           batch_size=int(sys.argv[3]), workers=1, settle_seconds=0))
print(json.dumps({r.path: r.outcome.value for r in summary.results}))
"""


def _start(folder: Path, database_url: str, batch_size: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", _RUNNER, str(folder), database_url, str(batch_size)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _scalar(database_url: str, sql: str) -> int:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def _rows(database_url: str, sql: str) -> list[tuple[object, ...]]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _files_committed(database_url: str) -> int:
    """Files stored so far by a running ingest: 0 until it has created its tables."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("files"):
                return 0
            return int(conn.execute(text("select count(*) from files")).scalar_one())
    finally:
        engine.dispose()


def _assert_consistent(database_url: str) -> None:
    """Every stored row is whole: no half-written batch survives."""
    checks = {
        "versions without passage keys": "select count(*) from versions v where "
        "length(passage_keys) = 0 or (v.id <= (select value from store_state) and not exists "
        "(select 1 from passages b where b.version_id = v.id))",
        "articles whose version count is wrong": "select count(*) from articles a where "
        "a.version_count <> (select count(*) from versions v where v.article_id = a.id)",
        "files without their sighting": "select count(*) from files f where not exists "
        "(select 1 from sightings s where s.path = f.path)",
        "sightings without a file row": "select count(*) from sightings s where not exists "
        "(select 1 from files f where f.path = s.path)",
        "paths stored twice": "select count(*) from (select path from sightings "
        "group by path having count(*) > 1) twice",
    }
    broken = {name: n for name, sql in checks.items() if (n := _scalar(database_url, sql))}
    assert not broken, broken


def test_sigkill_mid_ingest_loses_nothing_and_the_next_run_ingests_exactly_the_rest(
    watched: Path, database_url: str
) -> None:
    total = 1200
    distinct_articles(watched, total)
    process = _start(watched, database_url, batch_size=10)
    deadline = time.monotonic() + 120
    committed = 0
    while time.monotonic() < deadline and process.poll() is None:
        committed = _files_committed(database_url)
        if committed >= 100:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the ingest finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    stored_before = _scalar(database_url, "select count(*) from files")
    assert 100 <= stored_before < total
    assert stored_before % 10 == 0, "a batch was stored in part"
    _assert_consistent(database_url)

    rerun = _start(watched, database_url, batch_size=50)
    out, errors = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, errors
    outcomes = list(json.loads(out).values())
    assert outcomes.count("new") == total - stored_before
    assert outcomes.count("unchanged") == stored_before
    assert _scalar(database_url, "select count(*) from versions") == total
    assert _scalar(database_url, "select count(*) from articles") == total
    _assert_consistent(database_url)
    # The killed run was found dead by the next and marked so; the next one completed.
    assert _rows(database_url, "select id, status from runs order by id") == [
        (1, "crashed"),
        (2, "completed"),
    ]
    assert _scalar(database_url, "select count(*) from runs where crash_found_at is not null") == 1


def test_two_ingest_processes_at_once_store_each_file_and_version_exactly_once(
    watched: Path, database_url: str
) -> None:
    distinct_articles(watched, 300, seed=2)
    # Edits and copies too, so matching runs under contention and not just inserts.
    Article.sample().write(watched, "zz/a.txt")
    Article.sample().from_outlet("Reuters").write(watched, "zz/a-copy.txt")
    Article.sample().write(watched, "zz/a-again.txt")
    first = _start(watched, database_url, batch_size=7)
    second = _start(watched, database_url, batch_size=11)
    results = []
    for process in (first, second):
        out, errors = process.communicate(timeout=300)
        assert process.returncode == 0, errors
        results.append(json.loads(out))
    files = len(results[0])
    assert files == len(results[1]) == 303
    for path in results[0]:
        pair = sorted([results[0][path], results[1][path]])
        # One process stored each file; the other found it stored and left it alone.
        assert pair[1] == "unchanged" or pair[0] == "unchanged", (path, pair)
        assert pair != ["unchanged", "unchanged"], path
    stored = sorted(
        outcome for result in results for outcome in result.values() if outcome != "unchanged"
    )
    assert stored.count("new") == 301
    assert stored.count("near_duplicate") == 1
    assert stored.count("duplicate") == 1
    assert _scalar(database_url, "select count(*) from versions") == 302
    assert _scalar(database_url, "select count(*) from articles") == 302
    assert _scalar(database_url, "select count(*) from files") == 303
    _assert_consistent(database_url)
    # Each live writer saw the other's run and left it alone.
    assert _rows(database_url, "select status from runs") == [("completed",), ("completed",)]
