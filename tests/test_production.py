"""Left running for months: a Prefect server that goes away, runs killed with SIGKILL, the
`prefect.yaml` work-pool path with real workers, and a real Dask cluster, each with real
processes against real servers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from tests.articles import Article, distinct_articles

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.prefect


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("runs"):
                return []
            return [tuple(row) for row in conn.execute(text(sql))]
    finally:
        engine.dispose()


def _wait_for(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds:.0f} s for {what}"
        time.sleep(0.05)


def _files(url: str) -> int:
    found = _rows(url, "select count(*) from files") if _rows(url, "select 1") else []
    return int(found[0][0]) if found else 0


def _clean_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_API", "PREFECT_UI"))
    }
    env.update(NEWSWATCH_SETTLE_SECONDS="0", **extra)
    return env


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """newswatch's own Prefect server, in a PREFECT_HOME of the test's, on a free port."""
    from newswatch.server import managed as server

    home = tmp_path / "prefect-home"
    env = _clean_env(PREFECT_HOME=str(home), NEWSWATCH_PREFECT_PORT=str(_free_port()))
    started = subprocess.run(
        [str(BIN / "newswatch"), "server", "start"], env=env, capture_output=True, text=True
    )
    assert started.returncode == 0, started.stderr
    try:
        yield env
    finally:
        server.stop(home)


def test_losing_the_prefect_server_mid_run_stores_everything_says_so_once_and_ends(
    watched: Path, tmp_path: Path, own_server: dict[str, str]
) -> None:
    from newswatch.server import managed as server

    total = 1500
    distinct_articles(watched, total)
    url = f"sqlite:///{tmp_path / 'news.db'}"
    env = {**own_server, "NEWSWATCH_BATCH_SIZE": "50", "NEWSWATCH_WORKERS": "1"}
    home = Path(env["PREFECT_HOME"])
    running = server.recorded(home)
    assert running is not None
    ingest = subprocess.Popen(
        [str(BIN / "newswatch"), "ingest", str(watched), "--database-url", url],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(lambda: _files(url) >= 200 or ingest.poll() is not None, 120, "200 files stored")
    assert ingest.poll() is None, "the run ended before the server could be taken away"
    os.killpg(running.pid, signal.SIGKILL)  # the server and everything it started
    out, errors = ingest.communicate(timeout=180)

    assert ingest.returncode == 1, errors
    said = [line for line in errors.splitlines() if line.strip()]
    assert len(said) <= 2, errors  # "Ingesting ..." and the one line: no flood
    assert "EventsWorker" not in errors and "Traceback" not in errors
    assert "went away during run 1" in said[-1] and "not published" in said[-1]
    assert _rows(url, "select id, status from runs") == [(1, "completed")]
    assert _files(url) == total
    reports = tmp_path / "news-reports"
    assert sorted(p.name for p in reports.iterdir()) == ["run-1.html", "run-1.json", "run-1.md"]
    assert "new" in out  # the summary is printed all the same

    # The server again: the next run publishes its own report only, and names run 1.
    restarted = subprocess.run(
        [str(BIN / "newswatch"), "server", "start", "--port", str(running.port)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert restarted.returncode == 0, restarted.stderr
    again = subprocess.run(
        [str(BIN / "newswatch"), "ingest", str(watched), "--database-url", url],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert again.returncode == 0, again.stderr
    second = json.loads((reports / "run-2.json").read_text())
    assert second["unpublished_runs"] == [1]
    assert "went away during run 1" in (reports / "run-2.md").read_text()
    published = _rows(url, "select id, published_at is not null from runs order by id")
    assert [(run_id, bool(flag)) for run_id, flag in published] == [(1, False), (2, True)]


@pytest.mark.usefixtures("prefect_server")
def test_a_killed_cli_run_and_its_flow_run_are_marked_crashed_by_the_next_run(
    watched: Path, tmp_path: Path
) -> None:
    from flows.ingest import ingest_flow
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    total = 1200
    distinct_articles(watched, total)
    url = f"sqlite:///{tmp_path / 'news.db'}"
    env = _clean_env(
        PREFECT_API_URL=str(PREFECT_API_URL.value()),
        NEWSWATCH_BATCH_SIZE="20",
        NEWSWATCH_WORKERS="1",
    )
    ingest = subprocess.Popen(
        [str(BIN / "newswatch"), "ingest", str(watched), "--database-url", url],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for(lambda: _files(url) >= 100 or ingest.poll() is not None, 120, "100 files stored")
    assert ingest.poll() is None, "the run ended before it could be killed"
    ingest.send_signal(signal.SIGKILL)
    ingest.wait(timeout=30)
    ((killed_flow_run,),) = _rows(url, "select flow_run_id from runs where id = 1")

    ingest_flow(str(watched), url)

    assert _rows(url, "select id, status, crash_found_at is not null from runs order by id") == [
        (1, "crashed", True),
        (2, "completed", False),
    ]
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(killed_flow_run).state
    assert state is not None and state.is_crashed(), state
    assert "newswatch run 1" in (state.message or "")
    # ...and the store holds what a clean run of the folder stores.
    clean = f"sqlite:///{tmp_path / 'clean.db'}"
    ingest_flow(str(watched), clean)
    for sql in (
        "select key, headline, version_count from articles order by key",
        "select content_hash, number from versions order by content_hash",
        "select path, outcome != 'rejected' from files order by path",
    ):
        assert _rows(url, sql) == _rows(clean, sql), sql
    assert _files(url) == total


def _prefect(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(BIN / "prefect"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


@pytest.mark.usefixtures("prefect_server")
def test_the_work_pool_deployment_runs_on_real_workers_one_run_at_a_time(
    watched: Path, tmp_path: Path
) -> None:
    """prefect.yaml as a newsroom uses it: a process work pool, `prefect deploy`, two
    workers; two runs asked for at once run one after the other, and a run whose process
    is killed is marked crashed by the next."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment
    from prefect.settings import PREFECT_API_URL

    Article.sample().write(watched, "a.txt")
    Article.other().write(watched, "b.txt")
    url = f"sqlite:///{tmp_path / 'pool.db'}"
    env = _clean_env(
        PREFECT_API_URL=str(PREFECT_API_URL.value()),
        NEWSWATCH_WATCH_DIR=str(watched),
        NEWSWATCH_DATABASE_URL=url,
        NEWSWATCH_REPORTS_DIR=str(tmp_path / "reports"),
        NEWSWATCH_BATCH_SIZE="20",
        NEWSWATCH_WORKERS="1",
    )
    _prefect("work-pool", "create", "newswatch", "--type", "process", "--overwrite", env=env)
    deployed = _prefect("--no-prompt", "deploy", "--all", env=env)
    assert "newswatch-ingest/watch" in deployed.stdout
    workers = [
        subprocess.Popen(
            [str(BIN / "prefect"), "worker", "start", "--pool", "newswatch", "--name", f"w{n}"],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for n in range(2)
    ]
    try:
        with get_client(sync_client=True) as client:
            deployment = client.read_deployment_by_name("newswatch-ingest/watch")
            assert deployment.work_pool_name == "newswatch"
            assert deployment.parameters == {}  # the folder and database come from the workers
            assert deployment.global_concurrency_limit is not None
            assert deployment.global_concurrency_limit.limit == 1
            assert [s.schedule.interval.total_seconds() for s in deployment.schedules] == [300]
            for schedule in deployment.schedules:  # the runs here are the ones asked for
                client.update_deployment_schedule(deployment.id, schedule.id, active=False)

            def finish(runs: list[Any], seconds: float) -> list[Any]:
                deadline = time.monotonic() + seconds
                while True:
                    states = [client.read_flow_run(r.id).state for r in runs]
                    if all(s is not None and s.is_final() for s in states):
                        return states
                    assert time.monotonic() < deadline, states
                    time.sleep(0.5)

            pair = [run_deployment("newswatch-ingest/watch", timeout=0) for _ in range(2)]
            states = finish(pair, 240)
            assert all(s.is_completed() for s in states), states
            ran = _rows(
                url,
                "select started_at, finished_at, new, unchanged from runs order by started_at",
            )
            assert len(ran) >= 2 and ran[0][1] <= ran[1][0], ran  # one after the other
            assert _rows(url, "select count(*) from versions") == [(2,)]  # stored once

            # A run killed mid-way (its flow-run process, SIGKILL) is marked by the next.
            distinct_articles(watched / "more", 1200)
            third = run_deployment("newswatch-ingest/watch", timeout=0)
            _wait_for(
                lambda: bool(
                    _rows(
                        url,
                        f"select 1 from runs where flow_run_id = '{third.id}' and status = "
                        "'running' and (select count(*) from files) >= 102",
                    )
                ),
                240,
                "the third run to store 100 files",
            )
            ((run_id, pid),) = _rows(
                url, f"select id, pid from runs where flow_run_id = '{third.id}'"
            )
            os.kill(pid, signal.SIGKILL)
            fourth = run_deployment("newswatch-ingest/watch", timeout=0)
            finish([third, fourth], 300)
            assert client.read_flow_run(fourth.id).state.is_completed()
            crashed = client.read_flow_run(third.id).state
            assert crashed is not None and crashed.is_crashed(), crashed
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=60)
    assert _rows(url, f"select status from runs where id = {run_id}") == [("crashed",)]
    assert _files(url) == 2 + 1200


