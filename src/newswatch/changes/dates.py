"""Dates in a sentence: ``4 September 2016``, ``September 4``, ``May 2015``, ``4.9.2016``,
``2016-09-04``, in English and Turkish (``4 Eylül 2016``).

A date is read as ``YYYY-MM-DD`` (``????`` when the year is not written), so that the same
day written another way is one value. Scraped text glues words together
(``ThursdayJanuary 18 2007``): a capitalised month name right after a lower-case letter
starts a date too, or the same day in the next version reads as a year changed.
"""

from __future__ import annotations

import re

_MONTH_NAMES = [
    ("january", "jan", "ocak"),
    ("february", "feb", "şubat"),
    ("march", "mar", "mart"),
    ("april", "apr", "nisan"),
    ("may", "mayıs"),
    ("june", "jun", "haziran"),
    ("july", "jul", "temmuz"),
    ("august", "aug", "ağustos"),
    ("september", "sep", "sept", "eylül"),
    ("october", "oct", "ekim"),
    ("november", "nov", "kasım"),
    ("december", "dec", "aralık"),
]
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}
"""Month names and abbreviations, English and Turkish, folded: the month's number."""

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# A month written in full and capitalised may follow a lower-case letter: a glued word.
_GLUED = "|".join(n.capitalize() for names in _MONTH_NAMES for n in names if len(n) > 3)
_START = rf"(?:(?<![\w.])|(?<=[a-zçğıöşü])(?=(?-i:{_GLUED})))"
_DATE = re.compile(
    rf"{_START}(?:"
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})"
    r"|(?P<d4>\d{1,2})[./](?P<m4>\d{1,2})[./](?P<y4>\d{4})"
    r"|(?P<y5>\d{4})-(?P<m5>\d{2})-(?P<d5>\d{2})"
    r")(?![\w])",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_]{3,9}")
_GLUED_MONTH = re.compile(rf"(?<=[a-zçğıöşü])(?:{_GLUED})")
_NUMERIC_DATE = re.compile(r"\d[./-]\d")
_CAMEL = re.compile(r"[a-zçğıöşü][A-ZÇĞİÖŞÜ]")


def dates(sentence: str) -> list[tuple[int, int, str]]:
    """``(start, end, value)`` of each date, in order; overlapping readings keep the longest.

    Looked for only around a month's name or digits joined by . / -: the full pattern at
    every position of every sentence cost more than the rest of a diff.
    """
    windows = [
        (w.start() - 16, w.end() + 8)
        for w in _WORD.finditer(sentence)
        if w.group().casefold() in MONTHS
    ]
    if _CAMEL.search(sentence):  # "ThursdayJanuary": a month inside a word
        windows += [(w.start(), w.end() + 8) for w in _GLUED_MONTH.finditer(sentence)]
    windows += [(m.start() - 4, m.end() + 10) for m in _NUMERIC_DATE.finditer(sentence)]
    longest: dict[int, re.Match[str]] = {}
    for start, end in windows:
        # The window ends at a word's end: a cut "Sep|tember" must not read as "Sep".
        stop = _word_end(sentence, end)
        for match in _DATE.finditer(sentence, max(0, start), stop):
            kept = longest.get(match.start())
            if kept is None or kept.end() < match.end():
                longest[match.start()] = match
    found = []
    end = -1
    for start in sorted(longest):
        match = longest[start]
        value = _value(match)
        if value is not None and start >= end:
            found.append((start, match.end(), value))
            end = match.end()
    return found


def _word_end(text: str, index: int) -> int:
    index = min(len(text), index)
    while index < len(text) and (text[index].isalnum() or text[index] == "_"):
        index += 1
    return index


def _value(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    day = g["d1"] or g["d2"] or g["d4"] or g["d5"]
    month_name = g["m1"] or g["m2"] or g["m3"]
    year = g["y1"] or g["y2"] or g["y3"] or g["y4"] or g["y5"]
    month = (
        MONTHS.get(month_name.casefold().rstrip("."))
        if month_name
        else int(g["m4"] or g["m5"] or 0)
    )
    if not month or not 1 <= month <= 12 or (day and not 1 <= int(day) <= 31):
        return None
    if g["m3"] and g["m3"].casefold().rstrip(".") in ("may", "mar"):
        return None  # "may 2016"/"mar" are too often words, not months
    return f"{year or '????'}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}"
