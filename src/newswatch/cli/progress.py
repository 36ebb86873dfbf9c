"""The ingest progress bar: files stored, their rate and the time left, on a terminal.

Matching reports every file it decides (worker processes in lots of 50), so a
100,000-file run calls the bar up to 100,000 times. Each call only adds to a counter; the
bar itself is updated at most ten times a second.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

REDRAW_SECONDS = 0.1


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} files/s" if speed else "", style="progress.data.speed")


class FileProgress:
    """A per-file bar, shown once there is a file to read; nothing when ``enabled`` is off.

    Used as a context manager that gives the hook ``(done, total)``: a total
    (which may be None, for "unchanged") and the files just stored.
    """

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.console = console
        self.enabled = enabled
        self.total = 0
        self.done = 0
        self._drawn_at = 0.0
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> FileProgress:
        return self

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        self.done += done
        now = time.monotonic()
        if now - self._drawn_at >= REDRAW_SECONDS:
            self._drawn_at = now
            self._draw()

    @property
    def completed(self) -> int:
        """Files stored so far, capped at the total (a retried batch counts twice)."""
        return min(self.done, self.total)

    def _draw(self) -> None:
        if not self.enabled or self.total <= 0:
            return
        if self._progress is None:
            self._progress = Progress(
                "[progress.description]reading and storing",
                BarColumn(),
                MofNCompleteColumn(),
                _RateColumn(),
                TimeElapsedColumn(),
                "eta",
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("files", total=self.total)
        assert self._task is not None
        self._progress.update(self._task, total=self.total, completed=self.completed)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._draw()
        if self._progress is not None:
            self._progress.stop()