@pytest.mark.usefixtures("prefect_server")
def test_results_never_depend_on_the_task_runner(
    watched: Path, tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same folder on the default runner, a local Dask cluster and an existing Dask
    scheduler with two workers gives the same outcome to every file: a run's batches are
    written in order on each, so of two files with one text the first is the new one."""
    from flows.ingest import configured_flow
    from prefect.settings import PREFECT_API_URL

    from newswatch.settings import get_settings
    from tests.conftest import POSTGRES_URL, _reset_postgres

    # Twins in different batches, an edit chain across batches, and distinct stories.
    distinct_articles(watched / "d", 40, seed=5)
    for n in range(6):
        Article.sample().write(watched, f"c{n}/twin-{n}.txt")
    edited = Article.sample().but(
        paragraphs=[p.replace("25 people", "27 people") for p in Article.sample().paragraphs]
    )
    edited.write(watched, "e/edit.txt")
    Article.sample().from_outlet("Reuters").write(watched, "f/wire.txt")

    port = _free_port()
    env = _clean_env(PREFECT_API_URL=str(PREFECT_API_URL.value()))
    cluster = [
        subprocess.Popen(
            [
                str(BIN / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-dashboard",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    time.sleep(2)
    cluster += [
        subprocess.Popen(
            [
                str(BIN / "dask"),
                "worker",
                f"tcp://127.0.0.1:{port}",
                "--nthreads",
                "1",
                "--no-dashboard",
                "--name",
                f"w{n}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(2)
    ]
    outcomes = {}
    try:
        for runner in ("default", "dask", f"dask://127.0.0.1:{port}"):
            url = database_url
            if database_url.startswith("sqlite"):
                url = f"sqlite:///{tmp_path / (runner.replace(':', '_').replace('/', '_') + '.db')}"
            elif POSTGRES_URL:
                _reset_postgres(POSTGRES_URL)
            monkeypatch.setenv("NEWSWATCH_TASK_RUNNER", runner)
            monkeypatch.setenv("NEWSWATCH_BATCH_SIZE", "5")
            monkeypatch.setenv("NEWSWATCH_WORKERS", "2")
            monkeypatch.setenv("NEWSWATCH_REPORTS_DIR", str(tmp_path / "reports" / runner[:4]))
            settings = get_settings(watch_dir=watched, database_url=url)
            summary = configured_flow(settings)(str(watched), url)
            outcomes[runner] = {
                Path(r.path).relative_to(watched).as_posix(): (r.outcome.value, r.version)
                for r in summary.results
            }
    finally:
        for process in reversed(cluster):
            process.terminate()
            process.wait(timeout=30)
    default = outcomes.pop("default")
    assert sorted(v[0] for v in default.values()).count("duplicate") == 5
    for runner, found in outcomes.items():
        assert found == default, runner
