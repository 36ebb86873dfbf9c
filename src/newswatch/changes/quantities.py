"""Quantities in a sentence: each number read as a value, a kind and the noun it counts.

A number is read as a *quantity*: its value, what kind of thing it is (a count, money, a
percentage, a year, a date) and the noun it counts, so that other notations of one
quantity (``1.4m`` = ``1.4 million`` = ``1,400,000``) are equal, and names like ``BBC2``
are no quantity at all.

Locale: Turkish writes ``2.000`` for two thousand and ``1,5`` for one and a half, and puts
the noun after the number as English does (``25 kişi öldü``); which texts are Turkish is
``read.text.is_turkish``'s call.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Literal

from newswatch.read.text import words

QuantityKind = Literal["count", "money", "percent", "ordinal", "year", "date", "time", "range"]


# --- reading quantities -------------------------------------------------------------------

_MONTHS = {
    **{
        m: i
        for i, names in enumerate(
            [
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
            ],
            start=1,
        )
        for m in names
    }
}
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    rf"(?<![\w.])(?:"
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{{4}}))?"
    rf"|(?P<m3>{_MONTH})\s+(?P<y3>\d{{4}})"
    r"|(?P<d4>\d{1,2})[./](?P<m4>\d{1,2})[./](?P<y4>\d{4})"
    r"|(?P<y5>\d{4})-(?P<m5>\d{2})-(?P<d5>\d{2})"
    r")(?![\w])",
    re.IGNORECASE,
)
_CURRENCY = {"£": "GBP", "$": "USD", "us$": "USD", "€": "EUR", "¥": "JPY", "₺": "TRY", "tl": "TRY"}
_CURRENCY_WORDS = {
    "pounds": "GBP",
    "pound": "GBP",
    "sterling": "GBP",
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "lira": "TRY",
    "liras": "TRY",
    "tl": "TRY",
    "yen": "JPY",
}
_MULTIPLIERS = {
    "k": 3,
    "thousand": 3,
    "bin": 3,
    "m": 6,
    "mn": 6,
    "million": 6,
    "millions": 6,
    "milyon": 6,
    "bn": 9,
    "billion": 9,
    "billions": 9,
    "milyar": 9,
    "tn": 12,
    "trn": 12,
    "trillion": 12,
    "trilyon": 12,
}
# A number: optional currency or Turkish per-cent sign in front, digits with separators,
# a glued suffix (multiplier, %, ordinal, decade, am/pm, a unit) and then, spaced, a
# multiplier or currency or per-cent word. Not preceded by a letter or digit: "BBC2", "G8"
# and "F-16" are names, not quantities.
_NUMBER = re.compile(
    r"(?<![\w.,])(?<![A-Za-z]-)"
    r"(?:(?P<cur>US\$|[£$€¥₺])\s?)?(?P<pre>%)?"
    r"(?P<digits>\d+(?:[.,]\d+)*)"
    r"(?P<suffix>bn|mn|trn|tn|k|m|%|st|nd|rd|th|s|am|pm|km|kg|mph|cm|mm|ft|lb|mw|gw|gb|mb|tb)?"
    r"(?=$|[^\w]|'|’)"
    r"(?:(?P<space>\s)(?P<word>thousand|million|millions|billion|billions|trillion|bin|milyon|"
    r"milyar|trilyon|per\s?cent|percent|pounds?|sterling|dollars?|euros?|liras?|TL|yen)\b)?",
    re.IGNORECASE,
)
# A score or a range, "41-8", "2004-05": one quantity, not two numbers and a dash.
_RANGE = re.compile(r"(?<![\w.,-])\d{1,4}[-–]\d{1,4}(?![-\w.,]?\d)(?![-\w])")
_TIME = re.compile(r"(?<![\w.:])\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?(?![\w:])", re.IGNORECASE)
_YEAR_BEFORE = {
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "to",
    "of",
    "during",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "year",
    "around",
    "circa",
    "between",
    "and",
    "spring",
    "summer",
    "autumn",
    "winter",
}
# Function words, English and Turkish: the noun a number counts ends before them.
_STOP_TEXT = (
    "a an the and or but of in on at to for from by with as than that which who whom when "
    "while since after before is was were are be been being has have had will would could "
    "should may might can said says say told this these those its their his her it they "
    "he she we you i our your my there here not no so if then also about over into out up "
    "down per each more less least most only just even still again ve ile bir bu şu o da "
    "de ki için gibi olarak ise daha en çok ya veya ama fakat"
)
_STOP = frozenset(_STOP_TEXT.split())
_NOUN_BEFORE = {
    "of",
    "was",
    "is",
    "were",
    "are",
    "at",
    "to",
    "reached",
    "totalled",
    "totaled",
    "stood",
    "hit",
    "rose",
    "fell",
    "cost",
    "costs",
    "worth",
}
_NUMBER_WORDS_TEXT = (
    "one two three four five six seven eight nine ten eleven twelve dozen dozens hundred "
    "hundreds thousand thousands million millions some several many few"
)
_NUMBER_WORDS = frozenset(_NUMBER_WORDS_TEXT.split())
_CLAUSE_END = re.compile(r"[.,;:!?()\[\]\"“”«»]|\s[-–—]\s")


class Quantity:
    """One number as written in a sentence, with what it means. The words around it are
    read only when asked: most quantities of an edit cancel out and never need them."""

    def __init__(self, sentence: str, start: int, end: int, kind: QuantityKind, value: str) -> None:
        self._sentence = sentence
        written = sentence[start:end].strip()
        self.text = written.rstrip(".") if kind == "date" else written
        self.kind = kind
        self.value = value
        """Normalised value: equal for equal quantities in any notation."""
        self.start, self.end = start, end
        self.key = (kind, value)

    @cached_property
    def noun(self) -> str:
        if self.kind in ("date", "year", "time", "range"):
            return ""
        return _noun(self._sentence, self.start, self.end)

    @cached_property
    def before(self) -> str:
        return _words_before(self._sentence, self.start, 3)

    @cached_property
    def around(self) -> tuple[str, ...]:
        """Words near the number (numbers left out): where it stands in the sentence."""
        return _around(self._sentence, self.start, self.end)


def quantities(sentence: str, turkish: bool = False) -> list[Quantity]:
    """Every quantity in a sentence, in order: dates first, then times, then numbers."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, QuantityKind, str]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    for match in _dates(sentence):
        value = _date_value(match)
        if value is not None and free(*match.span()):
            taken.append(match.span())
            found.append((match.start(), match.end(), "date", value))
    for match in _TIME.finditer(sentence):
        if free(*match.span()) and _time_value(match.group()) is not None:
            taken.append(match.span())
            found.append((match.start(), match.end(), "time", _time_value(match.group()) or ""))
    for match in _RANGE.finditer(sentence):
        if free(*match.span()):
            taken.append(match.span())
            found.append((match.start(), match.end(), "range", match.group().replace("–", "-")))
    for match in _NUMBER.finditer(sentence):
        if not free(*match.span()) or _in_name(sentence, match.start()):
            continue
        read = _read_number(match, sentence, turkish)
        if read is not None:
            kind, value, end = read
            taken.append((match.start(), end))
            found.append((match.start(), end, kind, value))
    found.sort()
    return [Quantity(sentence, start, end, kind, value) for start, end, kind, value in found]


