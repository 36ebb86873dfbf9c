"""Bytes of one article file -> :class:`ParsedArticle`.

The sample (``seeds/``) is a headline line, a ``DD.MM.YYYY`` date line, an ``Outlet, D Month
YYYY`` dateline, body paragraphs and an aggregator trailer ``Kaynak/Source: [URL]``. Real
folders hold every variation of it, so the layout is read from the text, not from positions:

- The headline is the first line only when it reads as one: short (at most
  ``HEADLINE_MAX_WORDS`` words), not ending in a full stop, and not the first half of a
  sentence that the next line finishes. A first line that reads as prose stays in the body,
  and the article has no headline (an article written on one line is such an article).
- Tag lines are not headlines: a location or agency before a dash (``İSTANBUL -``,
  ``RADİKAL-``), a bare uppercase word (``İSTANBUL``), a news-desk or agency name.
- Hard-wrapped lines and indented fragments are joined into their paragraph: a line that
  does not end a sentence goes on in the next line when that one starts in lower case, or
  when it is as long as the file's lines get (a wrap, not a heading).
- Closing bylines (``(CİHAN)``, ``İHA``, ``DHA``, ``AA``) and ``Kaynak:`` / ``Source:`` lines
  of every form are the trailer, not the body; whatever follows a trailer is the
  aggregator's furniture. Caption debris (``Media caption…``) is dropped. What is dropped is
  kept in ``debris`` so a reader can see it.
- A file is ``no_body`` only when it holds no prose at all (nothing but dates, tags or links).

Text is decoded (``encoding``) and repaired (``repair``) first.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from pydantic import BaseModel, Field, model_validator

from newswatch.errors import NoArticleText, UnsupportedEncoding, WhitespaceOnlyFile
from newswatch.read.datelines import date_line, dateline
from newswatch.read.encoding import (
    GUESSED_ACCENTED_SHARE,
    GUESSES,
    decode,
    misread_reason,
    misread_share,
)
from newswatch.read.quotations import CLOSING_MARKS
from newswatch.read.repair import repair
from newswatch.read.text import LOWERCASE, UPPERCASE, outlet_key
from newswatch.read.urls import article_url

HEADLINE_MAX_WORDS = 18
"""Longest headline taken from a first line. BBC and Turkish headlines run to 14 words; in a
Turkish corpus, first lines over 20 words were the lead sentence, never a headline."""

_AGENCIES = (
    r"AA|A\.A\.|AFP|AP|ANKA|ANKA Haber Ajansı|Anadolu Ajansı|CİHAN|Cihan|Cihan Haber Ajansı|DHA"
    r"|Doğan Haber Ajansı|DPA|EFE|İHA|İhlas Haber Ajansı|IHA|UPI|ANSA|Reuters|REUTERS|ULUSAL"
    r"|HABER MERKEZİ|Haber Merkezi|NTVMSNBC|ntvmsnbc|RADİKAL|Radikal|SABAH|Sabah|ZAMAN|Zaman"
)
_AGENCY_LINE = re.compile(rf"^[(\[]?(?:{_AGENCIES})[)\]]?\s*[-–—.]?$")
_CLOSING_BYLINE = re.compile(rf"\s*[(\[](?:{_AGENCIES})[)\]]\s*$")
# "İSTANBUL -", "RADİKAL-", "ANKARA (AA) -", "Haber Merkezi:": a tag before the text.
_TAG_LINE = re.compile(
    rf"^[{UPPERCASE}][{UPPERCASE}{LOWERCASE}.'’ ]{{0,40}}(?:\s*[(\[][^)\]]{{1,30}}[)\]])?"
    r"\s*[-–—:/]\s*$"
)
_BARE_CAPS_WORD = re.compile(rf"^[{UPPERCASE}][{UPPERCASE}.'’]{{1,30}}$")
_TRAILER = re.compile(
    r"^[(\[]?\s*(?:Kaynak\s*/\s*Source|Kaynak|Source|Haber\s+Kayna[ğg][ıi]|Kaynaklar)"
    r"\s*:\s*(?P<rest>.*?)[)\]]?$",
    re.IGNORECASE,
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Caption and credit lines that scrapers lift from around images and video players, the
# links and calls to action around an article, and agencies' closing notes.
_DEBRIS = re.compile(
    r"^(?:Media caption|Image caption|Image copyright|Getty Images$|Media playback is "
    r"unsupported on your device|Share this with"
    # AP's captions: "FILE - In this Nov. 11, 2017 file photo, ...", "In this photo taken..."
    r"|FILE\s*[-–—]\s*In this\b"
    r"|In this\b.{0,80}?\b(?:photo|image)(?:,| (?:taken|provided|released|made|shot|from)\b)"
    # A credit runs to 30 words: 100 opening with "Image:" (wiki markup) are prose.
    r"|(?:Photo|Photograph|Picture|Image|Foto|Fotoğraf)(?:\s+credit)?\s*:(?!(?:\s*\S+){31})"
    r"|(?:Related(?:\s+(?:Topics|stories|articles|coverage|links))?|Read more|Read also|See also"
    r"|Also read|More on this story|İlgili haber(?:ler)?|Devamını oku)\s*(?::|$)"
    r"|Sign up for\b.*\bnewsletter|Subscribe to our\b|Follow us on\b"
    r"|This (?:story|article) has been (?:corrected|updated)\b|Contributing\s*:"
    r"|(?:Additional\s+)?Reporting by\b|Editing by\b|Writing by\b"
    r"|©|Copyright\s+(?:©\s*)?\d{4}\b|All rights reserved\b)",
    re.IGNORECASE,
)
# A photo credit in brackets marks a caption wherever it stands: "(AP Photo/Evan Vucci,
# File)", "(Fotoğraf: AA)", "(Photo: Reuters)".
_PHOTO_CREDIT = re.compile(
    r"[(\[]\s*(?:[\w.]+\s+)?(?:Photo|Foto|Fotoğraf)\s*[/:][^)\]]{0,80}[)\]]", re.IGNORECASE
)
_CAPTION_MAX_WORDS = 150
"""A caption runs to 120 words (AP's); a paragraph longer than this holding a credit is
story text that names a photo."""
# A heading over a list of links ("Read more:", "Related", "More on this story"): the short
# lines under it are the links.
_LINKS_HEADING_MAX = 40
"""Characters a links heading runs to, at most ("Related stories:", "İlgili haberler")."""
_LINKS_HEADING = re.compile(
    r"^(?:Related(?:\s+(?:Topics|stories|articles|coverage|links))?|Read more|Read also"
    r"|See also|Also read|More on this story|İlgili haber(?:ler)?)\s*:?$",
    re.IGNORECASE,
)
_SENTENCE_CLOSERS = tuple(".!?:;…)]" + CLOSING_MARKS)
_OPEN_CONTINUATION = tuple(",;-–")
_LOWER_START = re.compile(rf"^[{LOWERCASE}]")
_BULLET = re.compile(r"^[-*•·] ")
# Every other space becomes a plain one, invisible characters go: two character classes,
# each one scan in C, run only on text that is not plain ASCII or holds a tab
# (``str.translate`` with a table looks each character up in a dict, six times slower on
# the non-ASCII texts of the BBC and Turkish corpora).
_OTHER_SPACES = re.compile(
    "[\t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000]"
)
_INVISIBLES = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_RUN_OF_SPACES = re.compile(" {2,}")
_WORDLIKE = re.compile(r"\w")
_PROSE_WORD = re.compile(rf"[{UPPERCASE}{LOWERCASE}]{{2,}}")
_WRAP_SHARE = 0.6
"""A line at least this share of the file's longest line is a wrapped line, not a heading."""


class ParsedArticle(BaseModel):
    """One article as the parser understood it; the boundary between files and matching."""

    headline: str = Field(description="Empty when the file has none (its first line is prose).")
    published: date | None = None
    outlet: str | None = None
    outlet_key: str | None = Field(
        default=None, description="The outlet as compared (``text.outlet_key``), set from it."
    )
    dateline: str | None = Field(default=None, description="The 'Outlet, D Month YYYY' line.")
    paragraphs: list[str]
    source_url: str | None = Field(default=None, description="The URL as the file gives it.")
    url: str | None = Field(default=None, description="It as compared: urls.article_url.")
    published_at: datetime | None = Field(default=None, description="Publication time, UTC.")
    seen_at: datetime | None = Field(default=None, description="Capture time (WARC-Date).")
    has_source_trailer: bool = False
    encoding: str
    replaced_bytes: int = 0
    debris: list[str] = Field(default_factory=list, description="Lines dropped as debris.")

    @model_validator(mode="after")
    def _key_the_outlet(self) -> ParsedArticle:
        self.outlet_key = outlet_key(self.outlet)
        return self

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def title(self) -> str:
        """The headline, or the body's first words when there is none: what to call it."""
        return self.headline or title_from_body(self.paragraphs)


def title_from_body(paragraphs: list[str], words: int = 12) -> str:
    first = " ".join(paragraphs[:1]).split()
    return " ".join(first[:words]) + ("…" if len(first) > words else "")


def parse(raw: bytes) -> ParsedArticle:
    """Parse one file's bytes; raise a :class:`RejectedFile` subclass when it is no article."""
    decoded = decode(raw)
    if decoded.encoding in GUESSES and (share := misread_share([decoded.text])) >= (
        GUESSED_ACCENTED_SHARE
    ):
        raise UnsupportedEncoding(misread_reason(share, decoded.encoding))
    lines = _clean_lines(repair(decoded.text))
    if not any(text for text, _ in lines):
        raise WhitespaceOnlyFile("the file holds only white space")

    header, body_start, tags = _read_header(lines)
    body_lines = lines[body_start:]
    paragraphs = _paragraphs(body_lines, _wrap_width(lines))
    paragraphs, debris, source_url, trailer = _body(paragraphs)
    headline = header.get("headline", "")
    if not any(_is_prose(p) for p in paragraphs):
        if not _is_prose(headline):
            raise NoArticleText(
                "the file holds no prose: only "
                + (", ".join(_what(header, tags, debris, source_url)) or "white space and marks")
            )
        # Nothing but a headline-like line: an article of one line.
        paragraphs, headline = [headline, *paragraphs], ""

    return ParsedArticle(
        headline=headline,
        published=header.get("published"),
        outlet=header.get("outlet"),
        dateline=header.get("dateline"),
        paragraphs=paragraphs,
        source_url=source_url,
        url=article_url(source_url) if source_url else None,
        has_source_trailer=trailer,
        encoding=decoded.encoding,
        replaced_bytes=decoded.replaced,
        debris=[*tags, *debris],
    )


def text_blocks(text: str) -> list[str]:
    """A body given a paragraph a line (an extractor's output, a scraper's JSON) as its
    non-empty lines, repaired and with white space folded as a file's are."""
    return [line for line, _ in _clean_lines(repair(text)) if line]


def body_of_blocks(blocks: list[str]) -> tuple[list[str], list[str]]:
    """Paragraphs -> (the body, the debris), by the rules a file's body is read by: captions,
    credits, link lists, agencies' notes and trailers are debris."""
    paragraphs, debris, _, _ = _body(blocks)
    return paragraphs, debris


def is_debris(line: str) -> bool:
    """A caption, credit, link or closing note that the body rules drop wherever it stands."""
    return bool(_DEBRIS.match(line)) or _is_caption(line)


def _what(header: dict, tags: list[str], debris: list[str], url: str | None) -> list[str]:
    found = [name for name in ("published", "dateline") if header.get(name)]
    if tags:
        found.append("tag lines")
    if url or any(_URL.search(d) for d in debris):
        found.append("links")
    elif debris:
        found.append("debris")
    return found


def _clean_lines(text: str) -> list[tuple[str, bool]]:
    """Lines with white space folded, each with whether it was indented."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() or "\t" in text:
        text = _INVISIBLES.sub("", _OTHER_SPACES.sub(" ", text))
    if "  " in text:
        text = _RUN_OF_SPACES.sub(" ", text)
    return [(line.strip(), line[:1] == " ") for line in text.split("\n")]


def _is_prose(text: str) -> bool:
    """Two words of letters once links are set aside."""
    if "://" in text or "www." in text.lower():
        text = _URL.sub(" ", text)
    found = _PROSE_WORD.finditer(text)
    return next(found, None) is not None and next(found, None) is not None


def _ends_in_full_stop(line: str) -> bool:
    """A full stop, not an ellipsis ("Erdoğan gitti, geldi...")."""
    return line.endswith(".") and not line.endswith(("..", "….", "…"))


def _is_tag(line: str) -> bool:
    return bool(
        _TAG_LINE.match(line) or _BARE_CAPS_WORD.match(line) or _AGENCY_LINE.match(line)
    ) and not _ends_in_full_stop(line)


_PLACEHOLDER = re.compile(r"^[^\w]*[\d\W_]{1,12}$")
"""A first line of digits and marks only, short: what a scraper took for the title."""


def _read_header(lines: list[tuple[str, bool]]) -> tuple[dict, int, list[str]]:
    """Headline, date line, dateline and tag lines from the top, in any order, each once.

    Stops at the first line that is none of them; a first line that is prose is left for
    the body.
    """
    header: dict = {}
    tags: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i][0]
        if not line:
            i += 1
            continue
        if "published" not in header and (published := date_line(line)) is not None:
            header["published"] = published
        elif "dateline" not in header and (found := dateline(line)):
            header["dateline"] = line
            header["outlet"], dated = found
            header.setdefault("dateline_date", dated)
        elif _is_tag(line) and not _TRAILER.match(line):
            tags.append(line)
        elif not header and not tags and _PLACEHOLDER.match(line):
            # "[12]", "2024": the scraper's title, naming nothing. It held the headline's
            # place: no later line is taken for one.
            tags.append(line)
            header["headline"] = ""
        elif "headline" not in header and _reads_as_headline(line, _next_line(lines, i)):
            header["headline"] = line
        else:
            break
        i += 1
    if header.get("published") is None and header.get("dateline_date"):
        header["published"] = header["dateline_date"]
    return header, i, tags


def _next_line(lines: list[tuple[str, bool]], i: int) -> str:
    """The next line if it follows directly (no blank line between), else ''."""
    return lines[i + 1][0] if i + 1 < len(lines) else ""


def _reads_as_headline(line: str, following: str) -> bool:
    if _TRAILER.match(line) or _DEBRIS.match(line) or not _PROSE_WORD.search(line):
        return False
    if len(line.split()) > HEADLINE_MAX_WORDS or _ends_in_full_stop(line):
        return False
    if line.endswith(_OPEN_CONTINUATION):
        return False
    # "Hazine, 21 Mart 2007 vadeli olarak yeniden ihraç ettiği dolar" / "cinsi, altı ayda…":
    # the first half of a sentence the next line finishes.
    return not (following and _LOWER_START.match(following))


def _wrap_width(lines: list[tuple[str, bool]]) -> int:
    """How long a hard-wrapped line of this file is: its longest lines' length."""
    lengths = sorted((len(text) for text, _ in lines if text), reverse=True)
    return lengths[min(len(lengths) - 1, 2)] if lengths else 0


def _paragraphs(lines: list[tuple[str, bool]], width: int) -> list[str]:
    """Blank lines, indents and closed sentences start paragraphs; wrapped lines join."""
    paragraphs: list[str] = []
    current: list[str] = []
    for text, indented in lines:
        if not text:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if current and not _continues(current[-1], text, indented, width):
            paragraphs.append(" ".join(current))
            current = []
        current.append(text)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def _continues(previous: str, line: str, indented: bool, width: int) -> bool:
    """Is ``line`` the rest of the paragraph that ``previous`` (the line above) is in?"""
    if _BULLET.match(line):
        return False
    if previous.endswith(_SENTENCE_CLOSERS):
        return False  # a sentence ended at the line's end: the next line is a new paragraph
    if _LOWER_START.match(line):
        return True  # a sentence broken at the line's end
    if indented:
        return False  # an indented line that does not finish a sentence opens a paragraph
    # Open line, next one starts in upper case: a wrap before a name, or a heading?
    return len(previous) >= _WRAP_SHARE * width and len(previous.split()) > HEADLINE_MAX_WORDS // 2


def _body(blocks: list[str]) -> tuple[list[str], list[str], str | None, bool]:
    paragraphs: list[str] = []
    debris: list[str] = []
    source_url: str | None = None
    trailer = furniture = False
    links = False  # inside a list of links under a "Read more" heading
    for block in blocks:
        if links and (_BULLET.match(block) or _reads_as_link(block)):
            debris.append(block)
            continue
        links = len(block) < _LINKS_HEADING_MAX and bool(_LINKS_HEADING.match(block))
        if furniture:
            # Whatever follows the aggregator's own trailer is its furniture, not the article.
            debris.append(block)
            if source_url is None and (url := _URL.search(block)):
                source_url = url.group(0)
            continue
        if match := _TRAILER.match(block):
            trailer = True
            furniture = "/" in block.split(":", 1)[0]  # "Kaynak/Source:", the seed's form
            if source_url is None and (url := _URL.search(match["rest"])):
                source_url = url.group(0)
            if match["rest"].strip():
                debris.append(block)
            continue
        if (
            _DEBRIS.match(block)
            or _AGENCY_LINE.match(block)
            or not _WORDLIKE.search(block)
            or _is_caption(block)
        ):
            debris.append(block)
            continue
        if paragraphs and _continues_broken(paragraphs[-1], block):
            paragraphs[-1] = f"{paragraphs[-1]} {block}"
            continue
        paragraphs.append(block)
    if paragraphs and paragraphs[-1].endswith((")", "]")):
        last = paragraphs[-1]
        if byline := _CLOSING_BYLINE.search(last, max(0, len(last) - 60)):
            debris.append(byline.group().strip())
            paragraphs[-1] = last[: byline.start()].rstrip()
            if not paragraphs[-1]:
                paragraphs.pop()
    # Tag lines at the end ("HABER MERKEZİ", "İSTANBUL -") close the article too.
    while len(paragraphs) > 1 and _is_tag(paragraphs[-1]):
        debris.append(paragraphs.pop())
    return paragraphs, debris, source_url, trailer


def _is_caption(block: str) -> bool:
    """A paragraph holding a photo credit, short enough to be the photo's caption."""
    return (
        ("(" in block or "[" in block)
        and ("oto" in block or "OTO" in block)  # Photo, Foto, Fotoğraf, PHOTO...
        and bool(_PHOTO_CREDIT.search(block))
        and block.count(" ") < _CAPTION_MAX_WORDS
    )


def _reads_as_link(block: str) -> bool:
    """A line in a list of links: a headline's length, no closed sentence."""
    return len(block.split()) <= HEADLINE_MAX_WORDS and not _ends_in_full_stop(block)


def _continues_broken(previous: str, block: str) -> bool:
    """A paragraph that ends without closing punctuation, followed by one that starts in
    lower case, is one paragraph the scraper broke (the sample's "...and rebel / factions")."""
    return not previous.endswith(_SENTENCE_CLOSERS) and bool(_LOWER_START.match(block))
