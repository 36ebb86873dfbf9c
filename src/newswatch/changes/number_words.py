"""Cardinal numbers written in words, English and Turkish: ``three``, ``twenty-one``,
``a hundred and two``, ``two and a half``, ``a dozen``; ``üç``, ``yirmi beş``, ``iki yüz
elli``, ``iki buçuk``, and the Turkish mix of digits and words (``18 bin 30``, ``2 milyon
500 bin``).

News style spells out numbers under ten, so a small incident's toll is written in words
(``Three people died`` -> ``Four people died``). The grammar is the usual one: units and
tens add up, ``hundred``/``yüz`` and ``dozen`` multiply what is before them, a scale
(``thousand``, ``bin``, ``million``...) closes a group, and groups add up. Vague plurals
(``hundreds``, ``binlerce``, ``dozens``) are no number.

Some of these words are also ordinary words: ``one`` (``no one``, ``one of them``), and
in Turkish ``bir`` (the article "a"), ``on`` (ten), ``yüz`` (face), ``altı`` (under),
``yedi`` (ate), ``bin`` (ride). Standing alone they are *weak*: read, but paired as a change
only with a number that counts the same noun (``numbers.py``).

Neither maintained library fits: text2num reads no Turkish and gives no positions from a
string, quantulum3 reads no Turkish and costs about 2 ms a sentence (the whole of a diff's
budget); see ``docs/reports.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from newswatch.read.text import fold

_EN_UNITS_TEXT = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_EN_TENS_TEXT = "twenty thirty forty fifty sixty seventy eighty ninety"
_TR_UNITS_TEXT = "sıfır bir iki üç dört beş altı yedi sekiz dokuz"
_TR_TENS_TEXT = "on yirmi otuz kırk elli altmış yetmiş seksen doksan"


def _table(text: str, start: int, step: int) -> dict[str, int]:
    return {fold(word): start + step * i for i, word in enumerate(text.split())}


@dataclass(frozen=True)
class _Language:
    units: dict[str, int]
    tens: dict[str, int]
    multipliers: dict[str, int]
    """Multiply the group before them: "two hundred", "two dozen", "iki yüz"."""
    scales: dict[str, int]
    joiners: frozenset[str]
    weak: frozenset[str]
    """Number words that are also ordinary words, when they stand alone."""


_VOCABULARY = {
    False: _Language(
        units=_table(_EN_UNITS_TEXT, 0, 1),
        tens=_table(_EN_TENS_TEXT, 20, 10),
        multipliers={"hundred": 100, "dozen": 12},
        scales={"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12},
        joiners=frozenset({"and", "&"}),
        weak=frozenset({"one"}),
    ),
    True: _Language(
        units=_table(_TR_UNITS_TEXT, 0, 1),
        tens=_table(_TR_TENS_TEXT, 10, 10),
        multipliers={fold("yüz"): 100},
        scales={"bin": 10**3, "milyon": 10**6, "milyar": 10**9, "trilyon": 10**12},
        joiners=frozenset(),
        weak=frozenset(fold(w) for w in ("bir", "on", "yüz", "altı", "yedi", "bin")),
    ),
}
# "two thirds", "one-half", "three halves": a cardinal before a fraction's name.
_FRACTIONS = {
    "half": 2,
    "halves": 2,
    "third": 3,
    "thirds": 3,
    "quarter": 4,
    "quarters": 4,
    "fourth": 4,
    "fourths": 4,
    "fifth": 5,
    "fifths": 5,
    "sixth": 6,
    "sixths": 6,
    "eighth": 8,
    "eighths": 8,
    "tenth": 10,
    "tenths": 10,
}
_AND_A_HALF = re.compile(r"\s+and\s+a\s+(half|quarter)\b", re.IGNORECASE)
_BUCUK = re.compile(r"\s+buçuk\b", re.IGNORECASE)
_SCALE_AFTER = re.compile(r"\s+([^\W\d_]+)")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_WORDS = {
    turkish: re.compile(
        r"(?<!\w)(?:"
        + "|".join([*language.units, *language.tens, *language.multipliers, *language.scales])
        + r")(?!\w)"
    )
    for turkish, language in _VOCABULARY.items()
}


_STARTS = {
    turkish: frozenset(
        [*language.units, *language.tens, *language.multipliers, *language.scales, "a"]
    )
    for turkish, language in _VOCABULARY.items()
}
"""Words a number may start with."""


def written_words(text: str, turkish: bool) -> list[str]:
    """The number words of a text as written (folded), in order: equal lists in two
    versions of a sentence mean no number in words changed."""
    starts = _STARTS[turkish]
    return [word for word in _TOKEN.findall(fold(text)) if word in starts and word != "a"]


def has_number_word(text: str, turkish: bool) -> bool:
    """A cheap test before the full reading: does any number word stand in the text?"""
    return _WORDS[turkish].search(fold(text)) is not None


def number_words(sentence: str, turkish: bool = False) -> list[tuple[int, int, Fraction, bool]]:
    """``(start, end, value, weak)`` of each number written (at least partly) in words."""
    if not has_number_word(sentence, turkish):
        return []
    tokens = [(m.start(), m.end(), fold(m.group())) for m in _TOKEN.finditer(sentence)]
    found: list[tuple[int, int, Fraction, bool]] = []
    i = 0
    reader = _Reader(sentence, tokens, turkish)
    starts = reader.starts
    while i < len(tokens):
        if tokens[i][2] not in starts and not tokens[i][2].isdigit():
            i += 1
            continue
        read = reader.read(i)
        if read is None:
            i += 1
            continue
        after, value, weak = read
        end = tokens[after - 1][1]
        end, value = _fraction_after(sentence, end, value, turkish)
        if end > tokens[after - 1][1]:
            weak = False
            while after < len(tokens) and tokens[after][0] < end:
                after += 1
        found.append((tokens[i][0], end, value, weak))
        i = after
    return found


class _Reader:
    """The longest number from one token on: units and tens add up, a multiplier
    (hundred, dozen, yüz) multiplies the group before it, a scale closes the group."""

    def __init__(self, sentence: str, tokens: list[tuple[int, int, str]], turkish: bool) -> None:
        self.sentence, self.tokens, self.turkish = sentence, tokens, turkish
        self.language = _VOCABULARY[turkish]
        self.starts = _STARTS[turkish]

    def read(self, first: int) -> tuple[int, Fraction, bool] | None:
        """(index after the number, its value, weak), or None."""
        units, tens = self.language.units, self.language.tens
        multipliers, scales = self.language.multipliers, self.language.scales
        tokens = self.tokens
        total, group, last_scale = 0, 0, 0
        last = ""  # what the token before was: unit, ten, ten_unit, multiplier, scale
        words = 0  # number words (not digits, not "a") in it
        i = first
        while i < len(tokens):
            start, end, word = tokens[i]
            if i > first and not self._joins(sentence_gap(self.sentence, tokens, i), last, i):
                break
            if word in self.language.joiners:
                following = tokens[i + 1][2] if i + 1 < len(tokens) else ""
                if last not in ("multiplier", "scale") or not (
                    following in units or following in tens
                ):
                    break
                i += 1  # "a hundred and two", "two thousand and five"
                continue
            if (
                i == first
                and word in scales
                and first
                and tokens[first - 1][2].isdigit()
                and sentence_gap(self.sentence, tokens, first).isspace()
            ):
                return None  # "2 million", "2.5 milyon": the digits' multiplier
            if word.isdigit():
                if not _whole(self.sentence, start, end):
                    break
                if i > first and not (self.turkish and last == "scale" and self._group(i)):
                    break
                group += int(word)
                last = "unit"
            elif word in units or word in tens:
                ten = word in tens
                if last in ("unit", "ten_unit") or (last == "ten" and ten):
                    break  # "one two", "twenty thirty": two numbers, not one
                group += units.get(word, tens.get(word, 0))
                last = "ten" if ten else ("ten_unit" if last == "ten" else "unit")
                words += 1
            elif word == "a" and i == first and not self.turkish:
                following = tokens[i + 1][2] if i + 1 < len(tokens) else ""
                if following not in multipliers and following not in scales:
                    return None  # "a hundred", "a dozen"; any other "a" is an article
                group, last = 1, "unit"
            elif i == first and not self.turkish and (word in multipliers or word in scales):
                return None  # "several hundred", "a baker's dozen": no count before it
            elif word in multipliers and last != "multiplier" and group < 100:
                group = (group or 1) * multipliers[word]
                last = "multiplier"
                words += 1
            elif word in scales and last != "scale":
                scale = scales[word]
                if last_scale and scale >= last_scale:
                    break  # "thousand million" is two numbers' words
                total += (group or 1) * scale
                group, last, last_scale = 0, "scale", scale
                words += 1
            else:
                break
            i += 1
        taken = i - first
        if not taken or last == "":
            return None
        digits_first = tokens[first][2].isdigit()
        # Digits and one scale ("2 million") are read with the digits (quantities.py).
        only_scales = words == sum(1 for t in tokens[first:i] if t[2] in scales)
        if digits_first and only_scales and taken <= 2:
            return None
        if tokens[first][2] == "a" and taken == 1:
            return None
        weak = taken == 1 and tokens[first][2] in self.language.weak
        return i, Fraction(total + group), weak

    def _group(self, i: int) -> bool:
        """After a scale, digits go on with the number only as Turkish writes it: ``2
        milyon 500 bin`` (a smaller scale follows) or ``18 bin 30`` (at most three digits
        after ``bin``)."""
        scales = self.language.scales
        previous = self.tokens[i - 1][2]
        following = self.tokens[i + 1][2] if i + 1 < len(self.tokens) else ""
        if following in scales and scales[following] < scales[previous]:
            return sentence_gap(self.sentence, self.tokens, i + 1).isspace()
        return previous == "bin" and len(self.tokens[i][2]) <= 3

    def _joins(self, gap: str, last: str, i: int) -> bool:
        """What may stand between two words of one number."""
        word = self.tokens[i][2]
        if gap.isspace():
            return True
        if gap == "-":
            return last == "ten"  # twenty-one
        stripped = gap.strip()
        if stripped.casefold() in self.language.joiners:
            # "a hundred and two", "two thousand and five"
            return last in ("multiplier", "scale") and word not in self.language.scales
        if stripped == ",":
            # "three million, two hundred & forty": after a scale, a group of hundreds goes
            # on with the number; "one million, three years later" and "a hundred, two
            # more" are two numbers.
            return last == "scale" and self._hundreds_from(i)
        return False

    def _hundreds_from(self, i: int) -> bool:
        """Whether the number words from token ``i`` on make a group with a multiplier."""
        language = self.language
        for _, _, word in self.tokens[i : i + 3]:
            if word in language.multipliers:
                return True
            if word not in language.units and word not in language.tens:
                return False
        return False


def sentence_gap(sentence: str, tokens: list[tuple[int, int, str]], i: int) -> str:
    return sentence[tokens[i - 1][1] : tokens[i][0]]


def _whole(sentence: str, start: int, end: int) -> bool:
    """Digits that are a whole number, not a part of ``1,5`` or ``2.000``."""
    before = sentence[max(0, start - 2) : start]
    after = sentence[end : end + 2]
    return not re.fullmatch(r"\d[.,]", before) and not re.fullmatch(r"[.,]\d", after)


def _fraction_after(
    sentence: str, end: int, value: Fraction, turkish: bool
) -> tuple[int, Fraction]:
    """``and a half`` / ``buçuk`` after a number, or a fraction's name (``two thirds``)."""
    more = (_BUCUK if turkish else _AND_A_HALF).match(sentence, end)
    if more:
        half = Fraction(1, 4 if more.group().casefold().endswith("quarter") else 2)
        scale = _SCALE_AFTER.match(sentence, more.end())
        scales = _VOCABULARY[turkish].scales
        if scale and fold(scale[1]) in scales:  # "iki buçuk milyon", "two and a half million"
            return scale.end(), (value + half) * scales[fold(scale[1])]
        return more.end(), value + half
    if turkish:
        return end, value
    name = re.match(r"[ -]([a-z]+)\b", sentence[end : end + 12], re.IGNORECASE)
    if name and name[1].casefold() in _FRACTIONS and value:
        return end + name.end(), value / _FRACTIONS[name[1].casefold()]
    return end, value
