"""newswatch's own Prefect server stops itself when no command has used it for a while.

A Prefect server holds about 250 MB. Started on a first ``newswatch ingest`` and never
stopped, it outlived every command, as a build daemon would without its idle timeout
(Gradle's and Bazel's stop themselves after hours without a build). So the server runs
under a small watcher, this module run as a process of its own, which leads the process
group: every command that uses the server marks it used (a file's time, :func:`used`),
``newswatch serve`` and a running ``ingest`` every few seconds; when nothing has for
``NEWSWATCH_PREFECT_IDLE_SECONDS``, the watcher stops the server and itself, and forgets
it. The next ``ingest`` or ``serve`` starts one again, as the first did.

This module is the server's files too (its state, log, lock and use marks), and imports
nothing but the standard library: the watcher stays small beside the server it watches.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

GRACE_SECONDS = 20.0
"""How long a server has to stop on SIGTERM before it is killed."""


def state_file(prefect_home: Path) -> Path:
    """What newswatch knows of its running server (``managed.ManagedServer``, as JSON)."""
    return prefect_home / "newswatch-server.json"


def log_file(prefect_home: Path) -> Path:
    return prefect_home / "newswatch-server.log"


def used_file(prefect_home: Path) -> Path:
    """Its time is when a command last used the server."""
    return prefect_home / "newswatch-server.used"


def used(prefect_home: Path) -> None:
    """A command uses the server now: its idle time starts again."""
    with contextlib.suppress(OSError):
        used_file(prefect_home).touch()


def last_used(prefect_home: Path) -> datetime | None:
    """When a command last used the server (None: never marked)."""
    try:
        return datetime.fromtimestamp(used_file(prefect_home).stat().st_mtime, UTC)
    except OSError:
        return None


@contextlib.contextmanager
def locked(prefect_home: Path) -> Iterator[None]:
    """One command (or the watcher) at a time decides whether the server runs."""
    prefect_home.mkdir(parents=True, exist_ok=True)
    with open(prefect_home / "newswatch-server.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class Server(Protocol):
    """The server's process, as the watcher uses it (a ``subprocess.Popen``)."""

    def wait(self, timeout: float | None = None) -> int: ...

    def send_signal(self, signal: int) -> None: ...

    def kill(self) -> None: ...


def watch(
    prefect_home: Path,
    idle_seconds: float,
    server: Server,
    clock: Callable[[], float] = time.time,
) -> int:
    """Watch the ``server`` until it ends (its exit status is returned) or until no command
    has used it for ``idle_seconds`` (0: never), then stop it. ``clock`` is wall time, as a
    file's mtime is."""
    started = clock()
    every = min(30.0, max(0.2, idle_seconds / 10)) if idle_seconds > 0 else None
    while True:
        try:
            return server.wait(timeout=every)
        except subprocess.TimeoutExpired:
            pass
        assert every is not None
        if _idle_for(prefect_home, started, clock) < idle_seconds:
            continue
        with locked(prefect_home):
            if _idle_for(prefect_home, started, clock) < idle_seconds:
                continue  # a command took the server meanwhile
            print(
                f"newswatch: no command used this server for {idle_seconds:g} s "
                "(NEWSWATCH_PREFECT_IDLE_SECONDS): stopping it; the next ingest starts one",
                flush=True,
            )
            _stop(server)
            state_file(prefect_home).unlink(missing_ok=True)
            return 0


def _idle_for(prefect_home: Path, started: float, clock: Callable[[], float]) -> float:
    try:
        marked = used_file(prefect_home).stat().st_mtime
    except OSError:
        marked = started
    return clock() - max(marked, started)


def _stop(server: Server) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main(arguments: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m newswatch.server.idle")
    parser.add_argument("--home", type=Path, required=True, help="the server's PREFECT_HOME")
    parser.add_argument("--idle", type=float, required=True, help="seconds; 0: never stop")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- the server's command")
    given = parser.parse_args(arguments)
    command = given.command[1:] if given.command[:1] == ["--"] else given.command
    server = subprocess.Popen(command, stdin=subprocess.DEVNULL)
    # A SIGTERM to the watcher alone (not to its group) stops the server with it.
    signal.signal(signal.SIGTERM, lambda *_: server.send_signal(signal.SIGTERM))
    return watch(given.home, given.idle, server)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
