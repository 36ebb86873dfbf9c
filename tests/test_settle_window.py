"""Files still being written: a scheduled run leaves them for the next; a one-off run waits
out the rest of their settle window and takes those that held still. Time here is a
clock of the test's, which moves on when a run waits instead of sleeping."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from newswatch.pipeline.run import run
from newswatch.settings import Settings, get_settings
from tests.articles import Article
from tests.runs import outcomes as _outcomes
from tests.runs import query as _query


def _settings(folder: Path, database_url: str, **overrides: object) -> Settings:
    return get_settings(watch_dir=folder, database_url=database_url, workers=1, **overrides)


class _Clock:
    """Time that moves only when a run waits: waiting runs ``meanwhile`` (another process
    still writing, say) at the moment it reaches, instead of sleeping."""

    def __init__(self, meanwhile: Callable[[int], None] = lambda now_ns: None) -> None:
        self.now = time.time_ns()
        self.meanwhile = meanwhile
        self.slept = 0.0

    def now_ns(self) -> int:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += int(seconds * 1e9)
        self.meanwhile(self.now)


def _written_at(path: Path, moment_ns: int) -> None:
    os.utime(path, ns=(moment_ns, moment_ns))


def test_a_file_still_being_written_waits_until_its_mtime_settles(
    watched: Path, database_url: str
) -> None:
    clock = _Clock()
    old = Article.other().write(watched, "old.txt")
    _written_at(old, clock.now - 60 * 10**9)
    fresh = Article.sample().write(watched, "fresh.txt")
    _written_at(fresh, clock.now - 10**9)  # a second ago: inside a 30 s window
    first = run(_settings(watched, database_url, settle_seconds=30), clock=clock)
    assert _outcomes(first) == {"old.txt": "new"}
    assert [Path(d.path).name for d in first.deferred] == ["fresh.txt"]
    assert "the next run takes it" in first.deferred[0].reason
    assert clock.slept == 0  # a scheduled run waits for nothing
    assert _query(database_url, "select count(*) from files") == [(1,)]
    clock.now += 60 * 10**9  # the next run, a minute later: the writer has finished
    second = run(_settings(watched, database_url, settle_seconds=30), clock=clock)
    assert _outcomes(second) == {"old.txt": "unchanged", "fresh.txt": "new"}
    assert second.deferred == []


def test_a_one_off_run_waits_for_a_file_just_saved_and_defers_one_still_growing(
    watched: Path, database_url: str
) -> None:
    """`newswatch ingest` means now: a file saved a moment ago is waited for (the rest of
    its settle window) and ingested once it held still; one still growing is named."""
    saved = Article.sample().write(watched, "saved.txt")
    growing = Article.other().write(watched, "growing.txt")

    def keep_writing(now_ns: int) -> None:
        with growing.open("a") as handle:
            handle.write("\nA late paragraph, still being written.\n")
        _written_at(growing, now_ns)

    clock = _Clock(keep_writing)
    _written_at(saved, clock.now - int(0.5e9))  # saved half a second ago
    _written_at(growing, clock.now)
    summary = run(_settings(watched, database_url, settle_seconds=2), one_off=True, clock=clock)
    assert _outcomes(summary) == {"saved.txt": "new"}
    assert [Path(d.path).name for d in summary.deferred] == ["growing.txt"]
    assert "still being written" in summary.deferred[0].reason
    assert clock.slept == 2.0  # the rest of the newest file's window, rather than skip it
    assert saved.exists()
