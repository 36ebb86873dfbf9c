"""Running unattended: dead runs marked, live ones left alone, bad options refused in one
line, and the report a person sees first is the last one that changed something."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from newswatch.cli.app import app
from newswatch.models import DeferredFile, RunStatus, RunSummary
from newswatch.store import Store
from newswatch.store.database import HOST
from newswatch.times import utc_now


def _dead_pid() -> int:
    """A process id that belonged to a process now gone."""
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _insert_run(url: str, host: str, pid: int, beat_seconds_ago: float) -> int:
    engine = create_engine(url)
    beat = utc_now() - timedelta(seconds=beat_seconds_ago)
    with engine.begin() as conn:
        run_id = conn.execute(
            text(
                "insert into runs (started_at, watch_dir, status, host, pid, heartbeat_at) "
                "values (:at, '/news', 'running', :host, :pid, :beat) returning id"
            ),
            {"at": beat, "host": host, "pid": pid, "beat": beat},
        ).scalar_one()
    engine.dispose()
    return int(run_id)


def test_a_run_is_dead_when_its_process_is_gone_or_its_heartbeat_is_stale(
    database_url: str,
) -> None:
    with Store.open(database_url) as store:
        alive_here = _insert_run(database_url, HOST, os.getpid(), beat_seconds_ago=1)
        gone_here = _insert_run(database_url, HOST, _dead_pid(), beat_seconds_ago=1)
        # Another machine's run proves it lives by its heartbeat alone: its pid means
        # nothing here, even one that is dead here.
        alive_elsewhere = _insert_run(database_url, "elsewhere", _dead_pid(), beat_seconds_ago=5)
        silent_elsewhere = _insert_run(database_url, "elsewhere", 1, beat_seconds_ago=120)
        crashed = store.mark_crashed_runs(lease_seconds=60)
        assert sorted(c.run_id for c in crashed) == [gone_here, silent_elsewhere]
        assert store.mark_crashed_runs(lease_seconds=60) == []  # marked once
    engine = create_engine(database_url)
    with engine.connect() as conn:
        states = dict(
            conn.execute(text("select id, status from runs where crash_found_at is null")).all()
        )
    engine.dispose()
    assert states == {alive_here: "running", alive_elsewhere: "running"}


def test_a_heartbeat_renews_the_lease(database_url: str) -> None:
    with Store.open(database_url) as store:
        run_id = _insert_run(database_url, "elsewhere", 1, beat_seconds_ago=120)
        store.beat(run_id)
        assert store.mark_crashed_runs(lease_seconds=60) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--interval", "-5"], "--interval -5: give the seconds between runs"),
        (["--interval", "0"], "--interval 0: give the seconds between runs"),
        (["--cron", "every monday"], "--cron 'every monday' is not a cron schedule"),
        (["--cron", "*/10 * * * *", "--interval", "60"], "give --cron or --interval, not both"),
    ],
)
def test_a_bad_schedule_is_one_line_and_status_2(
    tmp_path: Path, args: list[str], says: str
) -> None:
    result = CliRunner().invoke(app, ["serve", str(tmp_path), *args])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {says}")
    assert result.output.count("\n") == 1


def _report_file(folder: Path, run_id: int, counts: dict[str, int]) -> None:
    from newswatch.report.model import ChangeReport

    now = utc_now()
    report = ChangeReport(
        run=RunSummary(
            run_id=run_id,
            watch_dir="/news",
            database="sqlite:///x.db",
            started_at=now,
            finished_at=now,
            counts=counts,
        ),
        files=[],
        edits=[],
        near_duplicates=[],
    )
    (folder / f"run-{run_id}.json").write_text(report.model_dump_json())
    (folder / f"run-{run_id}.md").write_text(f"# newswatch run {run_id}\n")


def test_the_latest_report_is_the_last_run_that_changed_something(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    _report_file(folder, 1, {"new": 3, "unchanged": 0})
    _report_file(folder, 2, {"edited": 1, "unchanged": 2})
    _report_file(folder, 3, {"new": 0, "edited": 0, "unchanged": 3})
    shown = CliRunner().invoke(app, ["report", "--reports-dir", str(folder), "--format", "md"])
    assert shown.exit_code == 0 and shown.output.startswith("# newswatch run 2")
    asked = CliRunner().invoke(app, ["report", "3", "--reports-dir", str(folder), "--format", "md"])
    assert asked.output.startswith("# newswatch run 3")


def test_json_lines_name_every_file_seen_deferred_ones_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from newswatch.cli.ingest import _print_run

    now = utc_now()
    summary = RunSummary(
        run_id=4,
        watch_dir="/news",
        database="sqlite:///x.db",
        started_at=now,
        finished_at=now,
        counts={"new": 0},
        deferred=[DeferredFile(path="/news/late.txt", reason="still being written")],
    ).with_results([], [])
    _print_run(summary, as_json=True)
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        {"path": "/news/late.txt", "outcome": "deferred", "reason": "still being written"}
    ]


def test_the_summary_says_files_in_the_singular_and_keeps_its_title_whole(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from rich.console import Console

    from newswatch.cli.ingest import _print_summary

    now = utc_now()
    folder = "/a/long/folder/name/that/would/wrap/in/a/narrow/pipe/when/it/is/a/table/title/seeds"
    summary = RunSummary(
        run_id=1,
        watch_dir=folder,
        database="sqlite:///x.db",
        started_at=now,
        finished_at=now,
        counts={"new": 1},
        deferred=[DeferredFile(path="/a/late.txt", reason="still being written")],
    ).with_results([], [])
    _print_summary(summary, Console(width=40, force_terminal=False))
    printed = capsys.readouterr().out
    assert f"Run 1: {folder}\n" in printed
    assert "1 file still being written" in printed and "1 files" not in printed


def test_runs_record_where_they_live(database_url: str, tmp_path: Path) -> None:
    from newswatch.pipeline.run import run
    from newswatch.settings import get_settings
    from tests.articles import Article

    Article.sample().write(tmp_path / "news", "a.txt")
    run(get_settings(watch_dir=tmp_path / "news", database_url=database_url, workers=1))
    engine = create_engine(database_url)
    with engine.connect() as conn:
        row = conn.execute(text("select status, host, pid, heartbeat_at from runs")).one()
    engine.dispose()
    assert row[0] == RunStatus.COMPLETED and row[1] == HOST and row[2] == os.getpid()
    assert row[3] is not None


_QUIET_CHECK = """
from newswatch.cli.context import prepare_prefect
prepare_prefect()
import prefect
from prefect.logging import get_logger
from prefect.logging.configuration import setup_logging
setup_logging(incremental=False)  # as Prefect may, mid-run: levels under prefect go to NOTSET
get_logger("events.clients").warning("a connection error dump")
get_logger("_internal.concurrency").error("a service failed dump")
get_logger("events.clients").critical("still said")
"""


def test_prefects_background_senders_stay_quiet_after_prefect_configures_logging_again(
    tmp_path: Path,
) -> None:
    """A server gone mid-run: newswatch says so in one line, and Prefect's senders must not
    flood stderr, even after Prefect set its loggers' levels back."""
    import subprocess
    import sys

    env = {**os.environ, "PREFECT_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", _QUIET_CHECK], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "dump" not in done.stderr and "still said" in done.stderr