_NAME_BEFORE = re.compile(r"(?:^|[\s(])([A-Z]\w*)\s$")


def _in_name(sentence: str, start: int) -> bool:
    """'Radio 4', 'PlayStation 2', 'No 10', 'Formula 1': a capitalised word (not the
    sentence's first, not a month) right before a bare number makes the number a name."""
    match = _NAME_BEFORE.search(sentence[max(0, start - 30) : start])
    if not match:
        return False
    word = match.group(1)
    if word.casefold() in _MONTHS or word.casefold() in _YEAR_BEFORE:
        return False
    before_word = sentence[: start - len(word) - 1].rstrip()
    if not before_word or before_word[-1] in '.!?:;"“«(':
        return False  # the sentence's first word: "Some 25 people", "Nearly 300 died"
    following = sentence[start:].split(None, 1)
    rest = following[1] if len(following) > 1 else ""
    # "Italy 38" is a name and a score; "Italy 38 people" counts people.
    return not re.match(r"[a-zçğıöşü]", rest) or following[0][-1:] in ",.;:"


_WORD = re.compile(r"[^\W\d_]{3,9}")
_NUMERIC_DATE = re.compile(r"\d[./-]\d")


def _dates(sentence: str) -> list[re.Match[str]]:
    """Dates, looked for only around a month's name or digits joined by . / -: the full
    pattern at every position of every sentence cost more than the rest of a diff."""
    windows = [
        (w.start() - 16, w.end() + 8)
        for w in _WORD.finditer(sentence)
        if w.group().casefold() in _MONTHS
    ]
    windows += [(m.start() - 4, m.end() + 10) for m in _NUMERIC_DATE.finditer(sentence)]
    longest: dict[int, re.Match[str]] = {}
    for start, end in windows:
        # The window ends at a word's end: a cut "Sep|tember" must not read as "Sep".
        stop = _word_end(sentence, end)
        for match in _DATE.finditer(sentence, max(0, start), stop):
            kept = longest.get(match.start())
            if kept is None or kept.end() < match.end():
                longest[match.start()] = match
    return [longest[start] for start in sorted(longest)]


