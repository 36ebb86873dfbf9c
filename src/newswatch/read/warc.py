"""A WARC archive -> its records, each HTML page an article of its own.

WARC (ISO 28500) is what crawlers write: ``wget --warc-file``, Browsertrix, Heritrix,
Common Crawl's CC-NEWS. warcio (the Webrecorder project's reader) reads it, plain or
gzipped a record at a time as crawlers write it. Each ``response`` (or ``resource``) record
is a part of the file, named by its offset: the WARC's path and ``#offset`` is the path of
the article it holds. A part spans from its record to the next part's (the request and
metadata records between them included), so the parts of a reading tile the file, and a
WARC that grows is read again only from where the last reading stopped (``formats.resume``).

- An HTML page answered 200 is read by ``page``, with the record's ``WARC-Target-URI`` as
  the URL it was fetched from and its ``WARC-Date`` as the time it was seen.
- A record of anything else (an image, a script, a PDF), a redirect or an error answer is
  rejected with what it is.
- A record cut short (a WARC still being copied, a download that broke) is rejected as
  truncated; the records before it are read, and it is read again once the file has grown.
- A ``.warc.gz`` compressed as one stream, not a record at a time, cannot be read from an
  offset: it is rejected with what to do.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from newswatch.errors import (
    FileTooLarge,
    NoArticleText,
    NotHtml,
    ReaderFault,
    RejectedFile,
    TruncatedFile,
    UnreadableFile,
)
from newswatch.read.page import read_page
from newswatch.read.page_meta import parse_time
from newswatch.read.parse import ParsedArticle
from newswatch.read.parts import Part

_PAGE_RECORDS = ("response", "resource")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def warc_parts(path: str, start: int, size: int, max_bytes: int) -> Iterator[Part]:
    """The parts of the WARC at ``path`` from offset ``start`` (a record's start) to its end,
    ``size`` bytes as the scan saw it."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    pending: Part | None = None
    read_to = start
    broken: RejectedFile | None = None
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed below, after the last record
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror}") from None
    with handle:
        handle.seek(start)
        records = ArchiveIterator(handle)
        try:
            for record in records:
                found = _record(record, max_bytes) if record.rec_type in _PAGE_RECORDS else None
                offset = records.get_record_offset()
                read_to = max(read_to, offset + records.get_record_length())
                if found is None:
                    continue  # a request, metadata or warcinfo record: part of the one before
                if pending is not None:
                    yield replace(pending, end=offset)
                pending = Part(offset, read_to, *found)
                if isinstance(pending.error, TruncatedFile):
                    yield replace(pending, end=size)
                    return
        except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as error:
            broken = TruncatedFile(
                f"the archive cannot be read from byte {read_to:,}: {_first(error)}"
            )
            if "non-chunked gzip" in str(error).lower():
                broken = TruncatedFile(
                    f"the .warc.gz is compressed as one stream, not a record at a time, and "
                    f"cannot be read past byte {read_to:,} (`warcio recompress` rewrites it)"
                )
    if broken is None and size - read_to > 4 and not _blank_tail(path, read_to, size):
        broken = TruncatedFile(
            f"the last {size - read_to:,} bytes, from byte {read_to:,}, are no whole record"
        )
    if pending is not None:
        yield replace(pending, end=read_to if broken else max(read_to, size))
    if broken is not None:
        yield Part(read_to, size, b"", None, broken)
    elif pending is None and start == 0:
        yield Part(0, size, b"", None, NotHtml("the archive holds no page (no response record)"))


def _first(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _blank_tail(path: str, start: int, end: int) -> bool:
    with open(path, "rb") as handle:
        handle.seek(start)
        return not handle.read(end - start).strip()


def _record(record: Any, max_bytes: int) -> tuple[bytes, ParsedArticle | None, RejectedFile | None]:
    """A page record -> (its payload, its article or why it holds none)."""
    target = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ")
    seen_at, _ = parse_time(record.rec_headers.get_header("WARC-Date") or "")
    http = record.http_headers
    kind = (
        http.get_header("Content-Type")
        if http is not None
        else record.rec_headers.get_header("Content-Type")
    ) or ""
    payload = record.content_stream().read(max_bytes + 1)
    if record.raw_stream.limit > 0:
        return payload, None, TruncatedFile("the record is cut short: the file ends inside it")
    if len(payload) > max_bytes:
        return payload, None, FileTooLarge(f"the record's page is over {max_bytes:,} bytes")
    status = http.get_statuscode() if http is not None else "200"
    if status and not status.startswith("2"):
        moved = http.get_header("Location") if http is not None else None
        where = f", to {moved}" if moved else ""
        answer = http.statusline if http is not None else status
        return payload, None, NoArticleText(f"the server answered {answer}{where}")
    mime = kind.split(";")[0].strip().lower()
    if mime not in _HTML_TYPES:
        return payload, None, NotHtml(f"the record of {target} is {mime or 'untyped'}, not HTML")
    charset = next(
        (
            p.split("=", 1)[1].strip(" \"'")
            for p in kind.split(";")[1:]
            if p.strip().lower().startswith("charset=")
        ),
        None,
    )
    try:
        article = read_page(payload, fetched_url=target or None, seen_at=seen_at, charset=charset)
    except RejectedFile as error:
        return payload, None, error
    except Exception as error:  # a reader's bug: this record refused, the others read
        return payload, None, ReaderFault.of(error)
    return payload, article, None
