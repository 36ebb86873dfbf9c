"""Quantities in a sentence: each number read as a value, a kind and the noun it counts.

A number is read as a *quantity*: its value, what kind of thing it is (a count, money, a
percentage, a year, a date, a time, a range) and the noun it counts, so that other
notations of one quantity (``1.4m`` = ``1.4 million`` = ``1,400,000``, ``three`` = ``3``)
are equal, and names like ``BBC2`` are no quantity at all.

Numbers are read as people write them: in digits, in words (``number_words``), as dates
(``dates``), as times only where the words around say so (``at 16.25``, ``16.25'te``,
``4pm``, ``16:25``, ``GMT``; ``3.45 per cent`` and ``16.25 nanometers`` are decimals), as
fractions (``2 1/2``, ``¼``), with money suffixes (``€10B``, ``$2.174T``, ``£3.2m``) and
as ranges (``8- to 16-meter``, ``4 to 7pm``, ``between 44 and 50``, ``3 ila 5``), whose
start takes the end's unit.

Locale: Turkish writes ``2.000`` for two thousand and ``1,5`` for one and a half, and puts
the noun after the number as English does (``25 kişi öldü``); which texts are Turkish is
``read.text.is_turkish``'s call.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cached_property
from typing import Literal

from newswatch.changes import context
from newswatch.changes.dates import dates
from newswatch.changes.number_words import number_words
from newswatch.read.quotations import APOSTROPHES
from newswatch.read.text import fold

QuantityKind = Literal["count", "money", "percent", "ordinal", "year", "date", "time", "range"]

_CURRENCY = {"£": "GBP", "$": "USD", "us$": "USD", "€": "EUR", "¥": "JPY", "₺": "TRY", "tl": "TRY"}
_CURRENCY_WORDS = {
    **dict.fromkeys(("pounds", "pound", "sterling"), "GBP"),
    **dict.fromkeys(("dollars", "dollar"), "USD"),
    **dict.fromkeys(("euros", "euro"), "EUR"),
    **dict.fromkeys(("lira", "liras", "tl"), "TRY"),
    "yen": "JPY",
}
_MULTIPLIERS = {
    **dict.fromkeys(("k", "thousand", "bin"), 3),
    **dict.fromkeys(("m", "mn", "million", "millions", "milyon"), 6),
    **dict.fromkeys(("b", "bn", "billion", "billions", "milyar"), 9),
    **dict.fromkeys(("t", "tn", "trn", "trillion", "trilyon"), 12),
    **dict.fromkeys(("quadrillion", "katrilyon"), 15),
}
# A number: optional currency, minus or Turkish per-cent sign in front, digits with
# separators, a power of ten, a glued suffix (multiplier, %, ordinal, decade, am/pm, a
# unit) and then, spaced, a multiplier or currency or per-cent word. Not preceded by a
# letter or digit: "BBC2", "G8" and "F-16" are names, not quantities.
_NUMBER = re.compile(
    r"(?<![\w.,])(?<![A-Za-z]-)"
    r"(?:(?P<cur>US\$|[£$€¥₺])\s?)?(?P<pre>%)?(?:(?P<neg>[-−])(?=\d))?"
    r"(?P<digits>\d+(?:[.,]\d+)*)"
    r"(?P<exp>(?:e|\s?[×x]\s?10(?:\^|(?=[-−])))[-−+]?\d+)?"
    r"(?P<suffix>bn|mn|trn|tn|k|m|b|t|%|€|st|nd|rd|th|s|am|pm|km|kg|mph|cm|mm|ft|lbs|lb|mw|gw|"
    r"gb|mb|tb)?"
    r"(?=$|[^\w])"
    r"(?:(?P<space>\s)(?:(?P<word>thousand|million|millions|billion|billions|trillion|"
    r"quadrillion|per\s?cent|percent|pounds?|sterling|dollars?|euros?|liras?|TL|yen)\b"
    # Turkish scales take suffixes: "100 milyarlık", "5 milyonluk", "2 bin".
    r"|(?P<scale>(?:milyon|milyar|trilyon|katrilyon)[a-zçğıöşü]*|bin(?:lik|e|i|in|de|den)?)\b"
    r"))?",
    re.IGNORECASE,
)
_TURKISH_SCALES = ("katrilyon", "trilyon", "milyar", "milyon", "bin")
_WORD_AFTER = re.compile(
    r"\s(?P<word>per\s?cent|percent|pounds?|sterling|dollars?|euros?|liras?|TL|yen)\b",
    re.IGNORECASE,
)
_FRACTION = re.compile(
    r"(?<![\w./,])(?:(?P<whole>\d{1,3})\s)?(?P<num>\d{1,3})/(?P<den>\d{1,3})(?![\w/]|[.,]\d)"
    r"|(?<![\w.,])(?P<whole2>\d{1,3})?(?P<vulgar>[½⅓⅔¼¾⅕⅛])"
)
_VULGAR = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅛": "1/8"}
_TIME = re.compile(
    r"(?<![\w.:,])(?P<h>\d{1,2})(?P<sep>[:.])(?P<m>\d{2})"
    r"(?P<ampm>\s?[ap]\.?m\b\.?)?(?![\w:]|[.,]\d)",
    re.IGNORECASE,
)
# After a dot-separated hh.mm, what makes it a time rather than a decimal.
_TIME_AFTER = re.compile(
    rf"\s?(?:gmt|bst|utc|cet|est|edt|hrs|h\b|local)|[{APOSTROPHES}](?:[dt][ae])", re.I
)
_TIME_BEFORE_TEXT = "at saat until till around before after"
_TIME_BEFORE = frozenset(_TIME_BEFORE_TEXT.split())
_NOT_TIME_AFTER = re.compile(
    r"\s?(?:%|per\s?cent|percent|thousand|million|billion|bn\b|m\b|pounds?|dollars?|euros?)",
    re.IGNORECASE,
)
# Two quantities that are one range: "8- to 16-", "3–4", "3 to 4", "between 44 and 50",
# "3 ila 5", "3 ile 5 arasında".
_RANGE_GAP = re.compile(
    r"-\s?|\s?–\s?|(?:\s?(?P<unit>°?[^\W\d_]{1,3}))?(?:-?\s+(?:to|ila|ile)\s+|\s+and\s+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Reading:
    """One number as read, before it becomes a :class:`Quantity`: what a range's start
    needs to take its end's unit (``4 to 7pm``, ``$3-5bn``, ``5 to 6 million``)."""

    start: int
    end: int
    kind: QuantityKind
    number: Fraction | Decimal | None = None
    """As written, before a multiplier (a Decimal when written in digits); None for
    dates."""
    scale: int = 0
    unit: str = ""
    """A currency code or a unit (``km``)."""
    value: str = ""
    bare: bool = False
    """Digits alone: no currency, suffix, unit or word that would give them a kind."""
    weak: bool = False
    digits: str = ""


