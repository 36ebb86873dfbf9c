"""Readings that belong together: a range (``3 to 5``), a score (``2-1``), and days listed
with one month (``14, 20 and 27 April``).

A dash between two numbers is read by what the two can be. Two counts set against each
other, a result, a set, a vote or odds (``won 2-1``, ``7-5 6-3``, ``passed 41-8``, ``5-2
favourite``), are a *score*: the first no smaller than the second (a range runs upwards),
or a word of winning or losing near, or a score beside it (a match's sets). A span
(``3-5``, ``2-4 saat``, ``2003-2007``) is a *range*, whose start takes the end's unit when it
has none of its own; a year's range may shorten its end (``2004-05`` ends in 2005).
"""

from __future__ import annotations

import re
from dataclasses import replace

from newswatch.changes import context
from newswatch.changes.quantity import Quantity, Reading, valued

# Two quantities that are one range: "8- to 16-", "3–4", "3 to 4", "between 44 and 50",
# "3 ila 5", "3 ile 5 arasında".
_RANGE_GAP = re.compile(
    r"-\s?|\s?–\s?|(?:\s?(?P<unit>°?[^\W\d_]{1,3}))?(?:-?\s+(?:to|ila|ile)\s+|\s+and\s+)",
    re.IGNORECASE,
)
_SCORE_GAP = re.compile(r"\s?[-–]\s?")
_SCORE_WORDS_TEXT = (
    "won win wins winning beat beats beaten lost lose loses losing defeat defeated defeats "
    "victory victories drew draw draws drawn lead leads led leading trail trailed trailing "
    "score scored scores scoreline result favourite favourites odds set sets match final "
    "yendi yenildi yenerek yenen yendiği mağlup mağlubiyet galibiyet galip berabere beraberlik "
    "kazandı kazanan kaybetti skor skorla set setlerle seti önde geride maç maçı"
)
_SCORE_WORDS = frozenset(_SCORE_WORDS_TEXT.split())
_LISTED = re.compile(r"(?:,\s|\s(?:and|or|ve|ile|veya)\s|\s?[-–]\s?)")


def joined(sentence: str, found: list[Reading]) -> list[Quantity]:
    """The readings as quantities, with scores, ranges and listed days joined."""
    if len(found) < 2:
        return [Quantity(sentence, reading) for reading in found]  # most sentences
    if any(r.kind == "date" for r in found):
        found = _listed_days(sentence, found)
    if any(r.scale for r in found):
        found = _listed(sentence, found)
    scores = _scores(sentence, found)
    result: list[Quantity] = []
    i = 0
    while i < len(found):
        low = found[i]
        high = found[i + 1] if i + 1 < len(found) else None
        if high is not None and i in scores:
            ends = (Quantity(sentence, low), Quantity(sentence, high))
            value = f"{low.value}-{high.value}"
            result.append(
                Quantity(sentence, Reading(low.start, high.end, "score", value=value), ends)
            )
            i += 2
            continue
        if high is None or not _joined(sentence, low, high):
            result.append(Quantity(sentence, low))
            i += 1
            continue
        low, high = _shared_unit(low, high)
        ends = (Quantity(sentence, low), Quantity(sentence, high))
        reading = Reading(low.start, high.end, "range", value=f"{low.value}-{high.value}")
        result.append(Quantity(sentence, reading, ends))
        i += 2
    return result


def _scores(sentence: str, found: list[Reading]) -> set[int]:
    """Which readings start a score with the one after them."""
    pairs = [
        i
        for i in range(len(found) - 1)
        if _counts(found[i]) and _counts(found[i + 1]) and _dash(sentence, found[i], found[i + 1])
    ]
    scores = {i for i in pairs if _falls(found[i], found[i + 1])}
    near = context.words_near(sentence, found[0].start, found[-1].end, 6) if pairs else ()
    if any(w in _SCORE_WORDS for w in near):
        scores |= {i for i in pairs if not _year(found[i])}
    # A score beside a score: a match's sets ("4-6 6-3 6-4", "6-2, 3-6 ve 6-4").
    changed = True
    while changed:
        changed = False
        for i in pairs:
            if i in scores:
                continue
            beside = [j for j in scores if j in (i - 2, i + 2)]
            if any(_in_list(sentence, found[min(i, j) + 1], found[max(i, j)]) for j in beside):
                scores.add(i)
                changed = True
    return scores


def _counts(reading: Reading) -> bool:
    """Digits alone, a whole number of at most three (a score, a set, a vote)."""
    return reading.bare and reading.digits.isdigit() and len(reading.digits) <= 3


def _year(reading: Reading) -> bool:
    return reading.kind == "year"


def _dash(sentence: str, low: Reading, high: Reading) -> bool:
    return _SCORE_GAP.fullmatch(sentence, low.end, high.start) is not None


def _falls(low: Reading, high: Reading) -> bool:
    """A dash from a number to one no greater is no range: ``7-5``, ``1-1``, ``41-8``."""
    assert low.number is not None and high.number is not None
    return low.number >= high.number