def _word_end(text: str, index: int) -> int:
    index = min(len(text), index)
    while index < len(text) and (text[index].isalnum() or text[index] == "_"):
        index += 1
    return index


def _date_value(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    day = g["d1"] or g["d2"] or g["d4"] or g["d5"]
    month_name = g["m1"] or g["m2"] or g["m3"]
    year = g["y1"] or g["y2"] or g["y3"] or g["y4"] or g["y5"]
    month = (
        _MONTHS.get(month_name.casefold().rstrip("."))
        if month_name
        else int(g["m4"] or g["m5"] or 0)
    )
    if not month or not 1 <= month <= 12 or (day and not 1 <= int(day) <= 31):
        return None
    if g["m3"] and g["m3"].casefold().rstrip(".") in ("may", "mar"):
        return None  # "may 2016"/"mar" are too often words, not months
    return f"{year or '????'}-{month:02d}-{int(day):02d}" if day else f"{year}-{month:02d}"


def _time_value(text: str) -> str | None:
    digits = re.match(r"(\d{1,2})[:.](\d{2})", text)
    if not digits:
        return None
    hour, minute = int(digits[1]), int(digits[2])
    if "p" in text.lower() and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def _read_number(
    match: re.Match[str], sentence: str, turkish: bool
) -> tuple[QuantityKind, str, int] | None:
    digits, suffix = match["digits"], (match["suffix"] or "").lower()
    word = (match["word"] or "").lower().replace(" ", "")
    end = match.end()
    # A glued suffix we do not know ("3G", "4x4", "MP3"'s tail) makes it a name.
    tail = sentence[match.end("digits") + len(suffix) : match.end("digits") + len(suffix) + 1]
    if tail and (tail.isalnum() or tail == "_"):
        return None
    value = _decimal(digits, turkish)
    if value is None:
        return None
    kind: QuantityKind = "count"
    currency = _CURRENCY.get((match["cur"] or "").lower(), "")
    if suffix in _MULTIPLIERS:
        value = value.scaleb(_MULTIPLIERS[suffix])
    elif suffix == "%" or match["pre"]:
        kind = "percent"
    elif suffix in ("st", "nd", "rd", "th"):
        kind = "ordinal"
    elif suffix == "s" and len(digits) == 4:
        return "year", f"{digits}s", end
    elif suffix in ("am", "pm"):
        hour = int(value) % 12 + (12 if suffix == "pm" else 0)
        return "time", f"{hour:02d}:00", end
    elif suffix:
        currency = currency or suffix  # a unit: 5km and 5 km are one quantity
    if word in _MULTIPLIERS:
        value = value.scaleb(_MULTIPLIERS[word])
    elif word == "percent":  # "per cent" too: spaces are gone
        kind = "percent"
    elif word in _CURRENCY_WORDS:
        currency = _CURRENCY_WORDS[word]
    if kind == "count" and _turkish_percent_before(sentence, match.start()):
        kind = "percent"
    if currency and kind == "count":
        kind = "money" if currency in _CURRENCY.values() else "count"
    if kind == "count" and not currency and _is_year(digits, suffix, word, sentence, match):
        return "year", digits, end
    normal = format(value.normalize(), "f")
    return kind, f"{currency}{normal}" if currency else normal, end


def _decimal(digits: str, turkish: bool) -> Decimal | None:
    """Digits with separators -> value; the locale decides only the ambiguous cases."""
    separators = [c for c in digits if c in ".,"]
    text = digits
    if separators:
        last = separators[-1]
        groups = re.split(r"[.,]", digits)
        if len(set(separators)) == 2:
            # Both kinds: the last one is the decimal point, in either locale.
            thousands = "," if last == "." else "."
            text = digits.replace(thousands, "").replace(last, ".")
        elif len(separators) > 1:
            if not all(len(g) == 3 for g in groups[1:]):
                return None  # "1.2.3" is a version or a list, not a quantity
            text = digits.replace(last, "")
        elif len(groups[1]) == 3:
            # "2,000" / "2.000": thousands, unless the locale writes it as a decimal point.
            decimal_point = "," if turkish else "."
            text = digits.replace(last, ".") if last == decimal_point else digits.replace(last, "")
        else:
            text = digits.replace(last, ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _turkish_percent_before(sentence: str, start: int) -> bool:
    return sentence[max(0, start - 7) : start].casefold().rstrip().endswith("yüzde")


def _is_year(digits: str, suffix: str, word: str, sentence: str, match: re.Match[str]) -> bool:
    """A bare 1800-2100 where a year stands: after 'in', 'since'..., or before nothing
    counted (a Turkish year takes its suffix after an apostrophe: 2016'da)."""
    if suffix or word or not digits.isdigit() or len(digits) != 4:
        return False
    if not 1800 <= int(digits) <= 2100:
        return False
    following = sentence[match.end() : match.end() + 12]
    if following[:1] in ("'", "’"):
        return True
    previous = _words_before(sentence, match.start(), 1).casefold()
    if previous in _YEAR_BEFORE or previous in _MONTHS:
        return True
    next_word = re.match(r"\s+([^\W\d]+)", following)
    return next_word is None or next_word[1].casefold() in _STOP or next_word[1][0].isupper()


def _noun(sentence: str, start: int, end: int) -> str:
    """The noun a number counts: the words after it, else '<noun> of/was <number>'."""
    rest = sentence[end:]
    paren = re.match(r"\s*\([^()]{0,40}\)", rest)  # "$900m (£479m) loan"
    if paren:
        rest = rest[paren.end() :]
    if rest.startswith("-"):
        rest = " " + rest[1:]  # "$100m-share", "25-year-old"
    clause = _CLAUSE_END.split(rest, maxsplit=1)[0]
    after: list[str] = []
    for word in clause.split()[:3]:
        if word.casefold() in _STOP or not re.match(r"^[^\W\d]", word):
            break
        after.append(word)
    if after:
        return " ".join(after)
    before = _words_before(sentence, start, 3).split()
    if len(before) >= 2 and before[-1].casefold() in _NOUN_BEFORE:
        noun = before[-2]
        if noun.isalpha() and noun.casefold() not in _STOP and noun.casefold() not in _NUMBER_WORDS:
            return noun
    return ""


def _words_before(sentence: str, start: int, count: int) -> str:
    clause = _CLAUSE_END.split(sentence[:start])[-1]
    return " ".join(clause.split()[-count:])


def _around(sentence: str, start: int, end: int) -> tuple[str, ...]:
    left = [w for w in words(sentence[:start]) if not w[0].isdigit()][-4:]
    right = [w for w in words(sentence[end:]) if not w[0].isdigit()][:4]
    return (*left, "#", *right)
