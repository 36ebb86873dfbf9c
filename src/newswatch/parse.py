"""Bytes of one article file -> :class:`ParsedArticle`.

The expected shape (see ``seeds/``) is a headline line, a ``DD.MM.YYYY`` date line, an
``Outlet, D Month YYYY`` dateline, body paragraphs, and an aggregator trailer
``Kaynak/Source: [URL]``. Header lines may be missing (the BBC corpus has only the
headline); the first remaining line is then the headline. Scraping debris is dropped but
remembered in ``debris`` so a reader can see what was removed.
"""

from __future__ import annotations

import re
from datetime import date

from pydantic import BaseModel, Field

from newswatch.encoding import decode
from newswatch.errors import NoArticleText, WhitespaceOnlyFile

_DATE_LINE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
_DATELINE = re.compile(
    r"^(?P<outlet>[^,\n]{1,80}),\s+(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)\s+(?P<year>\d{4})$"
)
_TRAILER = re.compile(r"^\s*Kaynak\s*/\s*Source\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
# Caption and credit lines that scrapers lift from around images and video players.
_DEBRIS = re.compile(
    r"^(Media caption|Image caption|Image copyright|Getty Images$|Media playback is "
    r"unsupported on your device|Share this with|Read more:?$|Related Topics$)",
    re.IGNORECASE,
)
# A paragraph that ends without closing punctuation, followed by one that starts in lower
# case, is one paragraph that the scraper broke (the sample's "...and rebel / factions").
_OPEN_END = re.compile(r"[^.!?:;\"'”’)\]…]$")
_LOWER_START = re.compile(r"^[a-zçğıöşü]")
_BULLET = re.compile(r"^[-*•·] ")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


class ParsedArticle(BaseModel):
    """One article as the parser understood it; the boundary between files and matching."""

    headline: str
    published: date | None = None
    outlet: str | None = None
    dateline: str | None = Field(default=None, description="The 'Outlet, D Month YYYY' line.")
    paragraphs: list[str]
    source_url: str | None = None
    has_source_trailer: bool = False
    encoding: str
    replaced_bytes: int = 0
    debris: list[str] = Field(default_factory=list, description="Lines dropped as debris.")

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


def parse(raw: bytes) -> ParsedArticle:
    """Parse one file's bytes; raise a :class:`RejectedFile` subclass when it is no article."""
    decoded = decode(raw)
    lines = _clean_lines(decoded.text)
    if not any(lines):
        raise WhitespaceOnlyFile("the file holds only white space")

    header, body_start = _read_header(lines)
    blocks = _blocks(lines[body_start:])
    paragraphs, debris, source_url, trailer = _body(blocks)
    if header.get("headline") is None:
        if not paragraphs:
            raise NoArticleText("the file has a date or outlet line but no text")
        header["headline"] = paragraphs.pop(0)
    if not paragraphs:
        raise NoArticleText("the file has a headline but no body paragraphs")

    return ParsedArticle(
        headline=header["headline"],
        published=header.get("published"),
        outlet=header.get("outlet"),
        dateline=header.get("dateline"),
        paragraphs=paragraphs,
        source_url=source_url,
        has_source_trailer=trailer,
        encoding=decoded.encoding,
        replaced_bytes=decoded.replaced,
        debris=debris,
    )


def _clean_lines(text: str) -> list[str]:
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    # One pass over the whole text (``_SPACE`` never matches a newline), not one per line.
    return [line.strip() for line in _SPACE.sub(" ", text).split("\n")]


def _read_header(lines: list[str]) -> tuple[dict, int]:
    """Take the headline, date line and dateline from the top, in any order, each once."""
    header: dict = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line:
            i += 1
            continue
        if "published" not in header and (published := _date_line(line)) is not None:
            header["published"] = published
        elif "dateline" not in header and (match := _DATELINE.match(line)) and _month(match):
            header["dateline"] = line
            header["outlet"] = match["outlet"].strip()
            header.setdefault("dateline_date", _dateline_date(match))
        elif "headline" not in header and not _TRAILER.match(line):
            header["headline"] = line
        else:
            break
        i += 1
        if len(header.keys() & {"headline", "published", "dateline"}) == 3:
            break
    if header.get("published") is None and header.get("dateline_date"):
        header["published"] = header["dateline_date"]
    return header, i


def _date_line(line: str) -> date | None:
    match = _DATE_LINE.match(line)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month(match: re.Match[str]) -> int | None:
    return _MONTHS.get(match["month"].lower())


def _dateline_date(match: re.Match[str]) -> date | None:
    month = _month(match)
    try:
        return date(int(match["year"]), month or 0, int(match["day"]))
    except ValueError:
        return None


def _blocks(lines: list[str]) -> list[str]:
    """Paragraphs: blank-line separated blocks, or single lines when a file has no blanks."""
    while lines and not lines[-1]:
        lines = lines[:-1]
    while lines and not lines[0]:
        lines = lines[1:]
    if "" not in lines:
        return [line for line in lines if line]
    blocks: list[str] = []
    current: list[str] = []
    for line in [*lines, ""]:
        if line and not (current and _BULLET.match(line)):
            current.append(line)
            continue
        if current:
            # Lines inside a block are hard-wrapped prose; a bullet starts its own paragraph.
            blocks.append(" ".join(current))
        current = [line] if line else []
    return blocks


def _body(blocks: list[str]) -> tuple[list[str], list[str], str | None, bool]:
    paragraphs: list[str] = []
    debris: list[str] = []
    source_url: str | None = None
    trailer = False
    for block in blocks:
        if trailer:
            # Anything after the aggregator's trailer is its own furniture, not the article.
            url = _URL.search(block)
            if url and source_url is None:
                source_url = url.group(0)
            else:
                debris.append(block)
            continue
        if match := _TRAILER.match(block):
            trailer = True
            url = _URL.search(match["rest"])
            source_url = url.group(0) if url else None
            continue
        if _DEBRIS.match(block):
            debris.append(block)
            continue
        if paragraphs and _OPEN_END.search(paragraphs[-1]) and _LOWER_START.match(block):
            paragraphs[-1] = f"{paragraphs[-1]} {block}"
            continue
        paragraphs.append(block)
    return paragraphs, debris, source_url, trailer
