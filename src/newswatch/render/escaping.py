"""Untrusted text made safe wherever newswatch shows it: shown as written, never a link or
markup. The one place that escapes: every page, picture, artifact, table and log line goes
through it.

**HTML and SVG** (the run report's ``run-N.html``, a story's page and its picture):
:func:`html_text` escapes the five markup characters and replaces the characters XML
forbids (C0 controls, lone surrogates), so a page and an SVG document stay well formed.

**The Prefect UIs.** Article text (and file names) can hold ``<script>``, Markdown links,
raw HTML and bare URLs.
Both Prefect UIs render artifact Markdown *and* artifact descriptions as Markdown; the
default UI also renders table-artifact cells as Markdown, the V2 UI shows them as plain text;
both turn URLs in log messages into links.

Two layers:

- **Markdown syntax**: every ASCII punctuation character gets a backslash (CommonMark's
  escape), so nothing opens a link, an image, emphasis, code, a table cell or raw HTML.
- **Autolinks**: the V2 UI (remark-gfm) links URLs *after* escapes are resolved, in the
  text itself, and so do linkify-style renderers (the default UI does it in logs). So the
  characters an autolinker keys on are broken with U+2060 WORD JOINER, which no renderer
  treats as part of a scheme, a ``www.`` or a domain: after ``:`` before ``/``, between
  ``//``, on both sides of ``@``, after ``www`` and after every ``.`` that is followed by a
  letter (a domain's dots: ``bbc.⁠co.⁠uk``; ``3.2`` stays as it is).

Why a word joiner and not a lookalike (``․``, ``∶``) or defanging (``evil[.]com``): it is
invisible and keeps the words together, so a reader sees exactly what the article said,
and it also breaks ``U.S.``-style dots without changing how they look. The cost: text copied
from the UI carries the invisible joiners, so a copied URL does not open as it is (which is
also the point) and a copied quotation may need them removed (``tr -d '\\u2060'``). The
HTML report and the terminal show the text without them.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

JOINER = "\u2060"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_AUTOLINK_KEYS = re.compile(
    r"(?<=:)(?=/)|(?<=/)(?=/)|(?=@)|(?<=@)|(?<=www)(?=\.)|(?<=\.)(?=[^\W\d_])", re.IGNORECASE
)
# Characters that open Markdown constructs in a table cell of the default UI; "_" between
# two letters or digits (file_name_1.txt) opens nothing and stays readable.
_CELL_ACTIVE = re.compile(r"[\\`*\[\]<>!&~|]|(?<![^\W_])_|_(?![^\W_])|^[#>+=-]|(?<=^\d)[.)]")


def defang(text: str) -> str:
    """Text in which no autolinker finds a URL, a ``www.`` host, a domain or an e-mail."""
    if "." not in text and "/" not in text and "@" not in text:
        return text  # every autolink key is at one of these (most headlines have none)
    return _AUTOLINK_KEYS.sub(JOINER, text)


def md_escape(text: str) -> str:
    """Untrusted text -> Markdown that renders as that text and nothing else, in both UIs.

    Line breaks become spaces; every ASCII punctuation character is backslash-escaped; the
    places an autolinker keys on get a word joiner (see the module docstring).
    """
    flat = " ".join(defang(text).split())
    return _ASCII_PUNCTUATION.sub(lambda m: "\\" + m.group(), flat)


def cell_escape(text: str) -> str:
    """A table-artifact cell: plain text in the V2 UI, Markdown in the default UI.

    Only what could open a construct is escaped, so an ordinary path reads the same in
    both; a hostile one shows some backslashes in the V2 UI and stays text in both.
    """
    flat = " ".join(defang(text).split())
    return _CELL_ACTIVE.sub(lambda m: "\\" + m.group(), flat)


def log_safe(text: str) -> str:
    """A log message: plain text in both UIs, which link its URLs."""
    return defang(" ".join(text.split()))


def html_text(text: str | None) -> str:
    """Untrusted text as HTML or SVG (XML) character data or an attribute value: the five
    markup characters escaped, and any character XML forbids shown as U+FFFD."""
    if not text:
        return ""
    return html.escape(_XML_INVALID.sub("\ufffd", text), quote=True)


_LABEL_ACTIVE = re.compile(r"[\s\\`*~\[\]<>]|(?<![^\W_])_|_(?![^\W_])")


def url_label(url: str) -> str:
    """An article's URL as the text of the link to it (:func:`safe_href` its target): as
    written, without backslash escapes, which the default UI shows in a link's text as they
    are. What Markdown would read in it (white space, brackets, backticks, ``*``, ``~``, a
    ``_`` beside punctuation) is percent-encoded instead, as an address may write any
    character; its autolink keys get word joiners, as all text does."""
    return defang(
        _LABEL_ACTIVE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), url.strip())
    )


_URL_SYNTAX = ":/?#@!$&*+,;=%-._~"
"""What an article's URL may keep as it is in a link; anything else (quotes, brackets,
angle brackets, spaces, backslashes, controls) is percent-encoded."""


def safe_href(url: str | None) -> str | None:
    """An article's URL as the target of a link we make ourselves (its page at its site), or
    None when it is not an http(s) URL (``javascript:``, ``data:``): nothing in it can close
    the link, open markup or run."""
    text = (url or "").strip()
    scheme, sep, rest = text.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest:
        return None
    return f"{scheme.lower()}://" + quote(rest, safe=_URL_SYNTAX)
