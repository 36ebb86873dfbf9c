"""The Prefect server runs use: the one PREFECT_API_URL names, else newswatch's own.

The test that starts a real server gives it its own PREFECT_HOME and a free port, and
stops it whatever happens.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newswatch import server
from tests.articles import Article

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def no_configured_server() -> Iterator[None]:
    """Prefect's settings name no server (a session's test harness may have set one)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        yield


def test_a_prefect_api_url_that_does_not_answer_is_a_one_line_error(
    watched: Path, tmp_path: Path
) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from newswatch.cli.app import app

    Article.sample().write(watched, "a.txt")
    dead = f"http://127.0.0.1:{_free_port()}/api"
    with temporary_settings(updates={PREFECT_API_URL: dead}):
        result = CliRunner().invoke(
            app, ["ingest", str(watched), "--database-url", f"sqlite:///{tmp_path / 'x.db'}"]
        )
    assert result.exit_code == 2
    assert f"the Prefect server at {dead} (PREFECT_API_URL) does not answer" in result.stderr
    assert len(result.output.strip().splitlines()) <= 2  # "Ingesting" is never reached
    assert "Traceback" not in result.output


def test_ephemeral_mode_leaves_prefect_to_its_temporary_server_with_time_to_start(
    no_configured_server: None,
) -> None:
    from prefect.settings import get_current_settings

    target = server.choose("ephemeral")
    assert target == server.Target()
    with server.using(target, heartbeat=False):
        settings = get_current_settings()
        assert settings.api.url is None
        assert settings.server.ephemeral.startup_timeout_seconds >= 120
        assert settings.flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency is not None


def test_using_points_prefect_and_the_processes_it_starts_at_the_target(
    no_configured_server: None,
) -> None:
    from prefect.settings import get_current_settings

    target = server.Target(api_url="http://127.0.0.1:1/api", ui_url="http://127.0.0.1:1")
    with server.using(target):
        assert get_current_settings().api.url == target.api_url
        assert get_current_settings().ui_url == target.ui_url
        assert os.environ["PREFECT_API_URL"] == target.api_url
        assert get_current_settings().flows.heartbeat_frequency is not None  # kept
    assert get_current_settings().api.url is None
    assert "PREFECT_API_URL" not in os.environ
    assert target.run_url("abc") == "http://127.0.0.1:1/runs/flow-run/abc"


def test_the_server_s_ui_calls_its_own_port_and_sends_no_analytics(tmp_path: Path) -> None:
    environment = server.server_environment(tmp_path, 4321)
    assert environment["PREFECT_SERVER_UI_API_URL"] == "http://127.0.0.1:4321/api"
    assert environment["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert environment["PREFECT_HOME"] == str(tmp_path)
    assert "PREFECT_API_URL" not in environment


def test_server_start_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(server.ServerProblem, match=f"port {port} .* is in use"):
            server.ensure_running(tmp_path, port=port, exact_port=True)
    assert server.recorded(tmp_path) is None


def test_a_server_that_does_not_come_up_in_time_is_stopped_not_left_behind(
    tmp_path: Path,
) -> None:
    known = set(server._STARTED)
    with pytest.raises(server.ServerProblem, match="did not answer within 0 s"):
        server.ensure_running(tmp_path, port=_free_port(), deadline_seconds=0.0)
    (pid,) = set(server._STARTED) - known
    assert server._STARTED[pid].poll() is not None, "the server process was left running"
    assert server.recorded(tmp_path) is None and not server.state_file(tmp_path).exists()


def _newswatch(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "newswatch"), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.prefect
def test_the_first_ingest_starts_a_server_the_next_reuses_it_and_stop_stops_it(
    watched: Path, tmp_path: Path
) -> None:
    home = tmp_path / "prefect-home"
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_API", "PREFECT_UI"))
    }
    env.update(PREFECT_HOME=str(home), NEWSWATCH_PREFECT_PORT=str(port))
    Article.sample().write(watched, "a.txt")
    try:
        first = _newswatch("ingest", str(watched), env=env, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert f"Started a Prefect server in the background: UI http://127.0.0.1:{port}" in (
            " ".join(first.stderr.split())
        )
        assert "newswatch server stop" in first.stderr
        assert f"Review it: http://127.0.0.1:{port}/runs/flow-run/" in first.stdout
        assert "│     1" in first.stdout.split("new", 1)[1].splitlines()[0]

        recorded = server.recorded(home)
        assert recorded is not None and recorded.port == port
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/ui-settings", timeout=10) as page:
            assert json.load(page)["api_url"] == f"http://127.0.0.1:{port}/api"
        status = _newswatch("server", "status", env=env, cwd=tmp_path)
        assert status.returncode == 0 and f"UI http://127.0.0.1:{port}" in status.stdout
        exported = _newswatch("server", "env", env=env, cwd=tmp_path)
        assert exported.stdout == f"export PREFECT_API_URL=http://127.0.0.1:{port}/api\n"

        second = _newswatch("ingest", str(watched), env=env, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert "Started" not in second.stderr
        assert "│     1" in second.stdout.split("unchanged", 1)[1].splitlines()[0]
        assert server.recorded(home) == recorded  # the same server, reused

        stopped = _newswatch("server", "stop", env=env, cwd=tmp_path)
        assert stopped.returncode == 0 and f"port {port}" in stopped.stdout
        assert server.recorded(home) is None and not server.answers(recorded.api_url)
        after = _newswatch("server", "status", env=env, cwd=tmp_path)
        assert after.returncode == 1 and "No newswatch Prefect server is running" in after.stdout
    finally:
        server.stop(home)