class Quantity:
    """One number as written in a sentence, with what it means. The words around it are
    read only when asked: most quantities of an edit cancel out and never need them."""

    def __init__(
        self, sentence: str, reading: _Reading, ends: tuple[Quantity, Quantity] | None = None
    ) -> None:
        self._sentence = sentence
        start, end, kind = reading.start, reading.end, reading.kind
        written = sentence[start:end].strip()
        self.text = written.rstrip(".") if kind == "date" else written
        self.kind: QuantityKind = kind
        self.value = reading.value
        """Normalised value: equal for equal quantities in any notation."""
        self.start, self.end = start, end
        self.key = (kind, self.value)
        self.weak = reading.weak
        """A number word that is also an ordinary word (``one``, ``bir``), standing alone."""
        self.digits = reading.digits
        """The digits and separators as written (``30.000``), for a change of notation."""
        self.ends = ends
        """A range's start and end."""
        self._number, self._scale = reading.number, reading.scale

    @cached_property
    def noun(self) -> str:
        if self.kind in ("date", "year", "time") or (self.ends and self.ends[1].kind == "time"):
            return ""
        return context.noun(self._sentence, self.start, self.end)

    @cached_property
    def before(self) -> str:
        return context.words_before(self._sentence, self.start, 3)

    @cached_property
    def around(self) -> tuple[str, ...]:
        """Words near the number (numbers left out): where it stands in the sentence."""
        return context.around(self._sentence, self.start, self.end)

    @property
    def numbers(self) -> tuple[Fraction, ...]:
        """The values it stands for: its own, or a range's start, end and middle (as
        quantulum3 gives a range); none for a date or a time."""
        if self.ends:
            low, high = self.ends[0].numbers, self.ends[1].numbers
            middle = ((low[0] + high[0]) / 2,) if low and high else ()
            return (*low, *high, *middle)
        if self._number is None or self.kind in ("time", "date"):
            return ()
        return (Fraction(self._number) * Fraction(10) ** self._scale,)


