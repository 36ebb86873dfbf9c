"""Where the quotations of a paragraph are: the marks that open and close them.

A quotation is text between a matching pair of quote marks inside one paragraph: ``“ ”``,
``„ “``, ``" "``, ``« »``, ``‘ ’``, and ``' '`` in headlines (``'RHETORIC'``). Which way a
straight mark faces is read from its neighbours: an opening mark follows a space (or the
start, a bracket, a dash) and precedes a word; a closing one follows a word. So narration
between two quotations is never taken for one, and neither is a markup attribute
(``href="…"``: a mark after ``=`` opens nothing). A quotation that the paragraph leaves open
while the next paragraph opens another is the convention for a long quotation, and counts.

Read here, where the text is read, because two steps need them: a diff says which
quotations an edit changed (``changes.quotes``), and matching counts the quotations two
texts share (``match.evidence``).
"""

from __future__ import annotations

import re

# Opening mark -> the marks that close it.
_PAIRS = {"“": "”", "„": "“”", "«": "»", "‘": "’", '"': '"'}
_HEADLINE_PAIRS = {**_PAIRS, "'": "'"}
_OPEN_BEFORE = set(" \t([{—–-:/") | {""}
_CLOSE_AFTER = set(" \t.,;:!?)]}—–-…/'’\"”»") | {""}
_MARKS = re.compile('[“”„«»‘’"]')
_HEADLINE_MARKS = re.compile("[“”„«»‘’\"']")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[A-Za-z/!][^<>]*>", re.IGNORECASE | re.DOTALL)


def quotation_spans(text: str, headline: bool, following: str = "") -> list[tuple[int, int]]:
    """(start, end) of each quotation's text, between its marks."""
    masked = _TAG.sub(lambda m: " " * len(m.group()), text) if "<" in text else text
    pairs = _HEADLINE_PAIRS if headline else _PAIRS
    spans: list[tuple[int, int]] = []
    opened: tuple[str, int] | None = None
    for found in (_HEADLINE_MARKS if headline else _MARKS).finditer(masked):
        i, mark = found.start(), found.group()
        before = masked[i - 1] if i else ""
        after = masked[i + 1] if i + 1 < len(masked) else ""
        if opened and mark in pairs[opened[0]] and _closes(mark, before, after):
            if i > opened[1] + 1:
                spans.append((opened[1] + 1, i))
            opened = None
        elif (
            mark in pairs and _opens(mark, before, after) and (opened is None or opened[0] == mark)
        ):
            # The same mark opening again. After a full stop it is the next paragraph of a
            # long quotation, joined into this one by the scraper ('...defence. "He also'):
            # the quotation before ends there. Otherwise the one before was never closed and
            # was no quotation. Other marks inside a quotation are its text ("‘" in "“").
            if opened and masked[opened[1] + 1 : i].rstrip()[-1:] in (".", "!", "?", "…"):
                spans.append((opened[1] + 1, i))
            opened = (mark, i)
    if opened and following.lstrip()[:1] in _PAIRS:
        # Continued in the next paragraph: the convention for a long quotation.
        spans.append((opened[1] + 1, len(text)))
    return spans


def _opens(mark: str, before: str, after: str) -> bool:
    if mark in "“„«‘":
        return mark != "“" or not after.isspace()
    # Straight marks face the word they touch; after "=" it is an attribute value.
    return before != "=" and (before in _OPEN_BEFORE or before.isspace()) and bool(after.strip())


def _closes(mark: str, before: str, after: str) -> bool:
    if mark in "”»":
        return True
    if mark in "’'":
        # An apostrophe sits between two letters (Syria's, Türkiye'nin).
        return before.strip() != "" and (after in _CLOSE_AFTER or after.isspace())
    if mark == "“":
        return True  # closes „
    return before.strip() != "" and (after in _CLOSE_AFTER or after.isspace())
