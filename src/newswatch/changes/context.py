"""Where a number stands in its sentence: the noun it counts, the words before and
around it, and whether it is a name (``Radio 4``), a label (``No 10``), a code (``0800 555
111``) or a year (``in 2015``) rather than a count. English and Turkish function words end
a noun.

Each rule here was read against every sentence with a digit of the shared BBC and 1150haber
corpora, the readings with and without it compared: a rule stays where news text needs it
(a name has no thousands: ``in Scotland 53,000``), and goes where it misreads news text (a
decimal after a capitalised word is a version's name: ``Firefox 1.0``, ``Opera 8.0``).
"""

from __future__ import annotations

import re

from newswatch.changes.dates import MONTHS
from newswatch.read.quotations import APOSTROPHES, NOT_APOSTROPHES, OPENING_MARKS
from newswatch.read.text import words

YEAR_BEFORE_TEXT = (
    "in since until till by from to of during before after early late mid year around circa "
    "between and spring summer autumn winter the"
)
YEAR_BEFORE = frozenset(YEAR_BEFORE_TEXT.split())
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
_NOUN_BEFORE_TEXT = (
    "of was is were are at to reached totalled totaled stood hit rose fell cost costs worth"
)
_NOUN_BEFORE = frozenset(_NOUN_BEFORE_TEXT.split())
_NUMBER_WORDS_TEXT = (
    "one two three four five six seven eight nine ten eleven twelve dozen dozens hundred "
    "hundreds thousand thousands million millions some several many few"
)
_NUMBER_WORDS = frozenset(_NUMBER_WORDS_TEXT.split())
# A quote mark ends a clause (an apostrophe is a word's letter).
_CLAUSE_END = re.compile(rf"[.,;:!?()\[\]{re.escape(NOT_APOSTROPHES)}]|\s[-–—]\s")
# What stands before a sentence's (or a quoted sentence's) first word.
_SENTENCE_BEFORE = frozenset(".!?:;(" + "".join(m for m in OPENING_MARKS if m in NOT_APOSTROPHES))


_DIGITS = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:[.,]\d{3})+(?!\d)")
_SCALE_AFTER = re.compile(
    r"(?:thousand|million|billion|trillion|bin|milyon|milyar|trilyon)", re.IGNORECASE
)
# Words that may follow a name with a number ("Radio 3 and", "Xbox 2 would").
_NAME_GOES_ON_TEXT = "and or is was has had will would can could which who that ve ile"
_NAME_GOES_ON = frozenset(_NAME_GOES_ON_TEXT.split())
_NAME_BEFORE = re.compile(r"(?:^|[\s(-])([A-Z]\w*)\s$")
_LABEL_ENDS = frozenset(("o ", "O ", "r ", "R ", ". "))
_LABEL_STARTS = frozenset((" ", "'", "’"))
_LABEL_BEFORE = re.compile(r"(?:^|[\s(])(?:number|no\.?|nr\.?)\s$", re.IGNORECASE)
# A label after the number: "8 numaralı forma"; a law's article, cited by its number in a
# trial's words ("312'den hüküm giyen", "312'den mahkûm olan": convicted under article 312).
_LABEL_AFTER = re.compile(
    r"\s(?:numaral|nolu|no['’]lu|numara)|['’][dt][ae]n\s+(?:hüküm|mahk[uû]m|yargıla|ceza)",
    re.IGNORECASE,
)
# A code: a phone number ("0800 555 111", "(0212) 259 49 59"); digits, one to three
# capitals, digits ("34 TS 9990", a registration plate); a row of a table ("32 24 7 1 58");
# or two runs of digits before a currency that no grouping joins ("245 23 yen": 245,23
# yen, or 23?).
_CODE = re.compile(
    r"(?<![\w.,–-])\(?0\d{2,4}\)?(?: \d{1,4}){1,4}(?![\w/–-]|[.,]\d)|"
    r"(?<![\w.,–-])\d{1,3} [A-Z]{1,3} \d{1,5}(?![\w/–-]|[.,]\d)"
    r"|(?<![\w.,–-])\d{1,4}(?: \d{1,4}){3,}(?![\w/–-]|[.,]\d)"
    r"|(?<![\w.,–-])\d{1,3} (?!\d{3}(?!\d))\d{1,3}(?= (?:yen|dollars?|euros?|pounds?|lira|TL)\b)"
)
_CODE_HINT = re.compile(
    r"(?=[(\d])(?:\(0|0\d{2,4} \d|\d [A-Z]{1,3} \d|\d \d+ \d+ \d"
    r"|\d \d{1,3} (?:yen|dol|eur|pou|lir|TL))"
)
# A short item of a list: up to three words, each a number or a capitalised word.
_ITEM = r"(?:[A-Z][\w-]*|\d[\d.,]*)(?: (?:[A-Z][\w-]*|\d[\d.,]*)){0,2}"
_ITEM_AFTER = re.compile(r"(?: [A-Z\d][\w-]*){0,2}(?:, | and | ve | or )")
_NAME_LIST = re.compile(rf"{_ITEM}(?:(?:, | and | ve | or ){_ITEM})+")


