"""Which quantities an edit changed between two aligned sentences.

A silent rewrite often touches one number: a death toll, a budget, a date. Reporting every
word run that holds a digit called moved numbers, other notations of one quantity and names
like ``BBC2`` changes. Here the quantities of two aligned sentences (``quantities``) that
are present on both sides (anywhere in the sentence: moved is not changed) cancel out, and
what is left is paired by the words around it. Only a pair is a change: a different
quantity in the same place.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field
from rapidfuzz.distance import Indel

from newswatch.changes.pairing import best_first
from newswatch.changes.quantities import Quantity, QuantityKind, quantities


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
    if not (_has_digit(old) and _has_digit(new)):
        return []
    if sorted(_NUMERIC.findall(old)) == sorted(_NUMERIC.findall(new)):
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
        a, b = left[i], right[j]
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


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def _comparable(a: Quantity, b: Quantity) -> bool:
    if a.kind == b.kind:
        return True
    # A year is one kind of date: "in 2015" -> "in May 2015".
    if {a.kind, b.kind} <= {"year", "date"}:
        return True
    return _FAMILY.get(a.kind, a.kind) == _FAMILY.get(b.kind, b.kind)


def _equal(a: Quantity, b: Quantity) -> bool:
    if a.key == b.key:
        return True
    # "4 September" and "4 September 2016" are one date written more or less fully.
    return (
        a.kind == b.kind == "date"
        and "????" in (a.value[:4], b.value[:4])
        and a.value[4:] == b.value[4:]
    )


def _cancel(before: list[Quantity], after: list[Quantity]) -> tuple[list[Quantity], list[Quantity]]:
    """Drop quantities equal on both sides, each pairing the most alike position first."""
    if [a.key for a in before] == [b.key for b in after]:
        return [], []  # the same quantities in the same order (the common case)
    pairs = best_first(
        (Indel.normalized_similarity(a.around, b.around), i, j)
        for i, a in enumerate(before)
        for j, b in enumerate(after)
        if _equal(a, b)
    )
    gone_old = {i for i, _, _ in pairs}
    gone_new = {j for _, j, _ in pairs}
    return (
        [a for i, a in enumerate(before) if i not in gone_old],
        [b for j, b in enumerate(after) if j not in gone_new],
    )