def _listed(sentence: str, found: list[Reading]) -> list[Reading]:
    """``50, 10 ve 5 milyon liraya``, ``3, 4 or 5 million``: bare numbers listed before one
    with a scale share its scale and its currency."""
    result = list(found)
    for i in range(len(found) - 1, 0, -1):
        after, before = result[i], result[i - 1]
        if not after.scale or not _counts(before) or not _in_list(sentence, before, after):
            continue
        if after.kind not in ("count", "money") or before.kind != "count":
            continue
        result[i - 1] = valued(
            replace(before, scale=after.scale, unit=after.unit, kind=after.kind, bare=False)
        )
    return result


def _in_list(sentence: str, first: Reading, second: Reading) -> bool:
    return (
        _LISTED.fullmatch(sentence, first.end, second.start) is not None
        or sentence[first.end : second.start].isspace()
    )


def _joined(sentence: str, low: Reading, high: Reading) -> bool:
    if low.kind in ("date", "ordinal") or high.kind == "date" or low.weak or high.weak:
        return False
    if high.kind == "ordinal" and not (low.bare and sentence[high.end : high.end + 1] == "."):
        return False  # a Turkish ordinal's range: "1-8. sınıf"
    if high.kind == "time":
        if not (low.kind == "time" or low.bare or _clock(low)):
            return False
    elif low.kind == "time":
        return False  # "0900 GMT to 6.2 euros"
    elif low.kind == "year" and high.kind != "year" and not _short_year(sentence, low, high):
        return False  # "from 102 in 2003 to 81 last year"
    # "rose 1.4% to 86.7bn", "grew 16% to 250,000": a change, then the level it reached. A
    # range marks its unit on its end, or before both ("yüzde 30-40").
    if (
        low.kind == "percent"
        and high.kind != "percent"
        and (not high.bare or re.search(r"(?:%|cent)$", sentence[low.start : low.end]))
    ):
        return False
    if low.unit and high.unit and low.unit != high.unit and high.kind != "time":
        return False  # "44 ml to 50 mg"; "11pm to 2am" is a range
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


def _short_year(sentence: str, low: Reading, high: Reading) -> bool:
    """``2004-05``, ``2005-6``: a year's range whose end keeps only its last digits."""
    return high.bare and len(high.digits) in (1, 2) and _dash(sentence, low, high)


def _clock(reading: Reading) -> str | None:
    """The time of day that digits tell (``0800`` in ``from 0800 to 1800GMT``, ``07.00`` in
    ``07.00 ile 22.00``), as ``HH:MM``."""
    found = re.fullmatch(r"([01]?\d|2[0-3])[.:]?([0-5]\d)", reading.digits)
    if not found or (len(reading.digits) == 3 and reading.digits.isdigit()):
        return None
    return f"{int(found[1]):02d}:{found[2]}"


def _shared_unit(low: Reading, high: Reading) -> tuple[Reading, Reading]:
    """``4 to 7pm`` starts at 4pm, ``3-5%`` at 3%, ``5 to 6 million`` at 5 million,
    ``$3-5bn`` at $3bn and ends at $5bn; ``2004-05`` ends in 2005."""
    clock = _clock(low) if high.kind == "time" else None
    if clock:
        return replace(low, kind="time", value=clock, bare=False), high
    if low.number is None or high.number is None:
        return low, high
    if high.kind == "time" and high.unit and low.bare and low.number == int(low.number) <= 12:
        hour = int(low.number) % 12 + (12 if high.unit == "pm" else 0)
        return replace(low, kind="time", value=f"{hour:02d}:00", bare=False), high
    if high.kind == "ordinal":
        return replace(low, kind="ordinal", value=low.digits, bare=False), high
    if low.kind == "year" and high.bare and len(high.digits) in (1, 2):
        power = 10 ** len(high.digits)
        year = int(low.number) // power * power + int(high.number)
        if year > int(low.number):
            return low, replace(high, kind="year", number=type(high.number)(year), value=str(year))
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
    if low.kind == "percent" and high.bare:
        high = replace(high, kind="percent")  # "yüzde 30-40"
    return valued(low), valued(high)


def _listed_days(sentence: str, found: list[Reading]) -> list[Reading]:
    """``on 14, 20 and 27 April``: days listed before a date are dates of its month."""
    result = list(found)
    for i in range(len(found) - 1, 0, -1):
        after, day = result[i], result[i - 1]
        if after.kind != "date" or len(after.value) != 10 or not sentence[after.start].isdigit():
            continue  # a day, then its month: "27 April", "27 April 2005"
        if not (_counts(day) and day.number is not None and 1 <= day.number <= 31):
            continue
        if not _in_list(sentence, day, after):
            continue
        value = f"{after.value[:-2]}{int(day.number):02d}"
        result[i - 1] = replace(day, kind="date", value=value, bare=False, number=None)
    return result
