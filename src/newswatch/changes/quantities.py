"""Quantities in a sentence: each number read as a value, a kind and the noun it counts.

A number is read as a *quantity*: its value, what kind of thing it is (a count, money, a
percentage, a year, a date, a time, a range, a score) and the noun it counts, so that other
notations of one quantity (``1.4m`` = ``1.4 million`` = ``1,400,000``, ``three`` = ``3``)
are equal, and names like ``BBC2`` are no quantity at all.

Numbers are read as people write them: in digits, in words (``number_words``), as dates
(``dates``), as times only where the words around say so (``at 16.25``, ``16.25'te``,
``4pm``, ``2 pm``, ``16:25``, ``1830 GMT``; ``3.45 per cent`` and ``16.25 nanometers`` are
decimals), as fractions (``2 1/2``, ``¼``), with money suffixes (``€10B``, ``$2.174T``,
``£3.2m``; ``800m`` is a race's metres), grouped by spaces (``10 000``), and as ranges and
scores (``ranges``). What a reader cannot tell is read as nothing rather than guessed: a
name or a label (``Radio 4``, ``No 10``, ``BBC Four``), a code (``34 TS 9990``), two
numbers side by side (``245 23``), a fraction that is none (``1/0``, ``24/7``).

Locale: Turkish writes ``2.000`` for two thousand and ``1,5`` for one and a half, an
ordinal with a full stop (``19. yüzyıl``), and puts the noun after the number as English
does (``25 kişi öldü``); which texts are Turkish is ``read.text.is_turkish``'s call.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from newswatch.changes import context
from newswatch.changes.dates import dates
from newswatch.changes.number_words import number_words
from newswatch.changes.quantity import Quantity, QuantityKind, Reading, normal, valued
from newswatch.changes.ranges import joined
from newswatch.read.quotations import APOSTROPHES
from newswatch.read.text import fold

__all__ = ["Quantity", "QuantityKind", "quantities"]

_CURRENCY = {"£": "GBP", "$": "USD", "us$": "USD", "€": "EUR", "¥": "JPY", "₺": "TRY", "tl": "TRY"}
_CURRENCY_WORDS = {
    **dict.fromkeys(("pounds", "pound", "sterling", "sterlin"), "GBP"),
    **dict.fromkeys(("pence", "p"), "GBp"),
    **dict.fromkeys(("dollars", "dollar", "dolar"), "USD"),
    **dict.fromkeys(("euros", "euro", "avro"), "EUR"),
    **dict.fromkeys(("lira", "liras", "tl", "ytl"), "TRY"),
    "yen": "JPY",
    **dict.fromkeys(("yuan", "renminbi"), "CNY"),
    **dict.fromkeys(("reais", "real"), "BRL"),
    **dict.fromkeys(("roubles", "rouble", "rubles", "ruble"), "RUB"),
    "naira": "NGN",
}
# Currencies named after the number, spaced: "2bn reais", "15 trilyon liraya" (a Turkish
# word takes its suffixes), "86.7bn Swiss francs" (a country before a currency many share).
_CURRENCY_AFTER = re.compile(
    r"\s(?:(?P<country>(?-i:[A-Z][a-z]+))\s)?(?P<word>pounds?|pence|cents?|sterling|dollars?|euros?|yen|yuan|"
    r"renminbi|reais|roubles?|rubles?|naira|rupees?|pesos?|francs?|rand|krona|kronor|dinars?|"
    r"(?:dolar|avro|sterlin|lira|ytl|tl)[a-zçğıöşü]*)\b",
    re.IGNORECASE,
)
_MULTIPLIERS = {
    **dict.fromkeys(("k", "thousand", "bin"), 3),
    **dict.fromkeys(("m", "mn", "million", "millions", "milyon"), 6),
    **dict.fromkeys(("b", "bn", "billion", "billions", "milyar"), 9),
    **dict.fromkeys(("t", "tn", "trn", "trillion", "trilyon"), 12),
    **dict.fromkeys(("quadrillion", "katrilyon"), 15),
}
# A number: optional currency, minus or Turkish per-cent sign in front, digits with
# separators, a power of ten, a glued suffix (multiplier, %, ordinal, decade, am/pm, a
# unit) and then, spaced, a multiplier or currency or per-cent word. Not glued to a letter
# or digit before it ("BBC2", "G8", "F-16", "Covid-19" are names; "km^3", "fb−1" hold
# exponents; "J1149.5+6663" is a code).
_NUMBER = re.compile(
    r"(?<![\w.,^])(?<!\w\+)(?:(?P<cur>US\$|[£$€¥₺])\s?|(?<![A-Za-z][-−]))"
    r"(?P<pre>%)?(?:(?P<neg>[-−])(?=\d))?"
    # Digits grouped by spaces ("10 000"), not a phone number's ("0800 555 111").
    r"(?P<digits>(?<!\d\s)\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d.,]\d)(?!\s\d)"
    r"|(?>\d+(?:[.,]\d+)*))"
    r"(?P<exp>(?:e|\s?[×x]\s?10(?:\^|(?=[-−])))[-−+]?\d+)?"
    r"(?P<suffix>bn|mn|trn|tn|k|m|b|t|%|€|st|nd|rd|th|s|am|pm|km|kg|mph|cm|mm|ft|lbs|lb|mw|gw|"
    r"gb|mb|tb|gmt|bst|utc|p)?"
    r"(?=$|[^\w])"
    r"(?:(?P<space>\s)(?:(?P<word>thousand|million|millions|billion|billions|trillion|"
    r"quadrillion|per\s?cent|percent|pounds?|sterling|dollars?|euros?|liras?|TL|yen)\b"
    # Turkish scales take suffixes: "100 milyarlık", "5 milyonluk", "2 bin".
    r"|(?P<scale>(?:milyon|milyar|trilyon|katrilyon)[a-zçğıöşü]*|bin(?:lik|e|i|in|de|den)?)\b"
    r"))?",
    re.IGNORECASE,
)
_TURKISH_SCALES = ("katrilyon", "trilyon", "milyar", "milyon", "bin")
_PERCENT_AFTER = re.compile(r"\s(?:per\s?cent|percent)\b", re.IGNORECASE)
_FRACTION = re.compile(
    r"(?<![\w./,])(?:(?P<whole>\d{1,3})\s)?(?P<num>\d{1,3})/(?P<den>\d{1,3})(?![\w/]|[.,]\d)"
    r"|(?<![\w.,])(?P<whole2>\d{1,3})?(?P<vulgar>[½⅓⅔¼¾⅕⅛])"
)
_ODDS = re.compile(r"\b(?:odds|favourite|favorite|bookmakers?|bet|shot)\b", re.IGNORECASE)
_VULGAR = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅛": "1/8"}
# After a number, what makes it a clock's time: "2 pm", "2 p.m.", and four digits with a
# time zone, "1830 GMT".
_AM_PM_AFTER = re.compile(r"\s?([ap])(?:m\b|\.m\b\.?)", re.IGNORECASE)
_ZONE_AFTER = re.compile(r"\s?(?:GMT|BST|UTC|CET|EST|EDT|hrs|local time)\b", re.IGNORECASE)
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
# The end of a span of hours: "saat 20.00-02.00", "07.00 ile 22.00".
_TIME_RANGE_BEFORE = re.compile(r"\d[.:]\d\d\s?(?:[-–]|to|and|ile|ila|ve)\s?$", re.IGNORECASE)
_TIME_BEFORE = frozenset(_TIME_BEFORE_TEXT.split())
_NOT_TIME_AFTER = re.compile(
    r"\s?(?:%|per\s?cent|percent|thousand|million|billion|bn\b|m\b|pounds?|dollars?|euros?)",
    re.IGNORECASE,
)


def quantities(sentence: str, turkish: bool = False) -> list[Quantity]:
    """Every quantity in a sentence, in order: dates, times, codes, fractions, numbers in
    words and in digits each take their place in turn; then readings that belong together
    (a range, a score, days listed with their month) become one."""
    taken: list[tuple[int, int]] = []
    found: list[Reading] = []

    def take(reading: Reading | None, start: int = 0, end: int = 0) -> None:
        """Take a reading's place; a place read as nothing is taken too (``start, end``)."""
        if reading is not None:
            start, end = reading.start, reading.end
        for s, e in taken:
            if start < e and end > s:
                return
        taken.append((start, end))
        if reading is not None:
            found.append(reading)

    for start, end, value in dates(sentence):
        take(Reading(start, end, "date", value=value))
    for match in _TIME.finditer(sentence):
        take(_time(match, sentence))
    for start, end in context.codes(sentence):
        take(None, start, end)
    if "/" in sentence or any(c in sentence for c in _VULGAR):
        odds = _ODDS.search(sentence) is not None  # "4/9 and 8/13 odds", "at 9/4"
        for match in _FRACTION.finditer(sentence):
            take(None if odds else _fraction(match), *match.span())
    for start, end, number, weak in number_words(sentence, turkish):
        # "BBC Four", "Formula One", "iki numaralı": names and labels
        named = (context.capitalised_name if sentence[start].isupper() else context.labelled)(
            sentence, start, end
        )
        take(None if named else _worded(sentence, start, end, number, weak), start, end)
    for match in _NUMBER.finditer(sentence):
        if context.in_name(sentence, match.start("digits"), match.end()):
            # and what a dash joins to it: "ATR 72-500", "Boeing 737-800"
            more = re.match(r"[-–]\d+", sentence[match.end() :])
            take(None, match.start(), match.end() + (more.end() if more else 0))
        else:
            take(_read_number(match, sentence, turkish), *match.span())
    found.sort(key=lambda r: r.start)
    return joined(sentence, found)


