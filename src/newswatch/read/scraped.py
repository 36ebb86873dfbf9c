"""What scrapers write as JSON -> :class:`ParsedArticle`: news-please and trafilatura.

news-please (Hamborg et al., 2017) writes one JSON object an article: ``title``,
``maintext``, ``date_publish``, ``date_download``, ``source_domain``, ``url``.
``trafilatura --json`` writes ``title``, ``text``, ``date``, ``hostname``, and its
metadata's ``url`` as ``source`` and ``sitename`` (the site's name, as a page's
``og:site_name`` gives it) as ``source-hostname``. A ``.json`` file holds one such object,
or a list of them; a ``.jsonl`` file one a line, and is read again only from where it was
read when it grows (like a WARC: each line is a part, named by its offset).

The body, a paragraph a line, goes through the body rules of text files (``parse``); the
headline loses the site name a title may end in (``page_meta.without_site_name``), the
outlet is the site's name, else its host without ``www.``. JSON that is no such article
(a configuration file, a list of numbers, an object without a text) is rejected, with the
keys it has; a list that holds no article at all (a crawler's list of URLs) is one file
refused, not one refusal per element.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from newswatch.errors import (
    FileTooLarge,
    NoArticleText,
    NotAnArticle,
    ReaderFault,
    RejectedFile,
    TruncatedFile,
    UnreadableFile,
    UnsupportedEncoding,
)
from newswatch.read.page_meta import parse_time, without_site_name
from newswatch.read.parse import ParsedArticle, body_of_blocks, text_blocks
from newswatch.read.parts import Part
from newswatch.read.urls import article_url, host_of

_TEXT_FIELDS = ("maintext", "text", "raw_text")
_WHITESPACE = b" \t\r\n"


def json_parts(raw: bytes) -> Iterator[Part]:
    """The articles of a ``.json`` file: its one object (offset -1: the file is the
    article), or each object of its list (offset: where it starts, in characters)."""
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError:
        raise UnsupportedEncoding("JSON must be UTF-8, and this file is not") from None
    except ValueError as error:
        raise NotAnArticle(f"not valid JSON: {error}") from None
    if not isinstance(data, list):
        yield Part(-1, len(raw), raw, *_article(data))
        return
    if not any(isinstance(item, dict) and any(f in item for f in _TEXT_FIELDS) for item in data):
        kinds = ", ".join(sorted({type(item).__name__ for item in data})) or "nothing"
        raise NotAnArticle(f"a JSON list of {len(data):,} {kinds}, none of them an article")
    decoder, at = json.JSONDecoder(), text.index("[") + 1
    for _ in data:  # each element again, with where it starts, so a part has an offset
        while text[at] in " \t\r\n,":
            at += 1
        item, end = decoder.raw_decode(text, at)
        yield Part(at, end, text[at:end].encode(), *_article(item))
        at = end


def json_line_parts(path: str, start: int, max_bytes: int) -> Iterator[Part]:
    """The articles of a JSON Lines file from offset ``start``: one a line, each named by
    the offset it starts at. A last line without its newline may still be being written:
    it is read, and read again when the file grows."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed below
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror}") from None
    with handle:
        handle.seek(start)
        offset = start
        while line := handle.readline(max_bytes + 1):
            end = offset + len(line)
            if len(line) > max_bytes and not line.endswith(b"\n"):
                yield Part(offset, end, b"", None, FileTooLarge(f"a line over {max_bytes:,} bytes"))
                handle.readline()  # the rest of that line
                end = handle.tell()
            elif line.strip(_WHITESPACE):
                try:
                    found = _article(json.loads(line))
                except ValueError as error:
                    cut = not line.endswith(b"\n")  # the last line, perhaps still being written
                    found = (
                        None,
                        TruncatedFile("the last line is cut short")
                        if cut
                        else NotAnArticle(f"the line is not valid JSON: {error}"),
                    )
                yield Part(offset, end, line.strip(_WHITESPACE), *found)
            offset = end


def _article(data: object) -> tuple[ParsedArticle | None, RejectedFile | None]:
    try:
        return read_scraped(data), None
    except RejectedFile as error:
        return None, error
    except Exception as error:  # a reader's bug: this article refused, the others read
        return None, ReaderFault.of(error)


def read_scraped(data: object) -> ParsedArticle:
    """One scraper's JSON object -> the article it holds."""
    if not isinstance(data, dict):
        raise NotAnArticle(f"JSON {type(data).__name__}, not an object describing an article")
    text_field = next((f for f in _TEXT_FIELDS if f in data), None)
    if text_field is None:
        keys = ", ".join(sorted(map(str, data))[:8]) or "none"
        raise NotAnArticle(
            f"a JSON object without an article's text (maintext or text); its keys: {keys}"
        )
    body = data.get(text_field)
    if not isinstance(body, str) or not body.strip():
        raise NoArticleText(f"the JSON's {text_field} is empty: the scraper found no article text")
    url = _string(data, "url", "source")
    host = host_of(url) or _host(_string(data, "source_domain", "hostname"))
    outlet = _string(data, "sitename", "source-hostname") or host
    published_at, published = parse_time(_string(data, "date_publish", "date") or "")
    seen_at, _ = parse_time(_string(data, "date_download") or "")
    paragraphs, debris = body_of_blocks(text_blocks(body))
    if not paragraphs:
        raise NoArticleText(f"the JSON's {text_field} holds no prose, only debris")
    title = " ".join((_string(data, "title") or "").split())
    return ParsedArticle(
        headline=without_site_name(title, outlet, host) if title else "",
        published=published,
        outlet=outlet,
        paragraphs=paragraphs,
        source_url=url,
        url=article_url(url),
        published_at=published_at,
        seen_at=seen_at,
        encoding="utf-8",
        debris=debris,
    )


def _string(data: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _host(value: str | None) -> str | None:
    if not value:
        return None
    return host_of(value if "//" in value else f"https://{value}")