def quantities(sentence: str, turkish: bool = False) -> list[Quantity]:
    """Every quantity in a sentence, in order: dates, times, fractions, numbers in words and
    in digits each take their place in turn; then two joined as a range become one."""
    taken: list[tuple[int, int]] = []
    found: list[_Reading] = []

    def take(reading: _Reading | None) -> None:
        if reading is not None and all(reading.end <= s or reading.start >= e for s, e in taken):
            taken.append((reading.start, reading.end))
            found.append(reading)

    for start, end, value in dates(sentence):
        take(_Reading(start, end, "date", value=value))
    for match in _TIME.finditer(sentence):
        take(_time(match, sentence))
    if "/" in sentence or any(c in sentence for c in _VULGAR):
        for match in _FRACTION.finditer(sentence):
            take(_fraction(match, sentence))
    for start, end, number, weak in number_words(sentence, turkish):
        take(_worded(sentence, start, end, number, weak))
    for match in _NUMBER.finditer(sentence):
        if not context.in_name(sentence, match.start()):
            take(_read_number(match, sentence, turkish))
    found.sort(key=lambda r: r.start)
    return _ranges(sentence, found)


# --- one number ---------------------------------------------------------------------------


def _time(match: re.Match[str], sentence: str) -> _Reading | None:
    """hh:mm is a time; hh.mm only where the words say so, else it is a decimal."""
    hour, minute = int(match["h"]), int(match["m"])
    ampm = (match["ampm"] or "").strip().lower()
    if match["sep"] == "." and not ampm:
        before = context.words_before(sentence, match.start(), 1).casefold()
        after = sentence[match.end() : match.end() + 12]
        if before not in _TIME_BEFORE and not _TIME_AFTER.match(after):
            return None
        if _NOT_TIME_AFTER.match(after):
            return None  # "at 3.45 per cent", "around 12.30 dollars"
    if ampm.startswith("p") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return _Reading(match.start(), match.end(), "time", value=f"{hour:02d}:{minute:02d}")


def _fraction(match: re.Match[str], sentence: str) -> _Reading | None:
    whole = match["whole"] or match["whole2"] or "0"
    numerator, denominator = (
        _VULGAR[match["vulgar"]] if match["vulgar"] else f"{match['num']}/{match['den']}"
    ).split("/")
    if int(denominator) == 0 or int(numerator) == 0:
        return None
    number = int(whole) + Fraction(int(numerator), int(denominator))
    return _Reading(
        match.start(), match.end(), "count", number, value=_normal(number), digits=match.group()
    )


def _worded(sentence: str, start: int, end: int, number: Fraction, weak: bool) -> _Reading:
    """A number in words, and the per-cent or currency word after it (``five per cent``)."""
    kind: QuantityKind = "count"
    unit = ""
    word = _WORD_AFTER.match(sentence, end)
    if word:
        name = word["word"].casefold().replace(" ", "")
        if name == "percent":
            kind = "percent"
        else:
            kind, unit = "money", _CURRENCY_WORDS[name]
        end = word.end()
    if context.turkish_percent_before(sentence, start):
        kind = "percent"
    return _Reading(
        start,
        end,
        kind,
        number,
        unit=unit,
        value=f"{unit}{_normal(number)}",
        bare=kind == "count",
        weak=weak and kind == "count",
    )


def _read_number(match: re.Match[str], sentence: str, turkish: bool) -> _Reading | None:
    digits, suffix = match["digits"], (match["suffix"] or "").lower()
    word = (match["word"] or "").lower().replace(" ", "")
    if match["scale"]:
        scale_word = fold(match["scale"])  # "MİLYON": Turkish capitals fold to one i
        word = next((w for w in _TURKISH_SCALES if fold(w) in scale_word[: len(w)]), "")
    start, end = match.start(), match.end()
    # A glued suffix we do not know ("3G", "4x4", "MP3"'s tail) makes it a name.
    tail_at = (
        match.end("suffix")
        if match["suffix"]
        else match.end("exp")
        if match["exp"]
        else match.end("digits")
    )
    tail = sentence[tail_at : tail_at + 1]
    if tail and (tail.isalnum() or tail == "_"):
        return None
    value = _decimal(digits, turkish)
    if value is None:
        return None
    number = -value if match["neg"] else value
    if match["exp"]:
        power = re.search(r"[-−+]?\d+$", match["exp"])
        assert power is not None
        number = number.scaleb(int(power.group().replace("−", "-")))
    kind: QuantityKind = "count"
    currency = _CURRENCY.get((match["cur"] or "").lower(), "")
    scale = 0
    if suffix in ("b", "t") and not currency:
        return None  # "10B" is a name; "€10B" is money
    if suffix in _MULTIPLIERS:
        scale = _MULTIPLIERS[suffix]
    elif suffix == "%" or match["pre"]:
        kind = "percent"
    elif suffix in ("st", "nd", "rd", "th"):
        kind = "ordinal"
    elif suffix == "s" and len(digits) == 4:
        return _Reading(start, end, "year", number, value=f"{digits}s", digits=digits)
    elif suffix in ("am", "pm"):
        hour = int(number) % 12 + (12 if suffix == "pm" else 0)
        return _Reading(start, end, "time", number, unit=suffix, value=f"{hour:02d}:00")
    elif suffix == "€":
        currency = "EUR"
    elif suffix:
        currency = currency or suffix  # a unit: 5km and 5 km are one quantity
    if word in _MULTIPLIERS:
        scale = _MULTIPLIERS[word]
    elif word == "percent":  # "per cent" too: spaces are gone
        kind = "percent"
    elif word in _CURRENCY_WORDS:
        currency = _CURRENCY_WORDS[word]
    if kind == "count" and context.turkish_percent_before(sentence, start):
        kind = "percent"
    if currency and kind == "count":
        kind = "money" if currency in _CURRENCY.values() else "count"
    bare = not (currency or suffix or word or match["pre"] or kind != "count")
    if bare and context.is_year(digits, sentence, match):
        return _Reading(start, end, "year", number, value=digits, digits=digits)
    reading = _Reading(start, end, kind, number, scale, currency, bare=bare, digits=digits)
    return _valued(reading)


