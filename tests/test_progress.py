"""The progress bar moves per file, shows a rate and the time left, and costs little."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from rich.console import Console

from newswatch.cli import progress
from newswatch.cli.progress import FileProgress
from newswatch.pipeline.progress import progress_reporting
from newswatch.pipeline.run import run
from newswatch.settings import get_settings
from tests.articles import Article


def _terminal() -> tuple[Console, io.StringIO]:
    screen = io.StringIO()
    return Console(file=screen, force_terminal=True, width=120), screen


def test_the_bar_counts_files_with_a_rate_and_an_eta(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "REDRAW_SECONDS", 0.0)
    console, screen = _terminal()
    with FileProgress(console) as bar:
        bar(0, 300)
        for _ in range(3):
            for _ in range(100):
                bar(1)
            time.sleep(0.3)  # Rich redraws ten times a second, in its own thread
    shown = screen.getvalue()
    assert "200/300" in shown and "300/300" in shown
    assert "files/s" in shown and "eta" in shown


def test_the_bar_redraws_at_most_ten_times_a_second() -> None:
    with FileProgress(_terminal()[0]) as bar:
        bar(0, 100_000)
        drawn = 0
        original = bar._draw

        def counting_draw() -> None:
            nonlocal drawn
            drawn += 1
            original()

        bar._draw = counting_draw  # type: ignore[method-assign]
        started = time.monotonic()
        for _ in range(100_000):
            bar(1)
        elapsed = time.monotonic() - started
    assert bar.completed == 100_000
    assert drawn <= elapsed / progress.REDRAW_SECONDS + 2


def test_nothing_is_drawn_off_a_terminal_or_when_there_is_nothing_to_read() -> None:
    console, screen = _terminal()
    with FileProgress(console, enabled=False) as bar:
        bar(0, 10)
        bar(10)
    with FileProgress(console) as bar:
        bar(0, 0)
    assert screen.getvalue() == ""


def test_a_retried_batch_never_takes_the_bar_past_its_total() -> None:
    with FileProgress(_terminal()[0], enabled=False) as bar:
        bar(0, 5)
        bar(7)
    assert bar.completed == 5


def test_the_ingest_reports_every_file_it_decides(watched: Path, database_url: str) -> None:
    for i in range(5):
        Article.sample().but(headline=f"Story {i}", paragraphs=[f"Only story {i} says {i}."]).write(
            watched, f"{i}.txt"
        )
    (watched / "empty.txt").write_bytes(b"")
    calls: list[tuple[int, int | None]] = []
    settings = get_settings(watch_dir=watched, database_url=database_url, workers=1, batch_size=2)
    with progress_reporting(lambda done, total=None: calls.append((done, total))):
        run(settings)
    assert calls == [(0, 6), *[(1, None)] * 6]
