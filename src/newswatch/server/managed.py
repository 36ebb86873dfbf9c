"""newswatch's own Prefect server: started in the background on first use, and reused.

Prefect without a server starts a temporary one inside every run: slow, and on a loaded
machine it failed outright, past the 20 s Prefect gives it. So newswatch starts one
local server in the background on first use, remembers it in a small state file under
``PREFECT_HOME`` (port, pid, the ``PREFECT_HOME`` it uses), and reuses it until
``newswatch server stop``, or until no command has used it for
``NEWSWATCH_PREFECT_IDLE_SECONDS`` (``idle``). Its UI is there to review each run meanwhile.
Starting and stopping never import Prefect: the server runs in its own process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, ValidationError

from newswatch.server.idle import last_used, locked, log_file, state_file, used

DEFAULT_PORT = 4200
STARTUP_DEADLINE_SECONDS = 120.0
"""Prefect gives its temporary server 20 s to start; a loaded machine needs more."""
HEALTH_TIMEOUT_SECONDS = 3.0


class ServerProblem(Exception):
    """A Prefect server that should answer does not; the message says what to do."""


class ManagedServer(BaseModel):
    """What the state file records about the server newswatch started."""

    pid: int
    """The process that leads the server's group: the idle watcher (``idle``)."""
    port: int
    prefect_home: str
    started_at: datetime
    idle_seconds: float = 0.0
    """It stops itself after this long without use (0: only ``newswatch server stop``)."""

    @property
    def ui_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.ui_url}/api"

    @property
    def log_file(self) -> Path:
        return log_file(Path(self.prefect_home))

    def stops_at(self) -> datetime | None:
        """When it stops itself if no command uses it before (None: never)."""
        if self.idle_seconds <= 0:
            return None
        since = max(last_used(Path(self.prefect_home)) or self.started_at, self.started_at)
        return since + timedelta(seconds=self.idle_seconds)


def answers(
    api_url: str, timeout: float = HEALTH_TIMEOUT_SECONDS, api_key: str | None = None
) -> bool:
    """Whether a Prefect API answers at all (any HTTP reply counts: it is there)."""
    request = urllib.request.Request(f"{api_url.rstrip('/')}/health")
    if api_key:
        request.add_header("Authorization", f"Bearer {api_key}")
    loopback = urllib.parse.urlsplit(api_url).hostname in ("127.0.0.1", "localhost", "::1")
    # A proxy in the environment must not stand between this machine and its own server.
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}) if loopback else urllib.request.ProxyHandler()
    )
    try:
        with opener.open(request, timeout=timeout):
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


def require_answer(api_url: str, api_key: str | None = None) -> None:
    """The server Prefect's settings name must answer: a short error, not a long wait."""
    if not answers(api_url, api_key=api_key):
        raise ServerProblem(
            f"the Prefect server at {api_url} (PREFECT_API_URL) does not answer: start it, "
            "or unset PREFECT_API_URL to let newswatch run its own"
        )


def recorded(prefect_home: Path) -> ManagedServer | None:
    """The server the state file names, if its process is still alive."""
    try:
        server = ManagedServer.model_validate_json(state_file(prefect_home).read_bytes())
    except (OSError, ValidationError):
        return None
    if not _alive(server.pid):
        state_file(prefect_home).unlink(missing_ok=True)
        return None
    return server


def running(prefect_home: Path) -> ManagedServer | None:
    """The recorded server, if it also answers."""
    server = recorded(prefect_home)
    return server if server is not None and answers(server.api_url) else None


def ensure_running(
    prefect_home: Path,
    port: int = DEFAULT_PORT,
    exact_port: bool = False,
    on_wait: Callable[[ManagedServer, float], None] | None = None,
    deadline_seconds: float = STARTUP_DEADLINE_SECONDS,
    idle_seconds: float = 0.0,
) -> tuple[ManagedServer, bool]:
    """The running server, starting one if there is none; and whether it was started now.

    A new server listens on ``port`` when it is free, else on any free port (or, with
    ``exact_port``, not at all), and stops itself after ``idle_seconds`` without use (0:
    never). A lock file keeps two commands started at once from starting two servers (and
    the idle watcher from stopping one a command has just taken): the second waits for the
    first one's server instead. Either way the server is marked used now.
    """
    prefect_home.mkdir(parents=True, exist_ok=True)
    with locked(prefect_home):
        used(prefect_home)
        server = recorded(prefect_home)
        started = server is None
        if server is None:
            chosen = free_port(port)
            if exact_port and chosen != port:
                raise ServerProblem(f"port {port} on 127.0.0.1 is in use: choose another")
            server = _spawn(prefect_home, chosen, idle_seconds)
        try:
            _wait_until_healthy(server, on_wait, deadline_seconds)
            used(prefect_home)  # its idle time counts from when it answers
        except BaseException:
            if started:  # never leave behind a server that did not come up (or a Ctrl-C)
                _terminate(server.pid, grace_seconds=5.0)
                state_file(prefect_home).unlink(missing_ok=True)
            raise
    return server, started


