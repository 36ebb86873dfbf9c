"""What newswatch can print or write: every command's ``--format`` is some of these."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """What a command can print; each takes a few of these (``--format``)."""

    TEXT = "text"
    """For a person: a table, or the report as the terminal shows it."""
    MD = "md"
    HTML = "html"
    JSON = "json"
    PATH = "path"
    """Where the file is, not what it holds."""
    NEWSEDITS = "newsedits"
    """CSV files with NewsEdits' column names (``export``)."""
    JSONL = "jsonl"
    """JSON lines (``export``)."""
