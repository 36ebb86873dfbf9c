"""Quote marks, and where the quotations of a paragraph are.

The one table of quote marks (:data:`CLOSERS`): every module that reads marks (sentence
splitting, quotations, the claim verifier, a number's noun, matching's evidence, the
fingerprint's folding) takes them from here, so a mark one of them knows is a mark to all
(``tests/test_quote_marks.py``).

A quotation is text between a matching pair of quote marks inside one paragraph: ``“ ”``,
``„ “``, ``" "``, ``« »``, ``‹ ›``, ``‘ ’``, ``‚ ‘``, and ``' '`` in headlines
(``'RHETORIC'``). Which way a straight mark faces is read from its neighbours: an opening
mark follows a space (or the start, a bracket, a dash) and precedes a word; a closing one
follows a word. So narration between two quotations is never taken for one, whatever an
edit removed, and neither is a markup attribute (``href="…"``: a mark after ``=`` opens
nothing). Text as people type it has marks with spaces inside (``" huge "``), after a space
(``next , "``), apostrophes with spaces (``Designers ' Competition``) and stray marks.

Marks are paired over the whole paragraph at once, as the reading that needs the fewest
stray marks (a shortest path over "outside" and "inside a quotation", one step per mark):
a spaced mark does whichever is due, an apostrophe is never a mark in the body, and a mark
that cannot open or close where it stands is skipped without shifting the pairs after it.
A stray mark that might have shifted them (a closing mark after a word with nothing open,
an opening mark while one is open, a mark left open) makes the paragraph's other pairings
*uncertain*. The one exception to "inside one paragraph" is the newsroom convention for a
quotation that runs over several paragraphs: the first paragraph leaves it open and the
next one opens again; its text up to the paragraph's end is a quotation too.

Read here, where the text is read, because two steps need them: a diff says which
quotations an edit changed (``changes.quotes``, which claims only certain ones), and
matching counts the quotations two texts share (``match.evidence``).
"""

from __future__ import annotations

import re
from typing import Literal

CLOSERS: dict[str, str] = {
    "“": '”“"',  # English “…”; typed “…“, or closed by a straight mark
    "„": "“”",  # German, Polish, Turkish „…“ and „…”
    "‟": "”",
    "«": "»",  # French, Turkish
    "‹": "›",
    '"': '"”',
    "‘": "’",  # single marks, British and Turkish headlines
    "‚": "‘’",
    "‛": "’",
    "'": "'’",
}
"""Each mark that opens a quotation, and the marks that close it."""

OPENING_MARKS = "".join(CLOSERS)
CLOSING_MARKS = "".join(dict.fromkeys("".join(CLOSERS.values())))
QUOTE_MARKS = "".join(dict.fromkeys(OPENING_MARKS + CLOSING_MARKS))
"""Every quote mark, straight and typographic, double and single."""
APOSTROPHES = "'’"
"""Marks that are also apostrophes (``Syria's``, ``Türkiye’nin``): a word's letter, not a
quotation's edge, unless their place says otherwise."""
DOUBLE_MARKS = "".join(m for m in QUOTE_MARKS if m in '"“”„‟«»')
SINGLE_MARKS = "".join(m for m in QUOTE_MARKS if m not in DOUBLE_MARKS)
BODY_MARKS = QUOTE_MARKS.replace("'", "")
"""The marks a body's quotations are read from: a straight ``'`` there is an apostrophe."""
NOT_APOSTROPHES = "".join(m for m in QUOTE_MARKS if m not in APOSTROPHES)
"""Marks that always stand at a quotation's edge: where narration stops."""

_OPEN_BEFORE = set(" \t([{—–-:/") | {""}
_CLOSE_AFTER = set(" \t.,;:!?)]}—–-…/") | set(QUOTE_MARKS) | {""}
_MARKS = re.compile(f"[{re.escape(BODY_MARKS)}]")
_HEADLINE_MARKS = re.compile(f"[{re.escape(QUOTE_MARKS)}]")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[A-Za-z/!][^<>]*>", re.IGNORECASE | re.DOTALL)

Role = Literal["open", "close", "either", "close_if_open"]

_STRAY = 1.0
"""The cost of a mark read as no mark where it could be one: a reading with fewer stray
marks is the likelier one."""
_APOSTROPHE = 0.25
"""The cost of reading ``s’`` before a word as a plural's apostrophe inside a single-marked
quotation (``‘Young Designers’ Competition’``) rather than its end."""
_HARMLESS = 0.5
"""The cost of skipping a mark that can only close, standing after a space, when nothing is
open (``resumed " . A``): it could pair with nothing, so it shifts nothing."""

# A reading: its cost, the spans found (start, end, clear), and whether a stray that may have
# shifted a pairing was skipped.
_Path = tuple[float, tuple[tuple[int, int, bool], ...], bool]
# The state: nothing open, or the mark that opened, where, and whether it opened clearly.
_State = tuple[str, int, bool] | None


