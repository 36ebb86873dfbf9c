"""A file of the watched folder -> the articles it holds, whatever its format: the one
dispatch between the readers.

    text   .txt                          parse     the aggregator's layout, and its variations
    page   .html .htm (and gzipped)      page      a saved web page
    WARC   .warc .warc.gz                warc      a crawler's archive: a page a record
    JSON   .json .jsonl                  scraped   news-please's and trafilatura's output

The name says which reader a file needs; where it misleads, the content decides (a page
saved as ``.txt``, a ``.html`` that holds plain text, a WARC under any name). A file that
holds several articles (a WARC, a JSON list, JSON Lines) yields each as a *part*, named by
the file's path and the part's offset (``archive.warc.gz#3172``); a WARC or JSON Lines file
that grows is read again only from where the last reading stopped (:func:`resume`). The
readers of pages, WARCs and JSON (and trafilatura behind them) are imported on the first
such file: a folder of text files never loads them.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath

from newswatch.errors import (
    FileTooLarge,
    ReaderFault,
    RejectedFile,
    TruncatedFile,
    UnreadableFile,
)
from newswatch.models import KnownFile
from newswatch.read.parse import ParsedArticle, parse
from newswatch.read.parts import PART_MARK, Part
from newswatch.read.scan import READ_SUFFIXES, FileStat, read_bytes


class Format(StrEnum):
    TEXT = "text"
    PAGE = "page"
    WARC = "warc"
    JSON = "json"
    JSON_LINES = "jsonl"


SUFFIXES = {
    ".txt": Format.TEXT,
    ".html": Format.PAGE,
    ".htm": Format.PAGE,
    ".html.gz": Format.PAGE,
    ".htm.gz": Format.PAGE,
    ".warc": Format.WARC,
    ".warc.gz": Format.WARC,
    ".json": Format.JSON,
    ".jsonl": Format.JSON_LINES,
}
assert set(SUFFIXES) == set(READ_SUFFIXES), "a reader for each type the scan lists"
_BY_LENGTH = sorted(SUFFIXES.items(), key=lambda item: -len(item[0]))
RESUMABLE = (Format.WARC, Format.JSON_LINES)
"""Formats a file of which grows by appending: read again from where they were read."""

_GZIP = b"\x1f\x8b"
_WARC = b"WARC/"
_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|!--|\?xml)[\s>]", re.IGNORECASE
)
_LEADING = b"\xef\xbb\xbf \t\r\n"


@dataclass(frozen=True, slots=True)
class Item:
    """What one file, or one part of one, holds: an article, or why it holds none."""

    file: FileStat
    raw: bytes | None
    article: ParsedArticle | None = None
    error: RejectedFile | None = None


def format_of(path: str) -> Format | None:
    """The format a file's name says it holds (None: not one newswatch reads)."""
    name = path.lower()
    if name.endswith(".txt"):
        return Format.TEXT  # the common case, without looking further
    return next((kind for suffix, kind in _BY_LENGTH if name.endswith(suffix)), None)


def unsupported_reason(path: str) -> str:
    """Why a file of the folder is not read: what a run's ``skipped`` line says."""
    if format_of(path) is not None:
        return "not included by NEWSWATCH_INCLUDE"
    suffix = PurePath(path).suffix.lower()
    return f"unsupported type {suffix}" if suffix else "unsupported type (no extension)"


def read_file(file: FileStat, max_bytes: int) -> Iterator[Item]:
    """Each article the file holds (a refused file or part as an item with its error)."""
    kind = format_of(file.path) or Format.TEXT
    data = None
    try:
        if kind is Format.WARC:
            yield from _parts(file, _warc(file, max_bytes))
            return
        if kind is Format.JSON_LINES:
            from newswatch.read.scraped import json_line_parts

            yield from _parts(file, json_line_parts(file.open_path, file.start, max_bytes))
            return
        data = read_bytes(file, max_bytes)
        if kind is Format.TEXT and data[:1] not in b"<{[W\x1f\xef \t\r\n":
            yield Item(file, data, parse(data))  # the common case, unchanged: a text file
            return
        yield from _by_content(file, data, kind, max_bytes)
    except RejectedFile as error:
        yield Item(file, data, None, error)
    except Exception as error:  # a reader's bug: this file refused, the run goes on
        yield Item(file, data, None, ReaderFault.of(error))


