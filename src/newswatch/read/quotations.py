"""Where the quotations of a paragraph are: the marks that open and close them.

A quotation is text between a matching pair of quote marks inside one paragraph: ``“ ”``,
``„ “``, ``" "``, ``« »``, ``‘ ’``, and ``' '`` in headlines (``'RHETORIC'``). Which way a
straight mark faces is read from its neighbours: an opening mark follows a space (or the
start, a bracket, a dash) and precedes a word; a closing one follows a word. So narration
between two quotations is never taken for one, whatever an edit removed, and neither is a
markup attribute (``href="…"``: a mark after ``=`` opens nothing). Text as people type
it has marks with spaces inside (``" huge "``), after a space (``next , "``), apostrophes
with spaces (``Designers ' Competition``) and stray marks: a spaced mark does whichever
is due, an apostrophe is never a mark in the body, and a stray mark makes the paragraph's
other pairings uncertain. The one exception to "inside one paragraph" is the newsroom
convention for a quotation that runs over several paragraphs: the first paragraph leaves it
open and the next one opens again; its text up to the paragraph's end is a quotation too.

Read here, where the text is read, because two steps need them: a diff says which
quotations an edit changed (``changes.quotes``, which claims only certain ones), and
matching counts the quotations two texts share (``match.evidence``).
"""

from __future__ import annotations

import re

# Opening mark -> the marks that close it (in typed text "…” and “…" close each other).
_CLOSERS = {"“": '”“"', "„": "“”", "«": "»", "‘": "’", '"': '"”', "'": "'’"}
_OPEN_BEFORE = set(" \t([{—–-:/") | {""}
_CLOSE_AFTER = set(" \t.,;:!?)]}—–-…/'’\"”»") | {""}
_MARKS = re.compile('[“”„«»‘’"]')
_HEADLINE_MARKS = re.compile("[“”„«»‘’\"']")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[A-Za-z/!][^<>]*>", re.IGNORECASE | re.DOTALL)


def quotation_spans(text: str, headline: bool, following: str = "") -> list[tuple[int, int, bool]]:
    """(start, end, certain) of each quotation's text, between its marks.

    Marks are paired in order: a clear opening mark opens, a clear closing mark closes, and
    a mark with spaces (or a space and punctuation) on both sides does whichever is due, as
    in ``" huge "`` and ``next , "``. A closing mark with nothing open, or an opening mark
    while one is open, is a stray mark: the paragraph's pairing is then *uncertain*, and
    only the quotations between a clear opening and a clear closing mark stay certain.
    """
    masked = _TAG.sub(lambda m: " " * len(m.group()), text) if "<" in text else text
    spans: list[tuple[int, int, bool]] = []
    opened: tuple[str, int, bool] | None = None  # the mark, where, and whether it was clear
    uncertain = False
    for found in (_HEADLINE_MARKS if headline else _MARKS).finditer(masked):
        i, mark = found.start(), found.group()
        role = _role(mark, masked, i, headline)
        if role is None:
            continue
        if opened is None:
            if role == "close":
                uncertain = True  # a closing mark with nothing open
            else:
                opened = (mark, i, role == "open")
            continue
        start_mark, start, clear = opened
        if mark in _CLOSERS[start_mark] and role != "open":
            if i > start + 1:
                spans.append((start + 1, i, clear and role == "close"))
            opened = None
        elif role == "open" and mark == start_mark:
            # An opening mark while one is open. After a full stop it is the next paragraph
            # of a long quotation, joined into this one by the scraper ('...defence. "He
            # also'): the quotation before ends there. Otherwise the mark before was stray.
            if clear and masked[start + 1 : i].rstrip()[-1:] in (".", "!", "?", "…"):
                spans.append((start + 1, i, True))
            else:
                uncertain = True
            opened = (mark, i, True)
        # Other marks inside a quotation are its text ("‘" in "“").
    if opened and following.lstrip()[:1] in _CLOSERS:
        # Continued in the next paragraph: the convention for a long quotation (opened by a
        # clear mark: a spaced one left open is more likely stray).
        spans.append((opened[1] + 1, len(text), opened[2]))
        uncertain = uncertain or not opened[2]
    elif opened:
        uncertain = True
    return [(start, end, certain or not uncertain) for start, end, certain in spans]


def _role(mark: str, text: str, i: int, headline: bool) -> str | None:
    """Whether the mark at ``text[i]`` opens, closes, may do "either" (words on both sides
    beyond the spaces around it), or is no quote mark at all (an apostrophe, a markup
    attribute's ``="``)."""
    before = text[i - 1] if i else ""
    after = text[i + 1 : i + 2]
    if mark in "„«":
        return "open"
    if mark in "”»":
        return "close"
    spaced_after = after == "" or after.isspace()
    if mark == "“":  # opens; also closes „, or a quotation typed with “ at both ends
        return "either" if spaced_after or after in _CLOSE_AFTER else "open"
    if mark == "‘":
        return "open" if after and not spaced_after else None
    spaced_before = before in _OPEN_BEFORE or before.isspace()
    closing_after = spaced_after or after in _CLOSE_AFTER
    if mark == "’" or (mark == "'" and headline):
        # An apostrophe sits between two letters (Syria's, Türkiye'nin) or stands alone.
        if spaced_before:
            return "open" if mark == "'" and not closing_after else None
        return "close" if closing_after else None
    if before == "=":
        return None  # a markup attribute's value
    if spaced_before and closing_after:
        # Spaces around it: punctuation or the end after it closes ("next , "", a stray
        # 'resumed " . A'), a colon or the start before it opens (': " It is').
        following = text[i + 1 :].lstrip()[:1]
        preceding = text[:i].rstrip()[-1:]
        if following == "" or following in ".,;:!?)]}…":
            return "close"
        return "open" if preceding in ("", *"([{:—–-") else "either"
    if spaced_before:
        return "open"
    return "close" if closing_after else None