def quotation_spans(text: str, headline: bool, following: str = "") -> list[tuple[int, int, bool]]:
    """(start, end, certain) of each quotation's text, between its marks.

    A clear opening mark opens, a clear closing mark closes, and a mark with spaces (or a
    space and punctuation) on both sides does whichever is due, as in ``" huge "`` and
    ``next , "``. Of the readings of the paragraph's marks, the one with the fewest stray
    marks is taken (ties: the one that pairs each mark with the first closer). When it
    skips a stray that may have shifted a pairing, only the quotations between a clear
    opening and a clear closing mark stay certain.
    """
    masked = _TAG.sub(lambda m: " " * len(m.group()), text) if "<" in text else text
    found = [
        (m.start(), m.group(), role)
        for m in (_HEADLINE_MARKS if headline else _MARKS).finditer(masked)
        if (role := _role(m.group(), masked, m.start(), headline)) is not None
    ]
    if not found:
        return []
    clean = _clean(found, masked)
    if clean is not None:
        return clean
    paths: dict[tuple[str, bool] | None, tuple[_Path, _State]] = {None: ((0.0, (), False), None)}
    for i, mark, role in found:
        steps: dict[tuple[str, bool] | None, tuple[_Path, _State]] = {}
        for path, state in paths.values():
            for step in _steps(masked, i, mark, role, path, state):
                key = None if step[1] is None else (step[1][0], step[1][2])
                if key not in steps or step[0][0] < steps[key][0][0]:
                    steps[key] = step
        paths = steps
    ends = [_end(path, state, len(text), following) for path, state in paths.values()]
    _, spans, uncertain = min(ends, key=lambda path: path[0])
    return [(start, end, clear or not uncertain) for start, end, clear in spans]


def _clean(found: list[tuple[int, str, Role]], text: str) -> list[tuple[int, int, bool]] | None:
    """The pairs of a paragraph whose marks pair with no stray and no doubt, read in one
    pass (most paragraphs); None when the shortest path must weigh the readings."""
    spans: list[tuple[int, int, bool]] = []
    opened: tuple[str, int] | None = None
    for i, mark, role in found:
        if opened is None:
            if role not in ("open", "either"):
                return None
            opened = (mark, i)
        elif mark in CLOSERS[opened[0]] and role != "open":
            if mark in APOSTROPHES and _plural_apostrophe(text, i):
                return None
            if i > opened[1] + 1:
                spans.append((opened[1] + 1, i, True))
            opened = None
        elif mark == opened[0] and role == "open":
            return None
    return spans if opened is None else None


def _steps(
    text: str, i: int, mark: str, role: Role, path: _Path, state: _State
) -> list[tuple[_Path, _State]]:
    """The readings of one mark from one state: (the path so far, the state after)."""
    cost, spans, uncertain = path
    skip_stray = ((cost + _STRAY, spans, True), state)
    if state is None:
        if role == "close_if_open":  # it could pair with nothing: no shift, no doubt
            return [((cost + _HARMLESS, spans, uncertain), None)]
        if role == "close":  # a closing mark after a word: its opening mark was missed
            return [skip_stray]
        return [((cost, spans, uncertain), (mark, i, role == "open")), skip_stray]
    start_mark, start, clear = state
    if mark in CLOSERS[start_mark] and role != "open":
        span = (start + 1, i, clear and role == "close")
        closed = ((cost, (*spans, span) if i > start + 1 else spans, uncertain), None)
        if mark in APOSTROPHES and _plural_apostrophe(text, i):
            return [closed, ((cost + _APOSTROPHE, spans, uncertain), state)]
        return [closed, skip_stray]
    if mark == start_mark and role == "open":
        # An opening mark while one is open. After a full stop it is the next paragraph
        # of a long quotation, joined into this one by the scraper ('...defence. "He
        # also'): the quotation before ends there. Otherwise the mark before was stray.
        if clear and text[start + 1 : i].rstrip()[-1:] in (".", "!", "?", "…"):
            return [((cost, (*spans, (start + 1, i, True)), uncertain), (mark, i, True))]
        return [((cost + _STRAY, spans, True), (mark, i, True)), skip_stray]
    return [((cost, spans, uncertain), state)]  # another kind of mark is the quotation's text


def _end(path: _Path, state: _State, length: int, following: str) -> _Path:
    """A reading at the paragraph's end: a quotation left open is continued in the next
    paragraph (the convention for a long quotation, opened by a clear mark: a spaced one
    left open is more likely stray), or a stray."""
    cost, spans, uncertain = path
    if state is None:
        return path
    _, start, clear = state
    if following.lstrip()[:1] in CLOSERS:
        return (cost, (*spans, (start + 1, length, clear)), uncertain or not clear)
    return (cost + _STRAY, spans, True)


def _plural_apostrophe(text: str, i: int) -> bool:
    """``Designers’ Competition``: an apostrophe after a plural's ``s``, a word following."""
    return text[i - 1 : i] in ("s", "S") and bool(re.match(r"\s+\w", text[i + 1 : i + 4]))


def _role(mark: str, text: str, i: int, headline: bool) -> Role | None:
    """Whether the mark at ``text[i]`` opens, closes, may do "either" (words on both sides
    beyond the spaces around it), closes only a quotation already open and is otherwise
    no mark ("close_if_open"), or is no quote mark at all (an apostrophe, a markup
    attribute's ``="``)."""
    before = text[i - 1] if i else ""
    after = text[i + 1 : i + 2]
    if mark in "„«‹‚‟‛":
        return "open"
    if mark in "”»›":
        return "close"
    spaced_after = after == "" or after.isspace()
    if mark == "“":  # opens; also closes „, or a quotation typed with “ at both ends
        return "either" if spaced_after or after in _CLOSE_AFTER else "open"
    if mark == "‘":  # opens; after a word it closes a ‚
        if after and not spaced_after:
            return "open"
        return "close_if_open" if before.isalnum() else None
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
        # Spaces around it: punctuation or the end after it closes what is open ("next ,
        # "", and a stray 'resumed " . A' closes nothing), a colon or the start before it
        # opens (': " It is').
        following = text[i + 1 :].lstrip()[:1]
        preceding = text[:i].rstrip()[-1:]
        if following == "" or following in ".,;:!?)]}…":
            return "close_if_open"
        return "open" if preceding in ("", *"([{:—–-") else "either"
    if spaced_before:
        return "open"
    return "close" if closing_after else None