def in_time_order(items: list[Item]) -> list[Item]:
    """A file's articles in the order they were seen, where they say when (a WARC record's
    ``WARC-Date``, a scraper's download time): a merged or deduplicated WARC holds its
    captures in any order, and the versions of a page follow its captures. Items without
    a time keep their places; the others are listed in the file's order all the same."""
    if len(items) < 2:
        return items  # a file that is one article: most files
    seen = {
        at: item.article.seen_at
        for at, item in enumerate(items)
        if item.article is not None and item.article.seen_at is not None
    }
    timed = list(seen)
    order = sorted(timed, key=seen.__getitem__)
    if order == timed:
        return items
    arranged = list(items)
    for slot, at in zip(timed, order, strict=True):
        arranged[slot] = items[at]
    return arranged


def _by_content(file: FileStat, data: bytes, kind: Format, max_bytes: int) -> Iterator[Item]:
    if data.startswith(_GZIP) and kind is not Format.TEXT:
        data = _gunzip(data, max_bytes)
    head = data[:1024].lstrip(_LEADING)
    if head.startswith(_WARC) or _gzipped_warc(data):
        yield from _parts(file, _warc(file, max_bytes, start=0))
        return
    if head[:1] in (b"{", b"[") and kind in (Format.JSON, Format.TEXT, Format.PAGE):
        from newswatch.read.scraped import json_parts

        try:
            parts = list(json_parts(data))
        except RejectedFile:
            if kind is Format.JSON:
                raise
        else:
            yield from _parts(file, iter(parts), raw=data)
            return
    if kind is Format.JSON:
        from newswatch.errors import NotAnArticle

        raise NotAnArticle("not JSON: the file does not begin with an object or a list")
    if _MARKUP.match(head):
        from newswatch.read.page import read_page

        yield Item(file, data, read_page(data))
        return
    yield Item(file, data, parse(data))


def _gzipped_warc(data: bytes) -> bool:
    if not data.startswith(_GZIP):
        return False
    try:
        return _gunzip(data, 64).startswith(_WARC)
    except RejectedFile:
        return False  # not readable as gzip: the text reader says what it is


def _parts(file: FileStat, parts: Iterator[Part], raw: bytes | None = None) -> Iterator[Item]:
    """Items of the parts of a file: a part that is the whole file keeps the file's path."""
    for part in parts:
        if part.offset < 0:
            yield Item(file, raw if raw is not None else part.raw, part.article, part.error)
            continue
        stat = FileStat(
            f"{file.path}{PART_MARK}{part.offset}", part.end - part.offset, file.mtime_ns
        )
        yield Item(stat, part.raw, part.article, part.error)


def _warc(file: FileStat, max_bytes: int, start: int | None = None) -> Iterator[Part]:
    from newswatch.read.warc import warc_parts

    return warc_parts(file.open_path, file.start if start is None else start, file.size, max_bytes)


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """A gzipped file's contents, refusing more than ``max_bytes`` of them."""
    inflate = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        out = inflate.decompress(data, max_bytes + 1)
    except zlib.error as error:
        raise UnreadableFile(f"not a readable gzip file: {error}") from None
    if len(out) > max_bytes:
        if max_bytes < 1024:  # a look at the head only
            return out[:max_bytes]
        raise FileTooLarge(f"it holds over {max_bytes:,} bytes once unzipped")
    if not inflate.eof:
        raise TruncatedFile("the gzip file is cut short: it ends before its end")
    return out


def part_offset(path: str) -> int | None:
    """The offset of a part from its path (None for a path that is a whole file)."""
    head, mark, tail = path.rpartition(PART_MARK)
    return int(tail) if mark and head and tail.isdigit() else None


def still_there(path: str) -> bool:
    """Whether the file a recorded path names (a part's: the file holding it) is still on
    disk."""
    if part_offset(path) is not None:
        path = path.rpartition(PART_MARK)[0]
    return os.path.lexists(path)


def resume(file: FileStat, parts: list[KnownFile]) -> tuple[int | None, list[KnownFile]]:
    """Where to read a file of parts again, given its parts as recorded (in path order):
    ``(None, parts)`` when the file is as it was read (nothing to read; every part stays as
    recorded), else the offset to read from and the parts before it, which stay. A file
    that grew is read from where reading stopped (or from a part that was cut short, now
    whole); one that shrank, or does not grow by appending, from its start."""
    spans = sorted((part_offset(p.path) or 0, p) for p in parts)
    read_to = max(offset + p.size for offset, p in spans)
    if file.size == read_to and file.mtime_ns == max(p.mtime_ns for p in parts):
        return None, parts
    if file.size < read_to or format_of(file.path) not in RESUMABLE:
        return 0, []
    last_offset, last = spans[-1]
    start = last_offset if last.reason_code == TruncatedFile.code else read_to
    kept = {id(p) for offset, p in spans if offset < start}
    return start, [p for p in parts if id(p) in kept]