# --- one number ---------------------------------------------------------------------------


def _time(match: re.Match[str], sentence: str) -> Reading | None:
    """hh:mm is a time; hh.mm only where the words say so, else it is a decimal."""
    hour, minute = int(match["h"]), int(match["m"])
    ampm = (match["ampm"] or "").strip().lower()
    if match["sep"] == "." and not ampm:
        before = context.words_before(sentence, match.start(), 1).casefold()
        after = sentence[match.end() : match.end() + 12]
        if (
            before not in _TIME_BEFORE
            and not _TIME_AFTER.match(after)
            and not _TIME_RANGE_BEFORE.search(sentence, 0, match.start())
        ):
            return None
        if _NOT_TIME_AFTER.match(after):
            return None  # "at 3.45 per cent", "around 12.30 dollars"
    if ampm.startswith("p") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return Reading(match.start(), match.end(), "time", value=f"{hour:02d}:{minute:02d}")


def _clock(match: re.Match[str], sentence: str) -> Reading | None:
    """``2 pm``, ``2 p.m.``: an hour of the clock; ``1830 GMT``: hours and minutes."""
    digits, start = match["digits"], match.start()
    if not digits.isdigit() or match["cur"] or match["neg"]:
        return None
    after = _AM_PM_AFTER.match(sentence, match.end("digits"))
    if after and 1 <= int(digits) <= 12 and len(digits) <= 2:
        unit = f"{after[1].lower()}m"
        hour = int(digits) % 12 + (12 if unit == "pm" else 0)
        return Reading(start, after.end(), "time", Fraction(0), unit=unit, value=f"{hour:02d}:00")
    after = _ZONE_AFTER.match(sentence, match.end("digits"))
    if after and len(digits) == 4 and digits[:2] < "24" and digits[2:] < "60":
        return Reading(start, after.end(), "time", Fraction(0), value=f"{digits[:2]}:{digits[2:]}")
    return None