def in_name(sentence: str, start: int, end: int | None = None) -> bool:
    """'Radio 4', 'PlayStation 2', 'Formula 1', 'BBC Four': a capitalised word (not the
    sentence's first, not a month) right before a bare number makes the number a name, as
    does a label's word ('No 10', 'Number 10', 'iki numaralı')."""
    if labelled(sentence, start, end):
        return True
    match = _NAME_BEFORE.search(sentence, max(0, start - 30), start)
    if not match:
        return False
    digits = _DIGITS.match(sentence, start)
    if digits and len(digits.group()) == 4 and 1800 <= int(digits.group()) <= 2100:
        return False  # a year stays a year: "Christmas 2004", "Terrorism Act 2000"
    word = match.group(1)
    if word.casefold() in MONTHS or word.casefold() in YEAR_BEFORE - {"the"}:
        return False
    before_word = sentence[: start - len(word) - 1].rstrip()
    if not before_word or before_word[-1] in _SENTENCE_BEFORE:
        return False  # the sentence's first word: "Some 25 people", "Nearly 300 died"
    following = sentence[start:].split(None, 1)
    rest = following[1] if len(following) > 1 else ""
    if _GROUPED.match(following[0]) or _SCALE_AFTER.match(rest):
        return False  # a name has no thousands: "in Scotland 53,000", "AYDA 5.1 MİLYAR"
    window = sentence[max(0, start - 30) : start + 30]
    if window == window.upper():
        return False  # text in capitals: "1 YILDAN 3 YILA HAPİS"
    # "Italy 38" and "Radio 3 and" are names; "Italy 38 people" counts people, and so
    # does "British 16 to 20".
    next_word = re.match(r"[a-zçğıöşü]+", rest)
    return not next_word or next_word.group() in _NAME_GOES_ON or following[0][-1:] in ",.;:"


def capitalised_name(sentence: str, start: int, end: int) -> bool:
    """A number word capitalised where no sentence starts is a name ('BBC Four', 'Formula
    One', 'World War Two'), or a label ('İki numaralı')."""
    if labelled(sentence, start, end):
        return True
    before = sentence[:start].rstrip()
    return bool(before) and before[-1] not in _SENTENCE_BEFORE


def labelled(sentence: str, start: int, end: int | None = None) -> bool:
    """A number that a label's word names: 'No 10', 'Number 10', 'iki numaralı', and a
    law's article cited by its number: '312'den hüküm giyen'."""
    # Looked for only where the letter before or after can begin or end a label.
    if sentence[max(0, start - 2) : start] in _LABEL_ENDS and _LABEL_BEFORE.search(
        sentence, max(0, start - 8), start
    ):
        return True
    return (
        end is not None
        and sentence[end : end + 1] in _LABEL_STARTS
        and _LABEL_AFTER.match(sentence, end) is not None
    )


