"""Where a number stands in its sentence: the noun it counts, the words before and
around it, and whether it is a name (``Radio 4``) or a year (``in 2015``) rather than a
count. English and Turkish function words end a noun.
"""

from __future__ import annotations

import re

from newswatch.changes.dates import MONTHS
from newswatch.read.quotations import APOSTROPHES, NOT_APOSTROPHES, OPENING_MARKS
from newswatch.read.text import words

YEAR_BEFORE_TEXT = (
    "in since until till by from to of during before after early late mid year around circa "
    "between and spring summer autumn winter"
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


_NAME_BEFORE = re.compile(r"(?:^|[\s(])([A-Z]\w*)\s$")


def in_name(sentence: str, start: int) -> bool:
    """'Radio 4', 'PlayStation 2', 'No 10', 'Formula 1': a capitalised word (not the
    sentence's first, not a month) right before a bare number makes the number a name."""
    match = _NAME_BEFORE.search(sentence[max(0, start - 30) : start])
    if not match:
        return False
    word = match.group(1)
    if word.casefold() in MONTHS or word.casefold() in YEAR_BEFORE:
        return False
    before_word = sentence[: start - len(word) - 1].rstrip()
    if not before_word or before_word[-1] in _SENTENCE_BEFORE:
        return False  # the sentence's first word: "Some 25 people", "Nearly 300 died"
    if before_word[-1].isdigit():
        return False  # a unit after a number: "2.80 GHz 8 MB"
    following = sentence[start:].split(None, 1)
    if re.match(r"\d+[.,]\d", following[0]):
        return False  # names are whole numbers: "Processor 2.80 GHz" is a quantity
    rest = following[1] if len(following) > 1 else ""
    # "Italy 38" is a name and a score; "Italy 38 people" counts people.
    return not re.match(r"[a-zçğıöşü]", rest) or following[0][-1:] in ",.;:"


def turkish_percent_before(sentence: str, start: int) -> bool:
    return sentence[max(0, start - 7) : start].casefold().rstrip().endswith("yüzde")


def is_year(digits: str, sentence: str, match: re.Match[str]) -> bool:
    """A bare 1800-2100 where a year stands: after 'in', 'since'..., or before nothing
    counted (a Turkish year takes its suffix after an apostrophe: 2016'da)."""
    if not digits.isdigit() or len(digits) != 4 or not 1800 <= int(digits) <= 2100:
        return False
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
