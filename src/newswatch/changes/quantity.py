"""One quantity as read from a sentence: the reading (value, kind, unit) and the words
around it, read only when asked.

The reader is ``quantities.py``; ``ranges.py`` joins two readings into a range or a score.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Literal

from newswatch.changes import context

QuantityKind = Literal[
    "count", "money", "percent", "ordinal", "year", "date", "time", "range", "score"
]
"""What a number is. A *score* is two counts set against each other: a result (``2-1``),
a set (``6-4``), a vote (``41-8``), odds (``5-2``); a *range* is a span between two values
(``3-5``, ``2004-05``)."""


@dataclass(frozen=True)
class Reading:
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
        self, sentence: str, reading: Reading, ends: tuple[Quantity, Quantity] | None = None
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
        """A range's start and end, or a score's two sides."""
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
        quantulum3 gives a range); none for a date, a time or a score (two counts, no
        one value)."""
        if self.kind == "score":
            return ()
        if self.ends:
            low, high = self.ends[0].numbers, self.ends[1].numbers
            middle = ((low[0] + high[0]) / 2,) if low and high else ()
            return (*low, *high, *middle)
        if self._number is None or self.kind in ("time", "date"):
            return ()
        return (Fraction(self._number) * Fraction(10) ** self._scale,)


def valued(reading: Reading) -> Reading:
    """The reading with its value written: its unit, then its number times its scale."""
    assert reading.number is not None
    number = reading.number
    if isinstance(number, Decimal):  # digits: exact, and cheaper than a Fraction
        normal_text = format(number.scaleb(reading.scale).normalize(), "f")
    else:
        normal_text = normal(number * Fraction(10) ** reading.scale)
    return replace(reading, value=f"{reading.unit}{normal_text}")


def normal(number: Fraction) -> str:
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