def _valued(reading: _Reading) -> _Reading:
    assert reading.number is not None
    number = reading.number
    if isinstance(number, Decimal):  # digits: exact, and cheaper than a Fraction
        normal = format(number.scaleb(reading.scale).normalize(), "f")
    else:
        normal = _normal(number * Fraction(10) ** reading.scale)
    return replace(reading, value=f"{reading.unit}{normal}")


def _normal(number: Fraction) -> str:
    """One text per value: ``3``, ``2.5``, ``1400000``; ``2/3`` where no decimal ends."""
    if number.denominator == 1:
        return str(number.numerator)
    denominator = number.denominator
    while denominator % 2 == 0:
        denominator //= 2
    while denominator % 5 == 0:
        denominator //= 5
    if denominator != 1:
        return f"{number.numerator}/{number.denominator}"
    value = Decimal(number.numerator) / Decimal(number.denominator)
    return format(value.normalize(), "f")


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


# --- two numbers that are one range -------------------------------------------------------


def _ranges(sentence: str, found: list[_Reading]) -> list[Quantity]:
    """Readings joined by a dash, ``to``, ``and`` after ``between``, ``ila``/``ile`` become
    one range quantity; its start takes the end's unit when it has none of its own."""
    result: list[Quantity] = []
    i = 0
    while i < len(found):
        low = found[i]
        high = found[i + 1] if i + 1 < len(found) else None
        joined = high is not None and _joined(sentence, low, high)
        if high is None or not joined:
            result.append(Quantity(sentence, low))
            i += 1
            continue
        low, high = _shared_unit(low, high)
        ends = (Quantity(sentence, low), Quantity(sentence, high))
        reading = _Reading(low.start, high.end, "range", value=f"{low.value}-{high.value}")
        result.append(Quantity(sentence, reading, ends))
        i += 2
    return result


def _joined(sentence: str, low: _Reading, high: _Reading) -> bool:
    if low.kind in ("date", "ordinal") or high.kind in ("date", "ordinal") or low.weak or high.weak:
        return False
    gap = _RANGE_GAP.fullmatch(sentence, low.end, high.start)
    if gap is None:
        return False
    if gap["unit"] and not sentence[high.end : high.end + 6].lstrip().startswith(gap["unit"]):
        return False  # "44 mg to 50 mg" is a range; "44 of them to 50" is not
    word = gap.group().split()[-1].strip(" -").casefold() if gap.group().strip(" -") else ""
    if word == "and":
        return context.words_before(sentence, low.start, 1).casefold() == "between"
    if word == "ile":
        return sentence[high.end : high.end + 12].lstrip().casefold().startswith("arasında")
    return True


def _shared_unit(low: _Reading, high: _Reading) -> tuple[_Reading, _Reading]:
    """``4 to 7pm`` starts at 4pm, ``3-5%`` at 3%, ``5 to 6 million`` at 5 million,
    ``$3-5bn`` at $3bn and ends at $5bn."""
    if low.number is None or high.number is None:
        return low, high
    if high.kind == "time" and high.unit and low.bare and low.number <= 12:
        hour = int(low.number) % 12 + (12 if high.unit == "pm" else 0)
        return replace(low, kind="time", value=f"{hour:02d}:00", bare=False), high
    numeric = ("count", "money", "percent")
    if low.kind not in numeric or high.kind not in numeric:
        return low, high
    if high.scale and not low.scale and low.number < high.number and "," not in low.digits:
        low = replace(low, scale=high.scale)
    if high.unit and not low.unit:
        low = replace(low, unit=high.unit, kind=high.kind)
    elif low.unit and not high.unit:
        high = replace(high, unit=low.unit, kind=low.kind)
    if high.kind == "percent" and low.bare:
        low = replace(low, kind="percent")
    return _valued(low), _valued(high)