def _fraction(match: re.Match[str]) -> Reading | None:
    """A proper fraction, perhaps after a whole number (``2 1/2``, ``¼``). ``1/0``, ``24/7``
    and ``9/11`` written as digits are no fractions: read as nothing."""
    whole = match["whole"] or match["whole2"] or "0"
    numerator, denominator = (
        _VULGAR[match["vulgar"]] if match["vulgar"] else f"{match['num']}/{match['den']}"
    ).split("/")
    if not 0 < int(numerator) < int(denominator) or (not match["vulgar"] and len(denominator) > 2):
        return None
    number = int(whole) + Fraction(int(numerator), int(denominator))
    return Reading(
        match.start(), match.end(), "count", number, value=normal(number), digits=match.group()
    )


def _worded(sentence: str, start: int, end: int, number: Fraction, weak: bool) -> Reading:
    """A number in words, and the per-cent or currency word after it (``five per cent``)."""
    kind: QuantityKind = "count"
    unit = ""
    percent = _PERCENT_AFTER.match(sentence, end)
    currency = _currency_after(sentence, end)
    if percent:
        kind, end = "percent", percent.end()
    elif currency:
        kind, unit, end = "money", currency[0], currency[1]
    if context.turkish_percent_before(sentence, start):
        kind = "percent"
    return Reading(
        start,
        end,
        kind,
        number,
        unit=unit,
        value=f"{unit}{normal(number)}",
        bare=kind == "count",
        weak=weak and kind == "count",
    )


def _currency_after(sentence: str, end: int) -> tuple[str, int] | None:
    """The currency named after a number (its code, or its name with the country's), and
    where the name ends."""
    found = _CURRENCY_AFTER.match(sentence, end)
    if not found:
        return None
    word = fold(found["word"])
    code = next((c for w, c in _CURRENCY_WORDS.items() if word.startswith(w)), word)
    if found["country"]:
        if fold(found["country"]) in ("us", "american") and code == "USD":
            return code, found.end()
        return f"{fold(found['country'])} {word}", found.end()
    return code, found.end()


