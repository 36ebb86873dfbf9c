"""The last guard: every number and quotation change is checked against the two texts
before anything states it.

The diff finds changes sentence by sentence and pairs them; this reads each claim back
against the whole of both versions, by rules that do not depend on how it was found:

- a number claim ``old -> new``: the old text reads as a quantity in the old version and
  the new one in the new version; they are not one quantity written two ways (a separator
  swapped, a number that became a range's start or end: ``numbers.same``); the old
  quantity has become rarer and the new one commoner, counted as quantities (a value and
  the noun it counts) over each whole version: a number that moved to another sentence
  did not change;
- a quotation claimed *added* never stands as a quotation in the old version, nor opens
  one there (its words right after a mark), one claimed *removed* never stands in nor
  opens one in the new version (a quotation said twice, once by each of two people, may
  lose one of its two places: it stands fewer times than before), and one
  claimed *changed* differs in its words, its old words stand as a quotation less often
  than before and its new words more often.

"Stands as a quotation" is read as leniently as people type: the quotation's words with a
quote mark right before and after them, whatever spaces and punctuation lie between
(``" huge "``, ``next , "``), and whichever mark. A claim that fails is dropped and
counted (``claims_withheld``), never shown: a report must not state a change that did not
happen, and what it does not state no event or alert can repeat.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, Protocol, TypeVar

from newswatch.changes.numbers import NumberChange, has_number, same
from newswatch.changes.quantities import Quantity, quantities
from newswatch.read.text import fold, sentences, words


class QuoteClaim(Protocol):
    @property
    def old(self) -> str | None: ...

    @property
    def new(self) -> str | None: ...


Quote = TypeVar("Quote", bound=QuoteClaim)

# A word, or a quote mark; an apostrophe between two letters is part of no quotation.
_QUOTE_TOKEN = re.compile(r"\w+|[\"“”„«»‘‹›]|(?<!\w)['’]|['’](?!\w)")
_PARAGRAPH = "\x01"


@dataclass
class Version:
    """One version's text as the verifier reads it."""

    headline: str
    paragraphs: list[str]
    turkish: bool = False

    @cached_property
    def quantities(self) -> list[Quantity]:
        """Every quantity of the version (ranges once, as ranges)."""
        found: list[Quantity] = []
        for text in (self.headline, *self.paragraphs):
            for sentence in sentences(text) if text else ():
                if has_number(sentence, self.turkish):
                    found += quantities(sentence, self.turkish)
        return found

    @cached_property
    def quote_words(self) -> tuple[list[str], list[bool], list[bool], list[bool]]:
        """The words of every paragraph (a boundary token between paragraphs) and, for
        each, whether a quote mark stands right before it, right after it, and whether
        no mark follows it in its paragraph (a quotation left open). Marks inside a run of
        words are skipped: ``it 's`` is typed, not quoted."""
        found: list[str] = [_PARAGRAPH]
        before, after, open_after = [False], [False], [False]
        for text in (self.headline, *self.paragraphs):
            marked = False
            start = len(found)
            for token in _QUOTE_TOKEN.findall(fold(text)):
                if token[0].isalnum() or token[0] == "_":
                    found.append(token)
                    before.append(marked)
                    after.append(False)
                    marked = False
                else:
                    marked = True
                    if len(found) > start:
                        after[-1] = True
            last_mark = max((k for k in range(start, len(found)) if after[k]), default=start - 1)
            open_after += [k >= last_mark for k in range(start, len(found))]
            found.append(_PARAGRAPH)
            before.append(False)
            after.append(False)
            open_after.append(False)
        return found, before, after, open_after


@dataclass
class Verified(Generic[Quote]):
    numbers: list[NumberChange] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    withheld: int = 0


def verify_claims(
    numbers: Sequence[NumberChange], quotes: Sequence[Quote], old: Version, new: Version
) -> Verified[Quote]:
    """The claims borne out by the two texts, and how many were not."""
    result: Verified[Quote] = Verified()
    for change in numbers:
        if number_holds(change, old, new):
            result.numbers.append(change)
        else:
            result.withheld += 1
    for quote in quotes:
        if quote_holds(quote, old, new):
            result.quotes.append(quote)
        else:
            result.withheld += 1
    return result


def number_holds(change: NumberChange, old: Version, new: Version) -> bool:
    before = _written_as(change.old, old.quantities)
    after = _written_as(change.new, new.quantities)
    return any(
        not same(a, b)
        and _count(a, old.quantities) > _count(a, new.quantities)
        and _count(b, new.quantities) > _count(b, old.quantities)
        for a in before
        for b in after
    )


def _written_as(text: str, found: list[Quantity]) -> list[Quantity]:
    """The quantities (or range ends) written as ``text`` in a version."""
    return [q for top in found for q in (top, *(top.ends or ())) if q.text == text]


def _count(quantity: Quantity, found: list[Quantity]) -> int:
    """How often a quantity stands in a version: the same value counting the same thing
    (``seven schools`` and ``7 people`` are two quantities, and a number whose noun is not
    read counts nothing known)."""
    return sum(1 for q in found if same(quantity, q) and _counted(quantity) == _counted(q))


def _counted(quantity: Quantity) -> str:
    """What it counts, as its noun's first word: ``people dead`` and ``people`` agree."""
    return fold(quantity.noun.split()[0]) if quantity.noun else ""


def quote_holds(quote: QuoteClaim, old: Version, new: Version) -> bool:
    if quote.old is None and quote.new is None:
        return False
    if quote.old is None or quote.new is None:
        text = quote.new if quote.old is None else quote.old
        assert text is not None
        key = words(text)
        own, other = (new, old) if quote.old is None else (old, new)
        # In the other version the words may open a longer quotation, or one whose closing
        # mark is typed elsewhere: that quotation is not gone, at most reworded.
        return bool(key) and _stands(key, own) > _stands(key, other, opened=True)
    before, after = words(quote.old), words(quote.new)
    return (
        before != after
        and _stands(before, old) > _stands(before, new)
        and _stands(after, new) > _stands(after, old)
    )


def _stands(key: list[str], version: Version, opened: bool = False) -> int:
    """How often the words stand as a quotation: a mark right before them, and after them a
    mark, the paragraph's end (a quotation that runs on), or no mark in the rest of the
    paragraph (a quotation typed without its closing mark); ``opened``: whatever follows."""
    tokens, before, after, open_after = version.quote_words
    size = len(key)
    count = 0
    first = key[0] if key else ""
    for i, token in enumerate(tokens):
        if token != first or not before[i] or tokens[i : i + size] != key:
            continue
        last = i + size - 1
        count += opened or after[last] or tokens[last + 1] == _PARAGRAPH or open_after[last]
    return count
