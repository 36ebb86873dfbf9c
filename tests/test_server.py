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
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newswatch.server import idle, managed
from newswatch.server import target as targets
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

    target = targets.choose("ephemeral")
    assert target == targets.Target()
    with targets.using(target, heartbeat=False):
        settings = get_current_settings()
        assert settings.api.url is None
        assert settings.server.ephemeral.startup_timeout_seconds >= 120
        assert settings.flows.heartbeat_frequency is None
    assert get_current_settings().flows.heartbeat_frequency is not None


def test_using_points_prefect_and_the_processes_it_starts_at_the_target(
    no_configured_server: None,
) -> None:
    from prefect.settings import get_current_settings

    target = targets.Target(api_url="http://127.0.0.1:1/api", ui_url="http://127.0.0.1:1")
    with targets.using(target):
        assert get_current_settings().api.url == target.api_url
        assert get_current_settings().ui_url == target.ui_url
        assert os.environ["PREFECT_API_URL"] == target.api_url
        assert get_current_settings().flows.heartbeat_frequency is not None  # kept
    assert get_current_settings().api.url is None
    assert "PREFECT_API_URL" not in os.environ
    assert target.run_url("abc") == "http://127.0.0.1:1/runs/flow-run/abc"


def test_the_server_s_ui_calls_its_own_port_and_sends_no_analytics(tmp_path: Path) -> None:
    environment = managed.server_environment(tmp_path, 4321)
    assert environment["PREFECT_SERVER_UI_API_URL"] == "http://127.0.0.1:4321/api"
    assert environment["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    assert environment["PREFECT_HOME"] == str(tmp_path)
    assert "PREFECT_API_URL" not in environment


def test_server_start_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(managed.ServerProblem, match=f"port {port} .* is in use"):
            managed.ensure_running(tmp_path, port=port, exact_port=True)
    assert managed.recorded(tmp_path) is None


def test_a_server_that_does_not_come_up_in_time_is_stopped_not_left_behind(
    tmp_path: Path,
) -> None:
    known = set(managed._STARTED)
    with pytest.raises(managed.ServerProblem, match="did not answer within 0 s"):
        managed.ensure_running(tmp_path, port=_free_port(), deadline_seconds=0.0)
    (pid,) = set(managed._STARTED) - known
    assert managed._STARTED[pid].poll() is not None, "the server process was left running"
    assert managed.recorded(tmp_path) is None and not managed.state_file(tmp_path).exists()


def _newswatch(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "newswatch"), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _own_server(home: Path, port: int, **settings: str) -> dict[str, str]:
    """An environment whose runs use newswatch's own server, in ``home``, on ``port``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PREFECT_API", "PREFECT_UI"))
    }
    return {**env, "PREFECT_HOME": str(home), "NEWSWATCH_PREFECT_PORT": str(port), **settings}


@pytest.mark.prefect
def test_the_first_ingest_starts_a_server_the_next_reuses_it_and_stop_stops_it(
    watched: Path, tmp_path: Path
) -> None:
    home, port = tmp_path / "prefect-home", _free_port()
    env = _own_server(home, port)
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

        recorded = managed.recorded(home)
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
        assert managed.recorded(home) == recorded  # the same server, reused

        stopped = _newswatch("server", "stop", env=env, cwd=tmp_path)
        assert stopped.returncode == 0 and f"port {port}" in stopped.stdout
        assert managed.recorded(home) is None and not managed.answers(recorded.api_url)
        after = _newswatch("server", "status", env=env, cwd=tmp_path)
        assert after.returncode == 1 and "No newswatch Prefect server is running" in after.stdout
    finally:
        managed.stop(home)


class _Server:
    """A server process that runs until it is signalled, on a clock of the test's: each
    wait moves the clock on instead of sleeping, and commands use the server at ``uses``."""

    def __init__(self, home: Path, uses: list[float]) -> None:
        self.home, self.uses = home, uses
        self.now = 1_000_000.0
        self.signals: list[int] = []
        self.stopped_at: float | None = None

    def clock(self) -> float:
        return self.now

    def wait(self, timeout: float | None = None) -> int:
        if self.stopped_at is not None:
            return 0
        assert timeout is not None, "a server with an idle time is checked now and then"
        self.now += timeout
        for moment in [u for u in self.uses if u <= self.now]:
            self.uses.remove(moment)
            idle.used(self.home)
            os.utime(idle.used_file(self.home), (moment, moment))
        raise subprocess.TimeoutExpired("prefect server start", timeout)

    def send_signal(self, signal: int) -> None:
        self.signals.append(signal)
        self.stopped_at = self.now

    def kill(self) -> None:
        raise AssertionError("a server that stops on SIGTERM is never killed")


def test_the_server_stops_itself_once_no_command_has_used_it_for_its_idle_time(
    tmp_path: Path,
) -> None:
    import signal

    idle.state_file(tmp_path).write_text("{}")
    start = 1_000_000.0
    server = _Server(tmp_path, uses=[start + 50, start + 120, start + 190])
    assert idle.watch(tmp_path, 100.0, server, clock=server.clock) == 0
    assert server.signals == [signal.SIGTERM]
    assert server.stopped_at is not None
    assert 190 + 100 <= server.stopped_at - start <= 190 + 100 + 10  # checked every 10 s
    assert not idle.state_file(tmp_path).exists(), "a stopped server is forgotten"


def test_server_status_says_when_it_will_stop(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    started = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
    running = managed.ManagedServer(
        pid=1, port=4200, prefect_home=str(tmp_path), started_at=started, idle_seconds=3600
    )
    assert running.stops_at() == started + timedelta(hours=1)  # not used since it started
    idle.used(tmp_path)
    used = datetime.fromtimestamp(idle.used_file(tmp_path).stat().st_mtime, UTC)
    assert running.stops_at() == used + timedelta(hours=1)
    assert running.model_copy(update={"idle_seconds": 0}).stops_at() is None


@pytest.mark.prefect
def test_an_idle_server_stops_itself_and_the_next_ingest_starts_it_again(
    watched: Path, tmp_path: Path
) -> None:
    home = tmp_path / "prefect-home"
    env = _own_server(home, _free_port(), NEWSWATCH_PREFECT_IDLE_SECONDS="20")
    Article.sample().write(watched, "a.txt")
    try:
        first = _newswatch("ingest", str(watched), env=env, cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        assert "stops itself after 20 s without use" in " ".join(first.stderr.split())
        running = managed.recorded(home)
        assert running is not None and running.idle_seconds == 20
        status = _newswatch("server", "status", env=env, cwd=tmp_path)
        assert "it stops itself at " in status.stdout and "20 s without use" in status.stdout
        deadline = time.monotonic() + 120
        while managed.recorded(home) is not None and time.monotonic() < deadline:
            time.sleep(1)
        assert managed.recorded(home) is None, "the idle server is still running"
        assert not managed.answers(running.api_url)
        assert "no command used this server for 20 s" in managed.log_file(home).read_text()

        second = _newswatch("ingest", str(watched), env=env, cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert "Started a Prefect server in the background" in " ".join(second.stderr.split())
        assert managed.recorded(home) is not None
    finally:
        managed.stop(home)