def codes(sentence: str) -> list[tuple[int, int]]:
    """Where digits are a code, not quantities: a phone number, a plate (``34 TS 9990``), a
    table's row, and two numbers side by side that no grouping joins (``245 23 yen``:
    which is the count cannot be told)."""
    if not _CODE_HINT.search(sentence):
        return []  # most sentences: one quick pass
    return [m.span() for m in _CODE.finditer(sentence)]


def listed_name(sentence: str, start: int, end: int) -> bool:
    """A bare number listed with names is a name: ``the 147, 156, 166, GTV and Spider``,
    ``Windows 95, 98 and XP``. An age after a name (``Mr Sullivan, 42, has``) is not such
    a list: its number follows the name, the list goes no further."""
    if not _ITEM_AFTER.match(sentence, end):
        return False  # most numbers: no list goes on after their item
    for found in _NAME_LIST.finditer(sentence, max(0, start - 80), min(len(sentence), end + 80)):
        if not found.start() <= start < found.end():
            continue
        items = re.split(r", | and | ve | or ", found.group())
        names = [item for item in items if not any(c.isdigit() for c in item)]
        numbers = [item for item in items if item.isdigit()]
        if names and len(numbers) >= 2:
            return True
    return False


_REFERENCE = re.compile(r"(?:^|\s)(?:the|The)\s(?:[a-z]+\s)?$")
_NO_NOUN_AFTER = re.compile(r"\s*(?:$|[,.;:)]|\s(?:in|on|at|of|for|from|with|to|and|or|was|is)\b)")


def referred(sentence: str, start: int, end: int) -> bool:
    """``the new 777 in Seattle``, ``the 300 of them``: a number after *the* that counts no
    noun names a thing or points back to what was counted: which, the words cannot tell."""
    return bool(_NO_NOUN_AFTER.match(sentence, end)) and bool(
        _REFERENCE.search(sentence, max(0, start - 20), start)
    )


def words_near(sentence: str, start: int, end: int, count: int) -> tuple[str, ...]:
    """Up to ``count`` folded words before ``start`` and after ``end``."""
    return (*words(sentence[:start])[-count:], *words(sentence[end:])[:count])


def turkish_percent_before(sentence: str, start: int) -> bool:
    return sentence[max(0, start - 7) : start].casefold().rstrip().endswith("yüzde")


def is_year(digits: str, sentence: str, match: re.Match[str], turkish: bool = False) -> bool:
    """A bare 1800-2100 where a year stands: after 'in', 'since', 'the'..., or before nothing
    counted. In Turkish every one is a year, which takes its suffix after an apostrophe
    (2016'da): Turkish writes two thousand ``2.000``."""
    if not digits.isdigit() or len(digits) != 4 or not 1800 <= int(digits) <= 2100:
        return False
    if turkish:
        return True
    following = sentence[match.end() : match.end() + 12]
    if following[:1] and following[0] in APOSTROPHES:
        return True
    previous = words_before(sentence, match.start(), 1).casefold()
    if previous in YEAR_BEFORE or previous in MONTHS:
        return True
    next_word = re.match(r"\s+([^\W\d]+)", following)
    return next_word is None or next_word[1].casefold() in _STOP or next_word[1][0].isupper()


def noun(sentence: str, start: int, end: int) -> str:
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
    before = words_before(sentence, start, 3).split()
    if len(before) >= 2 and before[-1].casefold() in _NOUN_BEFORE:
        noun = before[-2]
        if noun.isalpha() and noun.casefold() not in _STOP and noun.casefold() not in _NUMBER_WORDS:
            return noun
    return ""


def words_before(sentence: str, start: int, count: int) -> str:
    clause = _CLAUSE_END.split(sentence[:start])[-1]
    return " ".join(clause.split()[-count:])


def around(sentence: str, start: int, end: int) -> tuple[str, ...]:
    left = [w for w in words(sentence[:start]) if not w[0].isdigit()][-4:]
    right = [w for w in words(sentence[end:]) if not w[0].isdigit()][:4]
    return (*left, "#", *right)
