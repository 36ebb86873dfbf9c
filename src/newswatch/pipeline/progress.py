"""How a run tells whoever watches it how far it got, and what it delivered.

A hook, not a dependency: the pipeline calls whatever progress hook the caller set (the
CLI's progress bar), once with the number of files to read as ``total``, then with each
lot of files decided. A :class:`Delivery` tells the command that started a run in its
process what the run has stored and written so far, so the command can finish on its own
when the Prefect server goes away mid-run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

from newswatch.models import RunSummary


class ProgressHook(Protocol):
    """Called with the number of files just finished (cheap enough to call once per file),
    and once at the start with the number of files to read as ``total``."""

    def __call__(self, done: int, total: int | None = None) -> None: ...


_progress: ContextVar[ProgressHook | None] = ContextVar("newswatch_progress", default=None)


@contextmanager
def progress_reporting(hook: ProgressHook) -> Iterator[None]:
    """Let the CLI's progress bar hear of each file, wherever the flow decides it."""
    token = _progress.set(hook)
    try:
        yield
    finally:
        _progress.reset(token)


def current_progress() -> ProgressHook | None:
    return _progress.get()


@dataclass
class Delivery:
    """What a run in this process has done: begun its work, stored (its summary), and
    written its report files."""

    started: bool = False
    summary: RunSummary | None = None
    report_file: str | None = None


_delivery: ContextVar[Delivery | None] = ContextVar("newswatch_delivery", default=None)


@contextmanager
def delivering() -> Iterator[Delivery]:
    """Hear what the runs started in this context deliver."""
    delivery = Delivery()
    token = _delivery.set(delivery)
    try:
        yield delivery
    finally:
        _delivery.reset(token)


def current_delivery() -> Delivery | None:
    return _delivery.get()
