"""A part of a file that holds several articles: a WARC record, a JSON line.

A part is named by its file's path, ``#`` and the offset it starts at
(``archive.warc.gz#3172``): the path of the article it holds, which the store records like
any file's, so a run knows where it stopped reading a file (``formats.resume``).
"""

from __future__ import annotations

from dataclasses import dataclass

from newswatch.errors import RejectedFile
from newswatch.models import PART_MARK
from newswatch.read.parse import ParsedArticle

__all__ = ["PART_MARK", "Part"]


@dataclass(frozen=True, slots=True)
class Part:
    """One article's worth of a file that holds several (a WARC record, a JSON line)."""

    offset: int
    """Where it starts in the file; -1 for a file that is one article."""
    end: int
    """Where the next part starts, or where reading stopped."""
    raw: bytes
    """The bytes that identify it: two parts with the same bytes hold the same text."""
    article: ParsedArticle | None = None
    error: RejectedFile | None = None
