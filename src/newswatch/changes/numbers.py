"""Which quantities an edit changed between two aligned sentences.

A silent rewrite often touches one number: a death toll, a budget, a date. Reporting every
word run that holds a digit called moved numbers, other notations of one quantity and names
like ``BBC2`` changes. Here the quantities of two aligned sentences (``quantities``) that
are present on both sides (anywhere in the sentence: moved is not changed) cancel out, and
what is left is paired by the words around it. Only a pair is a change: a different
quantity in the same place.

Three edits change how a number is written, not what it is, and cancel like equal
quantities (:func:`same`): a separator swapped (``30.000`` -> ``30,000``: the writer
fixed the notation, in English or Turkish), a number that became the start or the end of
a range (``4pm`` -> ``4 to 7pm``: the start stayed, an end was added), and a date written
more or less fully. A number word that is also an ordinary word (``one``, ``bir``) is
paired only with a number counting the same noun.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field
from rapidfuzz.distance import Indel

from newswatch.changes.number_words import has_number_word, written_words
from newswatch.changes.pairing import best_first
from newswatch.changes.quantities import Quantity, QuantityKind, quantities
from newswatch.read.text import fold


class NumberChange(BaseModel):
    old: str
    new: str
    context: str = Field(
        description="The noun the number counts (with its unit words), from the new text."
    )
    kind: QuantityKind = "count"
    before: str = Field(default="", description="Words before the number, when no noun follows it.")

    def __str__(self) -> str:
        """One line, as the run summary, the terminal and alert payloads show it."""
        if self.kind in ("date", "year"):
            return f"{self.old} → {self.new} ({self.kind})"
        text = f"{self.old} → {self.new} {self.context}".rstrip()
        return f"{self.before} {text}" if self.before and not self.context else text


# --- changes between two aligned sentences ------------------------------------------------

_PAIR_CONTEXT = 0.4
"""How alike the words around two numbers must be for them to stand in one place."""

_FAMILY = {"count": "n", "money": "m", "percent": "p", "ordinal": "o"}


def number_changes(
    old: str, new: str, old_turkish: bool = False, new_turkish: bool = False
) -> list[NumberChange]:
    """The quantities that changed between two versions of one sentence (or headline)."""
    if not (has_number(old, old_turkish) and has_number(new, new_turkish)):
        return []
    if _written(old, old_turkish) == _written(new, new_turkish):
        return []  # the same numbers as written, only moved: nothing to read
    before, after = quantities(old, old_turkish), quantities(new, new_turkish)
    if not before or not after:
        return []
    # Equal quantities cancel, wherever they stand: a moved number or another notation.
    left, right = _cancel(before, after)
    pairs = best_first(
        (
            (Indel.normalized_similarity(a.around, b.around), i, j)
            for i, a in enumerate(left)
            for j, b in enumerate(right)
            if _comparable(a, b)
        ),
        minimum=_PAIR_CONTEXT,
    )
    changes: list[tuple[int, NumberChange]] = []
    for i, j, _ in pairs:
        a, b = _changed_ends(left[i], right[j])
        kind = b.kind if b.kind == a.kind else "count"
        changes.append(
            (
                b.start,
                NumberChange(
                    old=a.text,
                    new=b.text,
                    context=b.noun,
                    kind=kind,
                    before="" if b.noun else b.before,
                ),
            )
        )
    return [change for _, change in sorted(changes, key=lambda item: item[0])]


_DIGIT = re.compile(r"\d")
# A number as written with what is glued to it and a spaced unit word: when two sentences
# hold the same of these, no quantity in them changed (the common case of an edit).
_NUMERIC = re.compile(
    r"\S*\d\S*(?:\s+(?:thousand|million|billion|trillion|bin|milyon|milyar|trilyon|per"
    r"\s?cent|percent|pounds?|dollars?|euros?|liras?|TL|yen|yüzde|[A-Z][a-z]+))?",
)


def has_number(text: str, turkish: bool) -> bool:
    """Whether a text holds a number in digits or in words: what is worth reading."""
    return _DIGIT.search(text) is not None or has_number_word(text, turkish)


def _written(text: str, turkish: bool) -> list[str]:
    """The numbers of a text as written, in digits and in words, in no order."""
    found = _NUMERIC.findall(text)
    if has_number_word(text, turkish):
        found += written_words(text, turkish)
    return sorted(found)


def _comparable(a: Quantity, b: Quantity) -> bool:
    if (a.weak or b.weak) and (not a.noun or fold(a.noun) != fold(b.noun)):
        return False  # "one of them" -> "two people": a pronoun, not a toll
    if a.kind == b.kind:
        return True
    # A year is one kind of date: "in 2015" -> "in May 2015".
    if {a.kind, b.kind} <= {"year", "date"}:
        return True
    return _FAMILY.get(a.kind, a.kind) == _FAMILY.get(b.kind, b.kind)


def same(a: Quantity, b: Quantity) -> bool:
    """One quantity, however written: equal values, a separator swapped, a date written
    more or less fully, or a number and a range that starts or ends with it."""
    if a.key == b.key or _notation(a) == _notation(b) != ():
        return True
    if a.kind == "range" and a.ends and not b.ends:
        return any(same(end, b) for end in a.ends)
    if b.kind == "range" and b.ends and not a.ends:
        return any(same(a, end) for end in b.ends)
    # "4 September" and "4 September 2016" are one date written more or less fully.
    return (
        a.kind == b.kind == "date"
        and "????" in (a.value[:4], b.value[:4])
        and a.value[4:] == b.value[4:]
    )


def _notation(q: Quantity) -> tuple[str, ...]:
    """Digits with any separator as one mark: ``30.000`` and ``30,000`` are one value
    whose notation changed (a decimal point in one locale is a thousands mark in the other,
    and the writer, not the value, changed)."""
    if q.ends:
        return tuple(part for end in q.ends for part in _notation(end))
    if not q.digits or not any(c in q.digits for c in ".,"):
        return ()
    return (q.kind, q.digits.replace(",", "."))


def _changed_ends(a: Quantity, b: Quantity) -> tuple[Quantity, Quantity]:
    """Two ranges with one end in common: the change is the other end (``from 25 to 27``
    -> ``from 25 to 30`` is ``27 -> 30``). A score changes whole: ``2-1`` -> ``3-1``."""
    if a.kind == b.kind == "range" and a.ends and b.ends:
        for i in (0, 1):
            if same(a.ends[i], b.ends[i]) and not same(a.ends[1 - i], b.ends[1 - i]):
                return a.ends[1 - i], b.ends[1 - i]
    return a, b


def _cancel(before: list[Quantity], after: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """Drop quantities equal on both sides, each pairing the most alike position first."""
    if [a.key for a in before] == [b.key for b in after]:
        return [], []  # the same quantities in the same order (the common case)
    pairs = best_first(
        (Indel.normalized_similarity(a.around, b.around), i, j)
        for i, a in enumerate(before)
        for j, b in enumerate(after)
        if same(a, b)
    )
    gone_old = {i for i, _, _ in pairs}
    gone_new = {j for _, j, _ in pairs}
    return (
        [a for i, a in enumerate(before) if i not in gone_old],
        [b for j, b in enumerate(after) if j not in gone_new],
    )
