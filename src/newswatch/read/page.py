"""A web page's bytes -> :class:`ParsedArticle`: the article's body, headline, outlet, time
and URL, without the page around it.

1. **Decoding.** The page's own declaration names its encoding (a byte-order mark, the HTTP
   header a WARC kept, ``<meta charset>`` or ``http-equiv`` in the head, read with the
   WHATWG labels: ``iso-8859-1`` is windows-1252). A page whose bytes are not in the
   encoding it declares (UTF-8 declared, cp1252 written; or UTF-8 written under a single-byte
   declaration, which a browser shows as mojibake) is rejected; an undeclared one is read as
   text files are (``encoding``), whose guess is a Western code page: a page whose text
   comes out of that guess as mostly accented Latin letters is in another script's code
   page (Cyrillic, Greek, Arabic...) it does not declare, and is rejected.
2. **Extraction** with trafilatura (Barbaresi, ACL 2021), chosen by measurement
   (``benchmarks/extraction.py``, docs/extraction.md), in its fast mode: on the pages
   weighed its fallback extractors moved F1 by 0.001 and doubled the time. Where the fast
   mode keeps a menu rather than sentences, the full mode, favouring recall, reads it again.
3. **What extraction lets through.** A line that is the whole text of a link (five words or
   more) is a teaser of another page, not the article's prose; three such lines in a row,
   however short, are a menu or a list of links; a heading that opens a list of
   links ("You may also like", "Don't miss") goes with the short lines under it; calls to
   action ("Tell us what you think", "Follow us on...") and counters ("12 comments") go.
   Then the body rules of text files (``parse``): captions, credits, link lists, agencies'
   notes. Furniture no rule knows (a site's weather box, its newsletter box) is learned per
   outlet by the store, from the paragraphs its articles repeat (``match/furniture.py``).
   The headline, which many pages print again above the text, is the headline only.
4. **No article.** A page with no prose, or one that does not call itself an article and
   whose extracted text is mostly links to other pages (an index page), or whose text is
   the summaries under other pages' headlines (an index too), or a menu in both modes, or
   that says it is an error page, is rejected.

Metadata: ``page_meta``. trafilatura is imported on the first page, so a folder of text
files never loads it.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from typing import TYPE_CHECKING

from newswatch.errors import MisdeclaredEncoding, NoArticleText, UnsupportedEncoding
from newswatch.read.encoding import (
    GUESSED_ACCENTED_SHARE,
    GUESSES,
    Decoded,
    decode,
    decode_as,
    is_utf8_text,
    misread_reason,
    misread_share,
)
from newswatch.read.page_meta import PageMeta, page_meta
from newswatch.read.parse import ParsedArticle, body_of_blocks, is_debris, text_blocks
from newswatch.read.text import words
from newswatch.read.urls import article_url

if TYPE_CHECKING:
    from lxml import html

LINK_LINE_WORDS = 5
"""A line that is the whole text of a link, and this long or longer, is another page's
teaser. Shorter link texts are also a page's own subheadings (a table of contents links to
them). Set on the first half of benchmarks/extraction.py's pages (3 and 5 scored within
0.001 F1, 5 higher)."""
MENU_LINKS = 3
"""Link lines in a row, however short, that are a menu, a tag cloud or a list of links."""
INDEX_TEASERS = 5
INDEX_TEASER_SHARE = 0.3
"""A page that does not call itself an article (``PageMeta.says_article``) and whose
extracted text holds ``INDEX_TEASERS`` teasers of other pages (link texts of a headline's
length) or more, making this share of its words or more, is an index of other pages. On
the first half of benchmarks/extraction.py's pages (all articles) the most are 3 teasers
and 15% of the words; 49 of the 50 call themselves articles."""
SENTENCE_WORDS = 8
SENTENCE_CHARACTERS = 40
MIN_SENTENCES = 2
MENU_LINES = 5
"""A text with fewer than ``MIN_SENTENCES`` paragraphs of ``SENTENCE_WORDS`` words or more
(or ``SENTENCE_CHARACTERS`` characters, for scripts written without spaces),
once the rules have taken out links and furniture, is not what the page is about: the
extraction is read again in trafilatura's full mode, favouring recall. Where neither holds
sentences and both hold ``MENU_LINES`` short lines or more, the page's text is a menu or a
list of links, and the page is refused. Every page of benchmarks/extraction.py has more."""
TEASER_SHARE = 0.6
TEASER_LARGEST = 0.5
"""A page whose stored text lies in ``INDEX_TEASERS`` or more teasers of other pages (a
link on a line of its own, of a headline's length, and what stands with it up to the
largest element that holds no other: its summary), ``TEASER_SHARE`` of its words or more,
none holding ``TEASER_LARGEST`` of them, is an index of headlines with their summaries
(an article's own body lies in one element, whatever links stand around it)."""
ERROR_PAGE_WORDS = 150
"""A page titled as an error (404, "not found") with fewer words than this is that error."""

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([\w:.-]+)""", re.IGNORECASE)
_HEAD_BYTES = 65_536
# WHATWG's Encoding Standard: labels whose meaning on the web differs from Python's codec.
_WHATWG = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "l1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "iso-8859-9": "cp1254",
    "latin5": "cp1254",
    "tis-620": "cp874",
    "iso-8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "utf-16": "utf-8",  # a <meta> cannot declare UTF-16: a page that does is ASCII-compatible
}
_SAVED_FROM = re.compile(
    r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->|Page saved with SingleFile\s+url:\s*(\S+)",
    re.IGNORECASE,
)
_LIST_HEADING = re.compile(
    r"^\W*(?:you (?:may|might) (?:also )?(?:like|enjoy)|don['’]?t miss|must read|read next|up next"
    r"|more (?:from|on|stories|news)\b.{0,40}|more|also|see more|watch more|most (?:read|popular"
    r"|viewed|shared|recent)|top stories|trending(?: now| stories)?|recommended(?: for you"
    r"| stories| reading)?|latest (?:news|stories|videos)|related (?:news|posts?|content"
    r"|reading)|further reading|popular (?:now|stories|posts))\W*$",
    re.IGNORECASE,
)
_CALL_TO_ACTION = re.compile(
    r"^\W*(?:advertisement|advertising|sponsored(?: content)?|anzeige|werbung|publicidad"
    r"|publicité|pubblicità|reklam|(?:\d+\s+)?comments?(?:\s+comments?)?"
    r"|(?:leave|post|add|write) a (?:comment|reply)\b.*|tell us what you think\b.*"
    r"|share (?:this|on)\b.*|click here\b.*|follow \S+(?: \S+)? on (?:instagram|facebook"
    r"|twitter|x|youtube|tiktok)\b.*|listen to \S+ live\b.*|filed under\b.*|tags?\s*:.*"
    r"|(?:see more|more|also|watch|read|related)\s*:\s*.*)$",
    re.IGNORECASE,
)
_CALL_TO_ACTION_WORDS = 25
_HEADLINE_WORDS = 18
_ERROR_TITLE = re.compile(
    r"\b(?:404|410|not found|cannot be found|no longer available|(?:does not|doesn['’]t) exist)\b",
    re.IGNORECASE,
)
_ERROR_TITLE_WORDS = 8
_WORD = re.compile(r"\w+")


def read_page(
    raw: bytes,
    *,
    fetched_url: str | None = None,
    seen_at: datetime | None = None,
    charset: str | None = None,
) -> ParsedArticle:
    """Read one page; ``fetched_url``, ``seen_at`` and ``charset`` are what a WARC record
    adds (its target, its date, its HTTP header's charset)."""
    decoded = decode_page(raw, charset)
    text = decoded.text
    if fetched_url is None and (saved := _SAVED_FROM.search(text, 0, 4096)):
        fetched_url = saved.group(1) or saved.group(2)
    from trafilatura.utils import load_html

    tree = load_html(text)
    if tree is None:
        raise NoArticleText("the page holds no HTML that can be read")
    meta = page_meta(tree, fetched_url)
    links = _link_texts(tree)
    lines, paragraphs, debris = _extracted(tree, links, meta.headline, fast=True)
    menu = None
    if _sentences(paragraphs) < MIN_SENTENCES:
        # The fast mode kept a menu or a list of links: the full mode, favouring recall.
        again = _extracted(load_html(text), links, meta.headline, fast=False)
        if _sentences(again[1]) > _sentences(paragraphs):
            lines, paragraphs, debris = again
        elif _short_lines(lines) >= MENU_LINES and _short_lines(again[0]) >= MENU_LINES:
            menu = (
                f"its text is a menu or a list of links, not an article: "
                f"{_short_lines(lines)} short lines and {_sentences(paragraphs)} sentences "
                "(trafilatura's default and recall modes alike)"
            )
    _check_article(lines, paragraphs, links, meta, menu)
    _check_teasers(tree, paragraphs, meta)
    if decoded.encoding in GUESSES and declared_encoding(raw, charset) is None:
        _check_script([meta.headline, *paragraphs], decoded.encoding)
    return ParsedArticle(
        headline=meta.headline,
        published=meta.published,
        outlet=meta.outlet,
        paragraphs=paragraphs,
        source_url=meta.url,
        url=article_url(meta.url),
        published_at=meta.published_at,
        seen_at=seen_at,
        encoding=decoded.encoding,
        replaced_bytes=decoded.replaced,
        debris=debris,
    )


def _extracted(
    tree: html.HtmlElement, links: frozenset[str], headline: str, *, fast: bool
) -> tuple[list[str], list[str], list[str]]:
    """trafilatura's text of the page (its lines), and the paragraphs and debris the rules
    make of it. ``fast=False``: the full mode, favouring recall (with its readability and
    jusText fallbacks)."""
    from trafilatura import extract

    extracted = extract(tree, include_comments=False, fast=fast, favor_recall=not fast)
    lines = text_blocks(extracted or "")
    paragraphs, debris = body_of_blocks(_without_page_furniture(lines, links))
    if len(paragraphs) > 1 and words(paragraphs[0]) == words(headline):
        paragraphs = paragraphs[1:]  # the headline printed again above the text
    return lines, paragraphs, debris


def _is_sentence(line: str) -> bool:
    """A line of a sentence's length: by its words, or by its characters in a script
    written without spaces (Japanese, Chinese, Thai)."""
    return len(line.split()) >= SENTENCE_WORDS or len(line) >= SENTENCE_CHARACTERS


def _sentences(paragraphs: list[str]) -> int:
    """Paragraphs of a sentence's length: what an article has and a menu has not."""
    return sum(map(_is_sentence, paragraphs))


def _short_lines(lines: list[str]) -> int:
    return sum(not _is_sentence(line) for line in lines)


def decode_page(raw: bytes, charset: str | None = None) -> Decoded:
    """The page's text in the encoding it declares (see the module docstring)."""
    declared = declared_encoding(raw, charset)
    if declared is None:
        return decode(raw)
    label, codec = declared
    if codec != "utf-8" and is_utf8_text(raw):
        raise MisdeclaredEncoding(
            f"the page declares {label} but is written in UTF-8 (read as {label}, its "
            "letters would come out garbled)"
        )
    try:
        return decode_as(raw, codec)
    except UnsupportedEncoding as error:
        raise MisdeclaredEncoding(
            f"the page declares {label} but is written in another encoding: {error.detail}"
        ) from None


def declared_encoding(raw: bytes, charset: str | None = None) -> tuple[str, str] | None:
    """(the label as written, the codec) the page declares, or None when it declares none."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name, name
    head_end = raw.find(b"</head", 0, _HEAD_BYTES)
    head = raw[: head_end if head_end > 0 else _HEAD_BYTES]
    found = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    for label in (charset, found.group(1).decode("ascii") if found else None):
        if label and (codec := _codec(label)) is not None:
            return label, codec
    return None


def _codec(label: str) -> str | None:
    name = label.strip().lower()
    if name in _WHATWG:
        return _WHATWG[name]
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "utf-8" if codec in ("utf-8", "utf-8-sig") else codec


def _link_texts(tree: html.HtmlElement) -> frozenset[str]:
    """The texts of the page's links, white space folded."""
    found = set()
    for anchor in tree.iter("a"):
        text = " ".join(anchor.text_content().split())
        if text:
            found.add(text)
    return frozenset(found)


def _is_link_line(line: str, links: frozenset[str]) -> bool:
    return line.removeprefix("- ") in links


def _without_page_furniture(lines: list[str], links: frozenset[str]) -> list[str]:
    """The extracted lines without other pages' teasers, menus, link lists and calls to
    action (see the module docstring)."""
    linked = [_is_link_line(line, links) for line in lines]
    kept: list[str] = []
    in_list = False
    for at, line in enumerate(lines):
        words = len(line.split())
        bare = line.strip("[]() ")
        if in_list and words <= _HEADLINE_WORDS and not line.endswith("."):
            continue  # a link under a heading such as "Don't miss"
        in_list = bool(_LIST_HEADING.match(line))
        if in_list:
            continue
        if linked[at] and (words >= LINK_LINE_WORDS or _in_run(linked, at)):
            continue
        if words <= _CALL_TO_ACTION_WORDS and (
            _CALL_TO_ACTION.match(bare) or (bare != line and is_debris(bare))
        ):
            continue
        kept.append(line)
    return kept


def _in_run(linked: list[bool], at: int) -> bool:
    """Whether line ``at`` is one of ``MENU_LINKS`` or more link lines in a row."""
    start = at
    while start > 0 and linked[start - 1] and at - start < MENU_LINKS:
        start -= 1
    end = at
    while end + 1 < len(linked) and linked[end + 1] and end - start + 1 < MENU_LINKS:
        end += 1
    return end - start + 1 >= MENU_LINKS


def teasers(lines: list[str], links: frozenset[str]) -> tuple[int, float]:
    """How many lines are the whole text of a link as long as a headline (another page's
    teaser), and the share of the extracted words they hold."""
    count = linked = total = 0
    for line in lines:
        words = len(_WORD.findall(line))
        total += words
        if LINK_LINE_WORDS <= len(line.split()) <= _HEADLINE_WORDS and _is_link_line(line, links):
            count += 1
            linked += words
    return count, (linked / total if total else 0.0)


def _check_article(
    lines: list[str],
    paragraphs: list[str],
    links: frozenset[str],
    meta: PageMeta,
    menu: str | None = None,
) -> None:
    """Refuse an index, an error page, a menu (``menu``: why the text is one) and a page
    without prose, in that order: the most telling reason first."""
    headline = meta.headline
    count, share = (0, 0.0) if meta.says_article else teasers(lines, links)
    if count >= INDEX_TEASERS and share >= INDEX_TEASER_SHARE:
        raise NoArticleText(
            f"an index page, not an article: {count} headlines of other pages, "
            f"{share:.0%} of its text"
        )
    words = sum(len(_WORD.findall(p)) for p in paragraphs)
    if (
        words < ERROR_PAGE_WORDS
        and len(headline.split()) <= _ERROR_TITLE_WORDS
        and _ERROR_TITLE.search(headline)
    ):
        raise NoArticleText(f"an error page, not an article: “{headline}”")
    if menu is not None:
        raise NoArticleText(menu)
    if not any(len(_WORD.findall(p)) >= 2 for p in paragraphs):
        raise NoArticleText("the page holds no article text")


_LINE_ELEMENTS = frozenset(
    {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "dt", "dd", "header", "section"}
)


def _teasers(tree: html.HtmlElement, headline: str) -> list[str]:
    """The text of each teaser of another page (see ``TEASER_SHARE``), white space folded."""
    anchors = []
    for anchor in tree.iter("a"):
        text = " ".join(anchor.text_content().split())
        if not LINK_LINE_WORDS <= len(text.split()) <= _HEADLINE_WORDS:
            continue
        if headline and words(text) == words(headline):
            continue  # the page's own headline, linked to itself
        line = anchor.getparent()
        while line is not None and line.tag not in _LINE_ELEMENTS:
            line = line.getparent()
        if line is not None and " ".join(line.text_content().split()) == text:
            anchors.append(anchor)
    if len(anchors) < INDEX_TEASERS:
        return []
    held: dict[html.HtmlElement, int] = {}
    for anchor in anchors:
        for element in anchor.iterancestors():
            held[element] = held.get(element, 0) + 1
    blocks = []
    for anchor in anchors:
        block = anchor
        for element in anchor.iterancestors():
            if held[element] > 1:
                break
            block = element
        blocks.append(" ".join(block.text_content().split()))
    return blocks


def _check_teasers(tree: html.HtmlElement, paragraphs: list[str], meta: PageMeta) -> None:
    """Refuse an index of headlines with their summaries (see ``TEASER_SHARE``)."""
    blocks = _teasers(tree, meta.headline)
    if not blocks:
        return
    total = sum(len(p.split()) for p in paragraphs)
    in_block: dict[int, int] = {}
    for paragraph in paragraphs:
        found = next((i for i, block in enumerate(blocks) if paragraph in block), None)
        if found is not None:
            in_block[found] = in_block.get(found, 0) + len(paragraph.split())
    held = sum(in_block.values())
    if (
        len(in_block) >= INDEX_TEASERS
        and held >= TEASER_SHARE * total
        and max(in_block.values()) < TEASER_LARGEST * total
    ):
        raise NoArticleText(
            f"an index page, not an article: its text is the summaries of {len(in_block)} "
            f"headlines of other pages, {held / total:.0%} of it"
        )


def _check_script(texts: list[str], guess: str) -> None:
    """Refuse a page whose guessed Western code page turns its letters into accented ones."""
    share = misread_share(texts)
    if share >= GUESSED_ACCENTED_SHARE:
        raise MisdeclaredEncoding(misread_reason(share, guess))