def stop(prefect_home: Path, grace_seconds: float = 20.0) -> ManagedServer | None:
    """Stop the recorded server (its process group, which it leads); None if none ran."""
    with locked(prefect_home):
        server = recorded(prefect_home)
        if server is None:
            return None
        _terminate(server.pid, grace_seconds)
        state_file(prefect_home).unlink(missing_ok=True)
        return server


def free_port(preferred: int = DEFAULT_PORT) -> int:
    """``preferred`` when nothing listens there, else any free loopback port.

    The probe reuses addresses as the server will (uvicorn sets SO_REUSEADDR): a port whose
    server just died still has connections in TIME_WAIT for a minute, which would refuse a
    plain bind though the server can listen there again at once."""
    for candidate in (preferred, 0):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise ServerProblem("no free TCP port on 127.0.0.1 for a Prefect server")


def server_environment(prefect_home: Path, port: int) -> dict[str, str]:
    """The server's environment: its home, its UI pointed at its own port, no analytics."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PREFECT_API_URL", "PREFECT_UI_URL", "PREFECT_API_KEY")
    }
    environment.update(
        PREFECT_HOME=str(prefect_home),
        PREFECT_SERVER_UI_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
    )
    return environment


def _spawn(prefect_home: Path, port: int, idle_seconds: float) -> ManagedServer:
    prefect = Path(sys.executable).parent / "prefect"
    command = [str(prefect)] if prefect.exists() else [sys.executable, "-m", "prefect"]
    command += ["server", "start", "--host", "127.0.0.1", "--port", str(port)]
    watcher = [sys.executable, "-m", "newswatch.server.idle", "--home", str(prefect_home)]
    command = [*watcher, "--idle", f"{idle_seconds:g}", "--", *command]
    with open(log_file(prefect_home), "ab") as log:
        process = subprocess.Popen(
            command,
            env=server_environment(prefect_home, port),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # outlives this command; stopped as a group
            cwd=prefect_home,
        )
    _STARTED[process.pid] = process
    server = ManagedServer(
        pid=process.pid,
        port=port,
        prefect_home=str(prefect_home),
        started_at=datetime.now(UTC),
        idle_seconds=idle_seconds,
    )
    partial = state_file(prefect_home).with_suffix(".partial")
    partial.write_text(server.model_dump_json())
    partial.replace(state_file(prefect_home))
    return server


_STARTED: dict[int, subprocess.Popen[bytes]] = {}
"""Servers this process started: their exit status says why one failed to start."""


def _wait_until_healthy(
    server: ManagedServer,
    on_wait: Callable[[ManagedServer, float], None] | None,
    deadline_seconds: float,
) -> None:
    started = time.monotonic()
    while not answers(server.api_url, timeout=1.0):
        waited = time.monotonic() - started
        if not _alive(server.pid):
            state_file(Path(server.prefect_home)).unlink(missing_ok=True)
            child = _STARTED.get(server.pid)
            status = (
                f" with status {child.returncode}" if child and child.returncode is not None else ""
            )
            raise ServerProblem(
                f"the Prefect server exited while starting{status}: see {server.log_file}"
                f"{_last_line(server.log_file)}"
            )
        if waited > deadline_seconds:
            raise ServerProblem(
                f"the Prefect server on port {server.port} did not answer within "
                f"{deadline_seconds:.0f} s: see {server.log_file}; `newswatch server stop` "
                "stops it if it is still there"
            )
        if on_wait is not None:
            on_wait(server, waited)
        time.sleep(0.5)


def _last_line(path: Path) -> str:
    try:
        lines = [line for line in path.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return f" (last line: {lines[-1].strip()[:160]})" if lines else ""


def _alive(pid: int) -> bool:
    """Whether the process lives and is a Prefect server (a pid can be reused)."""
    if pid in _STARTED:
        return _STARTED[pid].poll() is None
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False  # our own child, exited: reaped now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc here: trust the pid
    # Empty while a process is being set up or torn down; another program's pid otherwise.
    return not command or b"prefect" in command


def _terminate(pid: int, grace_seconds: float) -> None:
    for signal_number, wait in ((signal.SIGTERM, grace_seconds), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, signal_number)  # the server and anything it started
        except (ProcessLookupError, PermissionError):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal_number)  # it no longer leads its group
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not _alive(pid):
                return
            time.sleep(0.1)
