"""How a run tells whoever watches it (the CLI's progress bar) how far it got.

A hook, not a dependency: the pipeline calls whatever hook the caller set, once with the
number of files to read as ``total``, then with each lot of files decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol


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