# Standard distances of athletics and swimming: "800m" is a race, not 800 million.
_RACE_METRES = frozenset({50, 60, 100, 110, 200, 300, 400, 800, 1000, 1500, 3000, 5000, 10000})
_METRES_AFTER = re.compile(
    r"\s(?:tall|taller|high|higher|long|longer|wide|wider|deep|deeper|away|above|below|"
    r"hurdles|relay|freestyle|backstroke|breaststroke|butterfly|medley|sprint|sprinter|race|"
    r"final|heats?|title|titles|champion|champions|gold|silver|bronze|medal|record|world|"
    r"indoor|outdoor|crown|runners?|event|and|in|at|on|to|while|as|for|with|or)\b"
    r"|\s?[,.;:)]|$"
)


def _metres(sentence: str, end: int, number: Decimal) -> bool:
    """``800m title``, ``508m tall``: metres, where the words after it say so or the
    number is a race's distance and no noun follows that it would count."""
    after = _METRES_AFTER.match(sentence, end)
    if after is None:
        return False
    word = after.group().strip()
    lengths = ("tall", "taller", "high", "higher", "long", "longer", "wide", "wider", "deep")
    return word in lengths or word[:4] in ("deep", "away", "abov", "belo") or number in _RACE_METRES


_TURKISH_ORDINAL = re.compile(rf"\.\s+[a-zçğıöşü]|[{APOSTROPHES}][ıiuü]?nc[ıiuü]\b")


def _read_number(match: re.Match[str], sentence: str, turkish: bool) -> Reading | None:
    glued = (match["suffix"] or "").lower()
    clock = _clock(match, sentence) if glued in ("", "p", "gmt", "bst", "utc") else None
    if clock:
        return clock
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
    named = None if currency or word else _currency_after(sentence, end)
    if named:
        currency, end = named
    if suffix == "m" and not currency and not word and _metres(sentence, end, number):
        suffix = "metres"  # "800m title": a unit, like km
    if suffix in _MULTIPLIERS:
        scale = _MULTIPLIERS[suffix]
    elif suffix == "%" or match["pre"]:
        kind = "percent"
    elif suffix in ("st", "nd", "rd", "th"):
        kind = "ordinal"
    elif suffix == "s" and len(digits) == 4:
        return Reading(start, end, "year", number, value=f"{digits}s", digits=digits)
    elif suffix in ("am", "pm"):
        hour = int(number) % 12 + (12 if suffix == "pm" else 0)
        return Reading(start, end, "time", number, unit=suffix, value=f"{hour:02d}:00")
    elif suffix == "€":
        currency = "EUR"
    elif suffix == "p":
        currency = "GBp"  # pence: "10.75p"
    elif suffix:
        currency = currency or suffix  # a unit: 5km and 5 km are one quantity
    if word in _MULTIPLIERS:
        scale = _MULTIPLIERS[word]
        if not currency and (named := _currency_after(sentence, end)):
            currency, end = named  # "10 milyon dolar", "6.5 billion reais"
    elif word == "percent":  # "per cent" too: spaces are gone
        kind = "percent"
    elif word in _CURRENCY_WORDS:
        currency = _CURRENCY_WORDS[word]
    if kind == "count" and context.turkish_percent_before(sentence, start):
        kind = "percent"
    if currency and kind == "count":
        known = currency in _CURRENCY.values() or currency in _CURRENCY_WORDS.values()
        kind = "money" if known or named else "count"
    bare = not (currency or suffix or word or match["pre"] or kind != "count")
    if bare and turkish and digits.isdigit() and _TURKISH_ORDINAL.match(sentence, end):
        return Reading(start, end, "ordinal", number, value=digits, digits=digits)
    if bare and context.is_year(digits, sentence, match, turkish):
        return Reading(start, end, "year", number, value=digits, digits=digits)
    if bare and (
        context.listed_name(sentence, start, end) or context.referred(sentence, start, end)
    ):
        return None  # "the 147, 156, 166, GTV and Spider"; "the new 777 in Seattle"
    reading = Reading(start, end, kind, number, scale, currency, bare=bare, digits=digits)
    return valued(reading)


def _decimal(digits: str, turkish: bool) -> Decimal | None:
    """Digits with separators -> value; the locale decides only the ambiguous cases."""
    digits = "".join(digits.split())  # "10 000": grouped by spaces
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
